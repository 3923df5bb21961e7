package io.relata.benchmarks;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The one command: finds or starts PostgreSQL, seeds the data, checks that every peer computes the same result,
 * runs every workload under JMH (Relata and its peers, same JVM settings, same data), runs M1 in 64 MB JVMs, then
 * writes {@code benchmarks/results/latest.json}, prints the table of ratios and refreshes the table in
 * {@code benchmarks/README.md}.
 *
 * <pre>
 * mvn -B -Pbenchmarks -pl benchmarks -am -Dmaven.test.skip=true package &amp;&amp; java -jar benchmarks/target/benchmarks.jar
 * </pre>
 *
 * Options: {@code --quick} (1 fork, short iterations: a smoke run), {@code --include REGEX} (JMH benchmark
 * filter; results then go to {@code results/partial.json}), {@code --forks N}, {@code --no-m1}, {@code --no-w9}, {@code --no-verify}, {@code --verify-only},
 * {@code --reseed}. {@code RELATA_BENCH_URL} (an R2DBC URL) names the server; without it
 * {@code 127.0.0.1:5432} (user postgres) is used with a database {@code relata_bench} created on it, and when that
 * is not reachable an embedded PostgreSQL is started.
 */
public final class BenchMain {
    /**
     * Hibernate Reactive maps results on the Vert.x event loop; 200k entities (W1) hold it for longer than Vert.x's
     * 2 s blocked-thread warning allows. The warning is only noise here.
     */
    static final String QUIET_VERTX = "org.slf4j.simpleLogger.log.io.vertx.core.impl.BlockedThreadChecker";

    private BenchMain() {
    }

    /** A workload: its benchmark class, what one op is worth in the unit, and the unit. */
    record Workload(String id, Class<?> type, double unitsPerOp, String unit, String what) {
    }

    static final List<Workload> WORKLOADS = List.of(
            new Workload("W1", W1FindAll.class, Seed.ITEMS, "rows/s", "findAll 200k rows, no includes"),
            new Workload("W2", W2HasMany.class, Seed.TEAMS, "graphs/s", "eager hasMany 100 x 10, one join"),
            new Workload("W3", W3BelongsTo.class, Seed.TEAMS * Seed.PLAYERS_PER_TEAM, "rows/s",
                    "eager belongsTo over 1,000 children"),
            new Workload("W4", W4Nested.class, Seed.AUTHORS, "graphs/s", "author -> books -> tags (100 x 10 x 5)"),
            new Workload("W5", W5Lazy.class, Seed.TEAMS, "graphs/s", "lazy: 100 parents, one deferred load each in flatMap"),
            new Workload("W6", W6Junction.class, 1, "ops/s", "junction add + remove of K targets"),
            new Workload("W7", W7FindByPk.class, W7FindByPk.LOOKUPS, "lookups/s", "256 findByPk at concurrency 4"),
            new Workload("W8", W8TopN.class, Seed.WRITERS, "graphs/s",
                    "top-N per parent: 1,000 writers x 50 novels, newest 3 each"));

