package io.relata.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Not a workload: what one operation of a benchmark costs in CPU, for decisions on a machine too loaded for
 * wall-clock figures. Runs each matching benchmark method (as {@link Verify} does) for a warm-up and then a
 * measured number of operations, one after the other, and prints per operation: the client JVM's CPU time
 * (all its threads, JIT and GC included), the CPU time of the PostgreSQL backends serving the benchmark
 * database ({@code /proc/<pid>/stat} of the backends in {@code pg_stat_activity}; same machine only), and the
 * wall time (which load inflates). CPU time does not grow with the waiting that other processes cause.
 *
 * <p>Usage: {@code java -Drelata.bench.url=... -cp benchmarks.jar io.relata.benchmarks.CpuPerOp REGEX [ops] [warmupOps]}
 */
public final class CpuPerOp {
    private CpuPerOp() {
    }

    public static void main(String[] args) throws Exception {
        Pattern filter = Pattern.compile(args.length > 0 ? args[0] : "W2HasMany");
        int ops = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Map<Class<?>, Object> states = new LinkedHashMap<>();
        try (Connection admin = Bench.current().jdbc()) {
            for (BenchMain.Workload w : BenchMain.WORKLOADS) {
                List<Method> methods = BenchMain.benchmarks(w.type());
                methods.removeIf(m -> !filter.matcher(w.type().getSimpleName() + "." + m.getName()).find());
                methods.removeIf(m -> m.getParameterTypes().length != 1 || m.getParameterTypes()[0] == W6Junction.Targets.class);
                Object bench = w.type().getDeclaredConstructor().newInstance();
                for (Method m : methods) {
                    Object state = state(states, m.getParameterTypes()[0]);
                    for (int i = 0; i < warmup; i++) {
                        m.invoke(bench, state);
                    }
                    long server0 = backendTicks(admin);
                    long cpu0 = os.getProcessCpuTime();
                    long wall0 = System.nanoTime();
                    for (int i = 0; i < ops; i++) {
                        m.invoke(bench, state);
                    }
                    long wall = System.nanoTime() - wall0;
                    long cpu = os.getProcessCpuTime() - cpu0;
                    long server = backendTicks(admin) - server0;
                    System.out.println(String.format(Locale.ROOT,
                            "CPU %-32s client %8.1f µs/op  server %8.1f µs/op  wall %8.1f µs/op  (%d ops)",
                            w.type().getSimpleName() + "." + m.getName(), cpu / 1e3 / ops,
                            server * 1e6 / ticksPerSecond() / ops, wall / 1e3 / ops, ops));
                }
            }
        } finally {
            for (Object s : states.values()) {
                s.getClass().getMethod("close").invoke(s);
            }
        }
    }

    /** @return the CPU clock ticks (utime + stime) of every backend connected to the benchmark database */
    static long backendTicks(Connection admin) throws Exception {
        List<Integer> pids = new ArrayList<>();
        try (Statement s = admin.createStatement();
             ResultSet rs = s.executeQuery("SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                     + " AND pid <> pg_backend_pid()")) {
            while (rs.next()) {
                pids.add(rs.getInt(1));
            }
        }
        long total = 0;
        for (int pid : pids) {
            Path stat = Path.of("/proc", String.valueOf(pid), "stat");
            if (!Files.isReadable(stat)) {
                continue;
            }
            String text = Files.readString(stat);
            String[] f = text.substring(text.lastIndexOf(')') + 2).split(" ");
            total += Long.parseLong(f[11]) + Long.parseLong(f[12]);
        }
        return total;
    }

    static long ticksPerSecond() {
        return 100; // USER_HZ on Linux
    }

    private static Object state(Map<Class<?>, Object> states, Class<?> type) throws Exception {
        Object s = states.get(type);
        if (s == null) {
            s = type.getDeclaredConstructor().newInstance();
            type.getMethod("setup").invoke(s);
            states.put(type, s);
        }
        return s;
    }
}
