package io.relata.benchmarks;

import io.relata.benchmarks.Model.Playlist;
import io.relata.benchmarks.Model.Song;
import io.relata.reactor.ToManyOperations;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Before measuring: runs every benchmark once in this JVM and requires all peers of a workload to return the
 * same checksum (the same graphs), and Relata's junction add/remove to leave exactly K and then 0 links.
 */
final class Verify {
    private Verify() {
    }

    static void run(String include) throws Exception {
        Pattern filter = Pattern.compile(include);
        Map<Class<?>, Object> states = new LinkedHashMap<>();
        try {
            for (BenchMain.Workload w : BenchMain.WORKLOADS) {
                List<Method> methods = BenchMain.benchmarks(w.type());
                methods.removeIf(m -> !filter.matcher(w.type().getName() + "." + m.getName()).find());
                if (methods.isEmpty()) {
                    continue;
                }
                Object bench = w.type().getDeclaredConstructor().newInstance();
                for (int k : w.type() == W6Junction.class ? new int[] {1, 10, 1000} : new int[] {0}) {
                    Map<String, Object> results = new LinkedHashMap<>();
                    for (Method m : methods) {
                        Object[] args = new Object[m.getParameterCount()];
                        for (int i = 0; i < args.length; i++) {
                            Class<?> type = m.getParameterTypes()[i];
                            if (type == W6Junction.Targets.class) {
                                W6Junction.Targets t = new W6Junction.Targets();
                                t.k = k;
                                t.setup();
                                args[i] = t;
                            } else {
                                args[i] = state(states, type);
                            }
                        }
                        results.put(m.getName(), m.invoke(bench, args));
                    }
                    String label = w.id() + (k == 0 ? "" : " K=" + k);
                    if (results.values().stream().distinct().count() != 1) {
                        throw new IllegalStateException(label + ": peers disagree: " + results);
                    }
                    System.out.println("# verified " + label + ": " + results.keySet() + " all return " + results.values().iterator().next());
                    if (k > 0 && results.containsKey("relata")) {
                        junction((Peers.Relata) state(states, Peers.Relata.class), k);
                    }
                }
            }
        } finally {
            for (Object s : states.values()) {
                s.getClass().getMethod("close").invoke(s);
            }
        }
    }

    private static void junction(Peers.Relata r, int k) {
        W6Junction.Targets t = new W6Junction.Targets();
        t.k = k;
        t.setup();
        ToManyOperations<Playlist, Song> songs = r.db.association(r.m.playlistSongs);
        long linked = songs.add(t.playlist, t.keys).then(songs.count(t.playlist)).block();
        long left = songs.remove(t.playlist, t.keys).then(songs.count(t.playlist)).block();
        if (linked != k || left != 0) {
            throw new IllegalStateException("W6 K=" + k + ": add left " + linked + " links, remove left " + left);
        }
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
