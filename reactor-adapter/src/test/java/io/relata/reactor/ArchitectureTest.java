package io.relata.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import io.relata.sql.SqlStatement;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layering the design promises, checked on the compiled main classes of core and this adapter: no
 * package cycle in core, the adapter talks to core only through public plan types (never
 * {@code io.relata.internal}), the public API exposes no internal type, and only the renderer writes SQL.
 */
class ArchitectureTest {
    static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.relata");

    @Test
    void corePackagesHaveNoCycle() {
        slices().matching("io.relata.(**)").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void theAdapterUsesNoInternalClassOfCore() {
        noClasses().that().resideInAPackage("io.relata.reactor..")
                .should().dependOnClassesThat().resideInAPackage("io.relata.internal..")
                .check(CLASSES);
    }

    @Test
    void theMetadataQueryAndPlanTypesDependOnNoInternalClass() {
        noClasses().that().resideInAnyPackage("io.relata", "io.relata.query", "io.relata.sql")
                .should().dependOnClassesThat().resideInAPackage("io.relata.internal..")
                .check(CLASSES);
    }

    @Test
    void publicMethodsOfThePublicPackagesExposeNoInternalType() {
        methods().that().arePublic()
                .and().areDeclaredInClassesThat().resideInAnyPackage("io.relata", "io.relata.query", "io.relata.sql",
                        "io.relata.plan", "io.relata.reactor")
                .should(exposeNoInternalType())
                .check(CLASSES);
    }

    @Test
    void theAdapterBuildsNoStatementText() {
        noClasses().that().resideInAPackage("io.relata.reactor..")
                .should().callConstructor(SqlStatement.class, String.class, List.class)
                .because("the adapter never builds SQL text: statements come from core's planners")
                .check(CLASSES);
    }

    /** The SQL keywords that start a statement appear as string literals only in the renderer. */
    @Test
    void sqlKeywordsAreWrittenOnlyByTheRenderer() throws IOException {
        Pattern keyword = Pattern.compile("\"(SELECT|INSERT|UPDATE|DELETE|DECLARE|FETCH|CLOSE|DROP|CREATE|ALTER) ");
        List<String> found = new ArrayList<>();
        for (Path root : List.of(Path.of("src/main/java"), Path.of("../core/src/main/java"))) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    if (f.endsWith(Path.of("io/relata/internal/sql/Renderer.java"))) {
                        continue;
                    }
                    List<String> lines = Files.readAllLines(f);
                    for (int i = 0; i < lines.size(); i++) {
                        if (keyword.matcher(lines.get(i)).find()) {
                            found.add(f + ":" + (i + 1) + ": " + lines.get(i).trim());
                        }
                    }
                }
            }
        }
        assertThat(found).as("SQL text outside the renderer").isEmpty();
    }

    private static ArchCondition<JavaMethod> exposeNoInternalType() {
        return new ArchCondition<>("expose no type of io.relata.internal in their signature") {
            @Override
            public void check(JavaMethod method, ConditionEvents events) {
                boolean internal = isInternal(method.getRawReturnType())
                        || method.getRawParameterTypes().stream().anyMatch(ArchitectureTest::isInternal);
                if (internal) {
                    events.add(SimpleConditionEvent.violated(method, method.getFullName()
                            + " exposes an io.relata.internal type"));
                }
            }
        };
    }

    private static boolean isInternal(JavaClass type) {
        return type.getPackageName().startsWith("io.relata.internal");
    }
}
