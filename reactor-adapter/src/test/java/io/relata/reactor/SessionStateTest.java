package io.relata.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.plan.Statements;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Relata assumes no session state, so that it runs unchanged behind PgBouncer in transaction pooling mode
 * (where consecutive transactions of one client may run on different server connections): no {@code SET}
 * outside {@code SET LOCAL} (or {@code set_config(..., true)}), no advisory locks, no temporary tables, no
 * {@code LISTEN}, no named prepared statements, in the main sources of core, this adapter and the Spring starter.
 */
class SessionStateTest {
    private static final Map<String, Pattern> FORBIDDEN = Map.of(
            "session SET (use SET LOCAL / set_config(name, value, true))",
            Pattern.compile("(?i)\"\\s*SET\\s+(SESSION\\s+)?(?!LOCAL\\b)[a-z_.]+\\s*(=|\\bTO\\b)"),
            "set_config(..., false) (session scope)",
            Pattern.compile("(?i)set_config\\([^)]*,\\s*false\\s*\\)"),
            "advisory lock", Pattern.compile("(?i)pg_(try_)?advisory"),
            "temporary table", Pattern.compile("(?i)\\bTEMP(ORARY)?\\s+TABLE\\b"),
            "LISTEN/NOTIFY", Pattern.compile("(?i)\"[^\"]*\\b(UN)?LISTEN\\s"),
            "named prepared statement (PREPARE/DEALLOCATE)", Pattern.compile("(?i)\"\\s*(PREPARE|DEALLOCATE)\\s"),
            "SET SESSION CHARACTERISTICS", Pattern.compile("(?i)SESSION\\s+CHARACTERISTICS"));

    @Test
    void noMainSourceUsesSessionState() throws IOException {
        List<String> found = new ArrayList<>();
        for (Path root : List.of(Path.of("src/main/java"), Path.of("../core/src/main/java"),
                Path.of("../spring-boot-starter/src/main/java"))) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    List<String> lines = Files.readAllLines(f);
                    for (int i = 0; i < lines.size(); i++) {
                        for (Map.Entry<String, Pattern> rule : FORBIDDEN.entrySet()) {
                            if (rule.getValue().matcher(lines.get(i)).find()) {
                                found.add(rule.getKey() + ": " + f + ":" + (i + 1) + ": " + lines.get(i).trim());
                            }
                        }
                    }
                }
            }
        }
        assertThat(found).as("session state in main sources").isEmpty();
    }

    /** The check above would miss a session SET spelled by the renderer from parts: the settings Relata makes are transaction-local. */
    @Test
    void theSettingsRelataMakesAreTransactionLocal() {
        assertThat(Statements.statementTimeout(Duration.ofSeconds(1)).sql()).endsWith(", true)");
        assertThat(Statements.restoreStatementTimeout("0").sql()).endsWith(", true)");
    }

    /** The patterns catch what they are meant to (a check that can fail). */
    @Test
    void thePatternsRecogniseSessionState() {
        assertThat(FORBIDDEN.get("session SET (use SET LOCAL / set_config(name, value, true))")
                .matcher("text(\"SET statement_timeout = 5\")").find()).isTrue();
        assertThat(FORBIDDEN.get("session SET (use SET LOCAL / set_config(name, value, true))")
                .matcher("text(\"SET LOCAL statement_timeout = 5\")").find()).isFalse();
        assertThat(FORBIDDEN.get("advisory lock").matcher("SELECT pg_advisory_lock(1)").find()).isTrue();
        assertThat(FORBIDDEN.get("temporary table").matcher("CREATE TEMP TABLE x").find()).isTrue();
        assertThat(FORBIDDEN.get("LISTEN/NOTIFY").matcher("text(\"LISTEN channel\")").find()).isTrue();
        assertThat(FORBIDDEN.get("set_config(..., false) (session scope)").matcher("set_config('a', $1, false)").find())
                .isTrue();
    }
}
