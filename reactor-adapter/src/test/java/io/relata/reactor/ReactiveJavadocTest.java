package io.relata.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every public method of {@code io.relata.reactor} that returns a {@code Mono} or {@code Flux} documents
 * its reactive behaviour: it refers to the package's reactive contract (call-time checks, errors,
 * cancellation), says what it emits ({@code @return}) and, when it takes a reference parameter, which
 * {@code NullPointerException} it throws at call time. Read from the sources, so a method added later
 * is checked without being listed.
 */
class ReactiveJavadocTest {
    static final Path SOURCES = Path.of("src/main/java/io/relata/reactor");
    static final Pattern METHOD = Pattern.compile(
            "^    (public |default )?(static )?(<[^>]+> )?(Mono|Flux)<.*?> (\\w+)\\((.*?)\\)?\\s*\\{?$");

    @Test
    void everyPublicReactiveMethodDocumentsItsContract() throws IOException {
        List<String> missing = new ArrayList<>();
        int checked = 0;
        try (Stream<Path> files = Files.list(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                List<String> lines = Files.readAllLines(file);
                String text = String.join("\n", lines);
                boolean publicInterface = text.contains("public interface ");
                boolean publicClass = text.contains("public final class ") || text.contains("public class ");
                if (!publicInterface && !publicClass) {
                    continue;
                }
                for (int i = 0; i < lines.size(); i++) {
                    Matcher m = METHOD.matcher(lines.get(i));
                    if (!m.matches() || (!publicInterface && m.group(1) == null) || "default ".equals(m.group(1)) && !publicInterface) {
                        continue;
                    }
                    checked++;
                    String name = file.getFileName() + ": " + m.group(5) + "(" + m.group(6) + ")";
                    String doc = javadocAbove(lines, i);
                    if (doc == null) {
                        missing.add(name + ": no Javadoc");
                        continue;
                    }
                    if (doc.contains("{@inheritDoc}")) {
                        continue;
                    }
                    if (!doc.contains("reactive contract")) {
                        missing.add(name + ": no reference to the reactive contract");
                    }
                    if (!doc.contains("@return")) {
                        missing.add(name + ": no @return (what it emits, when it completes)");
                    }
                    if (hasReferenceParameter(m.group(6)) && !doc.contains("@throws NullPointerException")) {
                        missing.add(name + ": no @throws NullPointerException");
                    }
                }
            }
        }
        assertThat(missing).isEmpty();
        assertThat(checked).as("reactive methods found").isGreaterThan(40);
    }

    /** @return the Javadoc block ending right above line {@code index} (annotations skipped), or null */
    static String javadocAbove(List<String> lines, int index) {
        int end = index - 1;
        while (end >= 0 && lines.get(end).trim().startsWith("@")) {
            end--;
        }
        if (end < 0 || !lines.get(end).trim().endsWith("*/")) {
            return null;
        }
        int start = end;
        while (start >= 0 && !lines.get(start).trim().startsWith("/**")) {
            start--;
        }
        return start < 0 ? null : String.join("\n", lines.subList(start, end + 1));
    }

    /** @return whether a parameter list (as written on one line) has a parameter not marked @Nullable and not primitive */
    static boolean hasReferenceParameter(String params) {
        if (params.isBlank()) {
            return false;
        }
        int depth = 0;
        StringBuilder current = new StringBuilder();
        List<String> parts = new ArrayList<>();
        for (char c : params.toCharArray()) {
            if (c == '<') {
                depth++;
            } else if (c == '>') {
                depth--;
            }
            if (c == ',' && depth == 0) {
                parts.add(current.toString().trim());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString().trim());
        return parts.stream().anyMatch(p -> !p.isEmpty() && !p.startsWith("@Nullable") && !p.contains("@Nullable ")
                && !p.startsWith("boolean ") && !p.startsWith("int ") && !p.startsWith("long "));
    }
}
