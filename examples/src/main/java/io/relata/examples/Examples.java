package io.relata.examples;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs the example scenarios, in order, against one PostgreSQL: the server named by
 * {@code RELATA_URL}, else an embedded one.
 *
 * <pre>
 * mvn -B -q -pl examples -am -DskipTests install exec:java                      # all of them
 * mvn -B -q -pl examples -am -DskipTests install exec:java -Dexec.args=Mixins   # some of them
 * </pre>
 *
 * <p>Each scenario is a small program in its own class (start reading at {@link QuickStart}); each
 * uses its own tables and re-creates them with {@code sync(true)}, so they can run in any order and
 * again. The process exits with 0 when every scenario did what the Sequelize guide says, 1 when
 * one did not, 2 for an unknown scenario name.
 */
public final class Examples {

    /** One scenario: a title for the output and its program, given the R2DBC URL. */
    record Scenario(String title, Consumer<String> program) {
    }

    /** The scenarios by name (their class name), in the order they run. */
    static final Map<String, Scenario> SCENARIOS = scenarios();

    private Examples() {
    }

    private static Map<String, Scenario> scenarios() {
        Map<String, Scenario> m = new LinkedHashMap<>();
        m.put("QuickStart", new Scenario("Captain hasOne Ship / Ship belongsTo Captain: eager and lazy loading",
                QuickStart::run));
        m.put("TeamsAndPlayers", new Scenario("Team hasMany Player: bulkCreate, ordered include, count, limit",
                TeamsAndPlayers::run));
        m.put("MoviesAndActors", new Scenario("Movie belongsToMany Actor through ActorMovies: junction operations",
                MoviesAndActors::run));
        m.put("Followers", new Scenario("User belongsToMany User: followers and following", Followers::run));
        m.put("Mixins", new Scenario("getBars/addBars/countBars/hasBar/removeBar/createBar, as in the guide",
                Mixins::run));
        m.put("SoftDelete", new Scenario("paranoid Post: destroy, paranoid(false), restore, force; a paranoid junction",
                SoftDelete::run));
        m.put("WritingEntities", new Scenario("create with include, validation, findOrCreate, optimistic locking",
                WritingEntities::run));
        m.put("Streaming", new Scenario("thousands of authors with books: limitRate, take, transaction",
                Streaming::run));
        m.put("SocialApp", new Scenario("a Spring WebFlux app on the starter, driven over HTTP: NDJSON, lazy, "
                + "follow/unfollow, @Transactional sign-up, problem details", io.relata.examples.social.SocialDemo::run));
        return java.util.Collections.unmodifiableMap(m);
    }

    /**
     * Starts (or finds) the database, runs the scenarios, stops the database and exits.
     *
     * @param args scenario names to run (default: all)
     */
    public static void main(String[] args) {
        List<String> names = args.length == 0 ? List.copyOf(SCENARIOS.keySet()) : List.of(args);
        for (String name : names) {
            if (!SCENARIOS.containsKey(name)) {
                System.err.println("No scenario '" + name + "'; known: " + SCENARIOS.keySet());
                System.exit(2);
            }
        }
        int status;
        try (ExampleDatabase postgres = ExampleDatabase.start()) {
            run(postgres.r2dbcUrl(), names);
            status = 0;
        } catch (RuntimeException | Error e) {
            System.out.flush();
            System.err.println();
            System.err.println("FAILED: " + e);
            e.printStackTrace();
            status = 1;
        }
        // Connection pools and the embedded server are closed by now; exit explicitly so that no
        // lingering driver thread keeps the JVM (or mvn exec:java) alive.
        System.exit(status);
    }

    /**
     * Runs every scenario against a database; does not exit.
     *
     * @param r2dbcUrl an R2DBC URL
     */
    public static void run(String r2dbcUrl) {
        run(r2dbcUrl, List.copyOf(SCENARIOS.keySet()));
    }

    /**
     * Runs the named scenarios in order; does not exit.
     *
     * @param r2dbcUrl an R2DBC URL
     * @param names scenario names (see {@link #SCENARIOS})
     * @throws IllegalArgumentException naming the unknown scenario and the known ones
     * @throws RuntimeException the first failure of a scenario (a library error or a failed check)
     */
    public static void run(String r2dbcUrl, List<String> names) {
        List<Scenario> selected = new ArrayList<>();
        for (String name : names) {
            Scenario scenario = SCENARIOS.get(name);
            if (scenario == null) {
                throw new IllegalArgumentException("no scenario '" + name + "'; known: " + SCENARIOS.keySet());
            }
            selected.add(scenario);
        }
        long start = System.nanoTime();
        for (int i = 0; i < selected.size(); i++) {
            String name = names.get(i);
            System.out.println();
            System.out.println("== " + name + ": " + selected.get(i).title());
            long t = System.nanoTime();
            selected.get(i).program().accept(r2dbcUrl);
            System.out.printf("   (%s: ok, %d ms)%n", name, (System.nanoTime() - t) / 1_000_000);
        }
        System.out.printf("%nAll %d example(s) passed in %d ms.%n", selected.size(), (System.nanoTime() - start) / 1_000_000);
    }
}