    public static void main(String[] args) throws Exception {
        System.setProperty("org.jboss.logging.provider", "slf4j");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty(QUIET_VERTX, "off");
        Map<String, String> opts = options(args);
        boolean quick = opts.containsKey("quick");
        String include = opts.getOrDefault("include", "io\\.relata\\.benchmarks\\.W.*");
        boolean partial = quick || opts.containsKey("include");
        Path out = Files.isDirectory(Path.of("benchmarks", "results")) ? Path.of("benchmarks") : Path.of(".");

        EmbeddedPostgres embedded = null;
        String url = System.getenv(Bench.URL_VARIABLE);
        try {
            if (url == null || url.isBlank()) {
                url = local();
                if (url == null) {
                    System.out.println("# 127.0.0.1:5432 not reachable: starting an embedded PostgreSQL");
                    embedded = EmbeddedPostgres.builder().start();
                    url = "r2dbc:postgresql://postgres@localhost:" + embedded.getPort() + "/postgres";
                }
            }
            System.setProperty(Bench.URL_PROPERTY, url);
            Bench bench = Bench.current();
            System.out.println("# PostgreSQL: " + bench.host() + ":" + bench.port() + "/" + bench.database());
            long t0 = System.nanoTime();
            boolean seeded = Seed.run(bench, opts.containsKey("reseed"));
            System.out.printf(Locale.ROOT, "# data %s (%.1f s)%n", seeded ? "seeded" : "already seeded", (System.nanoTime() - t0) / 1e9);
            if (!opts.containsKey("no-verify")) {
                Verify.run(include);
            }
            if (opts.containsKey("verify-only")) {
                return;
            }
            Map<String, Double> medians = jmh(url, include, quick, opts);
            Map<String, Map<String, Object>> m1 = new LinkedHashMap<>();
            if (!opts.containsKey("no-m1") && !opts.containsKey("include")) {
                for (String peer : List.of("relata", "relataSeparate", "relataAggregate", "L")) {
                    m1.put(peer, m1(url, peer));
                }
            }
            Map<String, Map<String, Object>> w9 = new LinkedHashMap<>();
            if (!opts.containsKey("no-w9") && !opts.containsKey("include")) {
                for (String peer : List.of("relata", "L", "H")) {
                    w9.put(peer, w9(url, peer, quick));
                }
            }
            Report report = new Report(WORKLOADS, medians, m1, w9, machine(bench), quick);
            String json = report.json();
            String table = report.markdown();
            System.out.println();
            System.out.println(table);
            Path results = out.resolve("results").resolve(partial ? "partial.json" : "latest.json");
            Files.createDirectories(results.getParent());
            Files.writeString(results, json);
            System.out.println("# wrote " + results.toAbsolutePath().normalize());
            if (!partial) {
                Path readme = out.resolve("README.md");
                if (Files.exists(readme)) {
                    String text = Files.readString(readme);
                    int a = text.indexOf(Report.START);
                    int b = text.indexOf(Report.END);
                    if (a >= 0 && b > a) {
                        Files.writeString(readme, text.substring(0, a + Report.START.length()) + "\n" + table
                                + text.substring(b));
                        System.out.println("# refreshed the table in " + readme.toAbsolutePath().normalize());
                    }
                }
            }
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unknown argument " + a);
            }
            String name = a.substring(2);
            if (name.equals("include") || name.equals("forks") || name.equals("iterations")) {
                opts.put(name, args[++i]);
            } else {
                opts.put(name, "");
            }
        }
        return opts;
    }

    /** @return the URL of a database {@code relata_bench} on the local server, or null when it is not reachable */
    private static String local() {
        Bench admin = Bench.of(Bench.DEFAULT_URL);
        try (Connection c = admin.jdbc(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = 'relata_bench'")) {
                if (!rs.next()) {
                    s.execute("CREATE DATABASE relata_bench");
                }
            }
            return "r2dbc:postgresql://" + admin.user() + "@" + admin.host() + ":" + admin.port() + "/relata_bench";
        } catch (SQLException e) {
            return null;
        }
    }

    /**
     * Runs the suite once per fork, each pass with one fork of every benchmark, so that the two forks of a benchmark
     * are minutes apart: a burst of background load then lands on one fork of several peers rather than on both
     * forks of one peer. The figure of a benchmark is the median over all measured iterations of all passes.
     */
    private static Map<String, Double> jmh(String url, String include, boolean quick, Map<String, String> opts)
            throws Exception {
        int forks = Integer.parseInt(opts.getOrDefault("forks", quick ? "1" : "2"));
        int iterations = Integer.parseInt(opts.getOrDefault("iterations", quick ? "2" : "5"));
        Map<String, List<Double>> scores = new TreeMap<>();
        for (int pass = 1; pass <= forks; pass++) {
            System.out.println("# JMH pass " + pass + " of " + forks);
            ChainedOptionsBuilder b = new OptionsBuilder()
                    .include(include)
                    .forks(1)
                    .warmupIterations(quick ? 1 : 8)
                    .warmupTime(TimeValue.milliseconds(quick ? 500 : 1000))
                    .measurementIterations(iterations)
                    .measurementTime(TimeValue.milliseconds(quick ? 500 : 1000))
                    .timeUnit(TimeUnit.SECONDS)
                    .shouldFailOnError(false)
                    .jvmArgsAppend("-D" + Bench.URL_PROPERTY + "=" + url, "-Xms1g", "-Xmx1g",
                            "-Dorg.jboss.logging.provider=slf4j", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                            "-D" + QUIET_VERTX + "=off");
            Collection<RunResult> results = new Runner(b.build()).run();
            for (RunResult r : results) {
                String name = r.getParams().getBenchmark();
                String k = r.getParams().getParam("k");
                String key = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1) + (k == null ? "" : ":" + k);
                for (BenchmarkResult fork : r.getBenchmarkResults()) {
                    for (IterationResult it : fork.getIterationResults()) {
                        scores.computeIfAbsent(key, x -> new ArrayList<>()).add(it.getPrimaryResult().getScore());
                    }
                }
            }
        }
        Map<String, Double> medians = new TreeMap<>();
        scores.forEach((k, v) -> medians.put(k, median(v)));
        return medians;
    }

    static double median(List<Double> values) {
        List<Double> v = new ArrayList<>(values);
        v.sort(Double::compare);
        int n = v.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    /** Runs M1 for one peer in a JVM with a 64 MB heap. */
    private static Map<String, Object> m1(String url, String peer) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx64m", "-D" + Bench.URL_PROPERTY + "=" + url,
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
                M1Stream.class.getName(), peer);
        pb.redirectErrorStream(true);
        System.out.println("# M1 " + peer + ": streaming " + Seed.ORDERS + " roots x " + Seed.LINES_PER_ORDER
                + " children with -Xmx64m");
        Process p = pb.start();
        Map<String, Object> result = new LinkedHashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("M1RESULT ")) {
                    result.put("json", line.substring("M1RESULT ".length()));
                }
                System.out.println("#   " + line);
            }
        }
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        result.put("exit", p.exitValue());
        return result;
    }

    /** Runs W9 for one peer in a JVM of its own ({@code -Xms1g -Xmx1g}): 5 s warm-up, 10 s measured (quick: 1 + 2 s). */
    private static Map<String, Object> w9(String url, String peer, boolean quick) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xms1g", "-Xmx1g", "-D" + Bench.URL_PROPERTY + "=" + url,
                "-Dorg.jboss.logging.provider=slf4j", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-D" + QUIET_VERTX + "=off",
                "-cp", System.getProperty("java.class.path"), W9Latency.class.getName(), peer, quick ? "2" : "10",
                quick ? "1" : "5");
        pb.redirectErrorStream(true);
        System.out.println("# W9 " + peer + ": " + W9Latency.SUBSCRIBERS + " concurrent subscribers, one team with its players"
                + " per load");
        Process p = pb.start();
        Map<String, Object> result = new LinkedHashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("W9RESULT ")) {
                    result.put("json", line.substring("W9RESULT ".length()));
                }
                System.out.println("#   " + line);
            }
        }
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        result.put("exit", p.exitValue());
        return result;
    }

    private static Map<String, Object> machine(Bench bench) throws SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("date", OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        m.put("jdk", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"));
        try (Connection c = bench.jdbc(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW server_version")) {
            rs.next();
            m.put("postgres", "PostgreSQL " + rs.getString(1));
        }
        m.put("cores", Runtime.getRuntime().availableProcessors());
        try {
            Process git = new ProcessBuilder("git", "describe", "--always", "--dirty").redirectErrorStream(true).start();
            String commit = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (git.waitFor() == 0 && !commit.isEmpty()) {
                m.put("commit", commit);
            }
        } catch (IOException | InterruptedException ignored) {
            // only informative
        }
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        String cpu = "";
        File cpuinfo = new File("/proc/cpuinfo");
        if (cpuinfo.exists()) {
            try {
                cpu = Files.readAllLines(cpuinfo.toPath()).stream().filter(l -> l.startsWith("model name"))
                        .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("");
            } catch (IOException ignored) {
                // only informative
            }
        }
        m.put("cpu", cpu);
        return m;
    }

    /** @return the {@code @Benchmark} methods of a class, in declaration order of their names */
    static List<Method> benchmarks(Class<?> type) {
        List<Method> out = new ArrayList<>();
        for (Method method : type.getMethods()) {
            if (method.isAnnotationPresent(Benchmark.class)) {
                out.add(method);
            }
        }
        out.sort((a, b) -> a.getName().compareTo(b.getName()));
        return out;
    }
}
