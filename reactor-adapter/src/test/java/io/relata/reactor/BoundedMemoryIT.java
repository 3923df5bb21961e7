package io.relata.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.reactor.testing.Sql;
import io.relata.reactor.testing.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.test.StepVerifier;

/**
 * Memory is bounded by one root's subtree: a joined result of 20,000 parents x 50 children (1,000,000
 * rows, about 200 MB as entities) is streamed through {@code findAll} in a separate JVM limited to a 64 MB
 * heap, which would die of {@link OutOfMemoryError} if the rows or the roots were buffered.
 */
@ExtendWith(TestDatabase.class)
class BoundedMemoryIT {
    static final int PARENTS = 20_000;
    static final int CHILDREN_PER_PARENT = 50;

    @BeforeAll
    static void seedServerSide(TestDatabase.Handle h) {
        Database db = Database.create(h.connectionFactory(), new BoundedMemoryMain.Fixture().schema);
        db.sync().as(StepVerifier::create).expectComplete().verify(Duration.ofSeconds(30));
        Sql.execute(h.connectionFactory(),
                "INSERT INTO parents (id, name) SELECT p, 'parent-' || p FROM generate_series(1, " + PARENTS + ") p",
                "INSERT INTO children (id, payload, parent_id)"
                        + " SELECT (p - 1) * " + CHILDREN_PER_PARENT + " + c, repeat('x', 100) || p || '-' || c, p"
                        + " FROM generate_series(1, " + PARENTS + ") p, generate_series(1, " + CHILDREN_PER_PARENT + ") c",
                "CREATE INDEX ON children (parent_id, id)",
                "ANALYZE");
    }

    @Test
    void streamsAMillionJoinedRowsInA64MegabyteHeap(TestDatabase.Handle h) throws IOException, InterruptedException {
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        // failsafe puts the test class path in a manifest-only jar; its real list is in this property
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path log = Files.createTempFile("bounded-memory", ".log");
        Process child = new ProcessBuilder(List.of(java.toString(), "-Xmx64m", "-XX:+UseSerialGC",
                "-XX:+ExitOnOutOfMemoryError", "-cp", classPath, BoundedMemoryMain.class.getName(), h.url()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        boolean exited = child.waitFor(90, TimeUnit.SECONDS);
        if (!exited) {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        System.err.println("[BoundedMemoryIT] child output: " + output.strip());
        assertThat(exited).as("child finished within 90 s; output:%n%s", output).isTrue();
        assertThat(child.exitValue()).as("child exit code; output:%n%s", output).isZero();
        assertThat(output).contains("roots=" + PARENTS + " children=" + (PARENTS * CHILDREN_PER_PARENT) + " ");
    }
}
