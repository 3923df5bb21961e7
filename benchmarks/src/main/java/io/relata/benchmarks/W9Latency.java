package io.relata.benchmarks;

import io.relata.benchmarks.Model.Player;
import io.relata.benchmarks.Model.Team;
import io.relata.benchmarks.hibernate.HTeam;
import io.relata.query.Query;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * W9, latency under load (not JMH; run by {@link BenchMain} in a JVM of its own per peer, {@code -Xms1g -Xmx1g}):
 * {@value #SUBSCRIBERS} concurrent subscribers, each issuing one W2-sized eager load after the other (one team with
 * its 10 players: {@code findByPk(Query.from(teams).include(teamPlayers), id)}) for the measured time, after a
 * warm-up of the same shape. Prints one line {@code W9RESULT {json}} with the throughput and the p50 / p90 / p99 /
 * max latency of the measured loads (each from subscription to the graph, in microseconds).
 *
 * <p>Usage: {@code java -Drelata.bench.url=... -cp benchmarks.jar io.relata.benchmarks.W9Latency relata|L|H
 * [seconds] [warmupSeconds]}
 */
public final class W9Latency {
    static final int SUBSCRIBERS = 32;
    /** L's statement: the team and its players by hand (the team's key bound once). */
    static final String SQL = "SELECT t.id, t.name, t.city, p.id, p.name, p.number, p.team_id FROM teams t "
            + "LEFT JOIN players p ON p.team_id = t.id WHERE t.id = $1 ORDER BY p.id";

    private W9Latency() {
    }

    public static void main(String[] args) throws Exception {
        String peer = args.length > 0 ? args[0] : "relata";
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 10;
        double warmup = args.length > 2 ? Double.parseDouble(args[2]) : 5;
        Peers.Relata relata = null;
        Peers.Raw raw = null;
        Peers.Hibernate h = null;
        IntFunction<Mono<Team>> load;
        switch (peer) {
            case "relata" -> {
                Peers.Relata r = new Peers.Relata();
                r.setup();
                relata = r;
                Query<Team> query = Query.from(r.m.teams).include(r.m.teamPlayers);
                load = id -> r.db.findByPk(query, (long) id);
            }
            case "L" -> {
                Peers.Raw p = new Peers.Raw();
                p.setup();
                raw = p;
                load = id -> hand(p, id);
            }
            case "H" -> {
                Peers.Hibernate hh = new Peers.Hibernate();
                hh.setup();
                h = hh;
                load = id -> Mono.fromCompletionStage(() -> hh.sf.withSession(s -> s.createSelectionQuery(
                                "from HTeam t left join fetch t.players p where t.id = :id order by p.id", HTeam.class)
                        .setParameter("id", (long) id).getSingleResult())).map(W9Latency::team);
            }
            default -> throw new IllegalArgumentException("peer: relata, L or H, not " + peer);
        }
        String error = null;
        long[] latencies = new long[0];
        long count = 0;
        double elapsed = 0;
        long graphs = 0;
        try {
            // verification: the 100 teams one by one, the same checksum for every peer (compared by BenchMain)
            graphs = Flux.range(1, Seed.TEAMS).concatMap(load::apply).map(Sums::team).reduce(0L, Long::sum).block();
            run(load, (long) (warmup * 1e9), new long[1]);
            long[] sum = new long[1];
            long t0 = System.nanoTime();
            latencies = run(load, (long) (seconds * 1e9), sum);
            elapsed = (System.nanoTime() - t0) / 1e9;
            count = latencies.length;
        } catch (Throwable t) {
            error = t.toString();
        }
        Arrays.sort(latencies);
        System.out.println(String.format(Locale.ROOT,
                "W9RESULT {\"peer\":\"%s\",\"completed\":%s,\"subscribers\":%d,\"seconds\":%.2f,\"loads\":%d,"
                        + "\"perSecond\":%.1f,\"p50us\":%.0f,\"p90us\":%.0f,\"p99us\":%.0f,\"maxUs\":%.0f,\"graphs\":%d%s}",
                peer, error == null && count > 0, SUBSCRIBERS, elapsed, count, count / Math.max(elapsed, 1e-9),
                percentile(latencies, 0.50), percentile(latencies, 0.90), percentile(latencies, 0.99),
                percentile(latencies, 1.0), graphs, error == null ? "" : ",\"error\":\"" + error.replace("\"", "'") + "\""));
        try {
            if (relata != null) {
                relata.close();
            }
            if (raw != null) {
                raw.close();
            }
            if (h != null) {
                h.close();
            }
        } catch (Throwable ignored) {
            // the figures are out
        }
        System.exit(error == null ? 0 : 1);
    }

    /**
     * {@value #SUBSCRIBERS} subscribers, each loading one team after the other (team ids spread over all teams) until
     * the time is up. @return every load's latency in nanoseconds
     */
    static long[] run(IntFunction<Mono<Team>> load, long nanos, long[] checksum) {
        long end = System.nanoTime() + nanos;
        List<long[]> perSubscriber = new ArrayList<>();
        AtomicLong sum = new AtomicLong();
        Flux.range(0, SUBSCRIBERS).flatMap(s -> {
            long[][] mine = {new long[1024]};
            int[] n = {0};
            synchronized (perSubscriber) {
                perSubscriber.add(null);
            }
            int slot = s;
            return Mono.defer(() -> {
                long t0 = System.nanoTime();
                int id = (int) ((s * 7L + n[0] * 13L) % Seed.TEAMS) + 1;
                return load.apply(id).doOnNext(t -> {
                    long took = System.nanoTime() - t0;
                    if (n[0] == mine[0].length) {
                        mine[0] = Arrays.copyOf(mine[0], n[0] * 2);
                    }
                    mine[0][n[0]++] = took;
                    sum.addAndGet(Sums.team(t));
                });
            }).repeat(() -> System.nanoTime() < end).then(Mono.fromRunnable(() -> {
                synchronized (perSubscriber) {
                    perSubscriber.set(slot, Arrays.copyOf(mine[0], n[0]));
                }
            }));
        }, SUBSCRIBERS).blockLast();
        checksum[0] = sum.get();
        int total = 0;
        for (long[] l : perSubscriber) {
            total += l.length;
        }
        long[] all = new long[total];
        int at = 0;
        for (long[] l : perSubscriber) {
            System.arraycopy(l, 0, all, at, l.length);
            at += l.length;
        }
        return all;
    }

    /** @return the percentile in microseconds of sorted nanosecond latencies */
    static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
        return sorted[i] / 1e3;
    }

    static Mono<Team> hand(Peers.Raw raw, int id) {
        return Peers.query(raw.pool, SQL, (row, meta) -> new Object[] {row.get(0, Long.class), row.get(1, String.class),
                        row.get(2, String.class), row.get(3, Long.class) == null ? null : W2HasMany.player(row, 3)}, (long) id)
                .collectList()
                .flatMap(rows -> {
                    if (rows.isEmpty()) {
                        return Mono.empty();
                    }
                    Object[] first = rows.get(0);
                    List<Player> players = new ArrayList<>(rows.size());
                    for (Object[] r : rows) {
                        if (r[3] != null) {
                            players.add((Player) r[3]);
                        }
                    }
                    return Mono.just(new Team((Long) first[0], (String) first[1], (String) first[2], players));
                });
    }

    static Team team(HTeam t) {
        List<Player> players = new ArrayList<>();
        t.players.forEach(p -> players.add(new Player(p.id, p.name, p.number, p.teamId, null)));
        players.sort((a, b) -> Long.compare(a.id(), b.id()));
        return new Team(t.id, t.name, t.city, players);
    }
}
