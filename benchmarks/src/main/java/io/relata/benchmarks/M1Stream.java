package io.relata.benchmarks;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Row;
import io.relata.benchmarks.Model.Line;
import io.relata.benchmarks.Model.Order;
import io.relata.query.Include;
import io.relata.query.Query;
import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * M1, run by {@link BenchMain} in a JVM of its own with {@code -Xmx64m}: streams 100,000 orders with their
 * 1,000,000 lines (one joined query, eager include) and prints one JSON line with whether it completed, how long
 * it took and the heap it needed: the highest heap use sampled every millisecond ({@code peakHeapMB}), and the
 * highest heap left after a garbage collection ({@code peakLiveAfterGcMB}: what the stream really retains).
 *
 * <p>Usage: {@code java -Xmx64m -Drelata.bench.url=... -cp benchmarks.jar io.relata.benchmarks.M1Stream relata|relataSeparate|relataAggregate|L}
 */
public final class M1Stream {
    static final String SQL = "SELECT o.id, o.number, l.id, l.order_id, l.product, l.quantity, l.price FROM orders o "
            + "LEFT JOIN lines l ON l.order_id = o.id ORDER BY o.id, l.id";
    static final Object NONE = new Object();

    private M1Stream() {
    }

    public static void main(String[] args) throws Exception {
        String peer = args.length > 0 ? args[0] : "relata";
        List<MemoryPoolMXBean> heap = new ArrayList<>();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heap.add(pool);
            }
        }
        AtomicLong peakUsed = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peakUsed.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
        AtomicLong peakLive = new AtomicLong();
        Set<String> heapNames = new HashSet<>();
        heap.forEach(p -> heapNames.add(p.getName()));
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener((n, handback) -> {
                    if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(
                                (CompositeData) n.getUserData());
                        long after = 0;
                        for (Map.Entry<String, MemoryUsage> u : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                            if (heapNames.contains(u.getKey())) {
                                after += u.getValue().getUsed();
                            }
                        }
                        peakLive.accumulateAndGet(after, Math::max);
                    }
                }, null, null);
            }
        }

        long[] counts = new long[2];
        boolean completed = false;
        String error = null;
        long start = 0;
        long end = 0;
        Peers.Relata relata = null;
        Peers.Raw raw = null;
        try {
            Flux<Order> stream;
            if (peer.startsWith("relata")) {
                relata = new Peers.Relata();
                relata.setup();
                Model.Relata m = relata.m;
                // relataSeparate: the lines by one = ANY statement per window of 256 orders, through a cursor
                // relataAggregate: each order's lines as one JSON array of the order's row
                Include.Strategy strategy = peer.equals("relataSeparate") ? Include.Strategy.SEPARATE
                        : peer.equals("relataAggregate") ? Include.Strategy.AGGREGATE : Include.Strategy.JOIN;
                stream = relata.db.findAll(Query.from(m.orders).include(m.orderLines, i -> i.strategy(strategy)));
            } else {
                raw = new Peers.Raw();
                raw.setup();
                stream = hand(raw);
            }
            System.gc();
            for (MemoryPoolMXBean pool : heap) {
                pool.resetPeakUsage();
            }
            peakUsed.set(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
            peakLive.set(0);
            sampler.start();
            start = System.nanoTime();
            stream.doOnNext(o -> {
                counts[0]++;
                counts[1] += o.lines().size();
            }).blockLast();
            end = System.nanoTime();
            completed = counts[0] == Seed.ORDERS && counts[1] == (long) Seed.ORDERS * Seed.LINES_PER_ORDER;
            if (!completed) {
                error = "wrong counts";
            }
        } catch (Throwable t) {
            end = System.nanoTime();
            error = t.toString();
        } finally {
            sampler.interrupt();
        }
        long gcs = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcs += Math.max(0, gc.getCollectionCount());
        }
        long maxHeap = Runtime.getRuntime().maxMemory();
        System.out.println(String.format(Locale.ROOT,
                "M1RESULT {\"peer\":\"%s\",\"completed\":%s,\"roots\":%d,\"rows\":%d,\"seconds\":%.3f,"
                        + "\"peakHeapMB\":%.1f,\"peakLiveAfterGcMB\":%.1f,\"maxHeapMB\":%.1f,\"gcs\":%d%s}",
                peer, completed, counts[0], counts[1], (end - start) / 1e9, peakUsed.get() / 1048576.0,
                peakLive.get() / 1048576.0, maxHeap / 1048576.0, gcs,
                error == null ? "" : ",\"error\":\"" + error.replace("\"", "'") + "\""));
        try {
            if (relata != null) {
                relata.close();
            }
            if (raw != null) {
                raw.close();
            }
        } catch (Throwable ignored) {
            // the figures are out; a failing close must not hide them
        }
        System.exit(completed ? 0 : 1);
    }

    /** L: the same join, streamed and grouped by hand. */
    static Flux<Order> hand(Peers.Raw raw) {
        return Flux.usingWhen(raw.pool.create(), c -> Flux.defer(() -> {
            Grouper g = new Grouper();
            return Flux.from(c.createStatement(SQL).execute())
                    .concatMap(result -> result.map((row, meta) -> g.push(row)))
                    .filter(o -> o != NONE)
                    .concatWith(Mono.fromSupplier(g::finish))
                    .cast(Order.class);
        }), Connection::close, (c, e) -> c.close(), Connection::close);
    }

    static final class Grouper {
        Long id;
        String number;
        List<Line> lines;

        Object push(Row row) {
            Long orderId = row.get(0, Long.class);
            Object done = NONE;
            if (id != null && !id.equals(orderId)) {
                done = finish();
            }
            if (id == null) {
                id = orderId;
                number = row.get(1, String.class);
                lines = new ArrayList<>();
            }
            Long lineId = row.get(2, Long.class);
            if (lineId != null) {
                lines.add(new Line(lineId, row.get(3, Long.class), row.get(4, String.class), row.get(5, Integer.class),
                        row.get(6, Double.class)));
            }
            return done;
        }

        Order finish() {
            Order o = id == null ? null : new Order(id, number, lines);
            id = null;
            return o;
        }
    }
}
