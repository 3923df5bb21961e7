package io.relata.reactor;

import io.relata.HasMany;
import io.relata.Model;
import io.relata.Naming;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.query.Query;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.List;

/**
 * The child process of {@link BoundedMemoryIT}: streams every parent with its children through
 * {@code findAll} (one joined statement) and prints what it counted and the peak heap it used. Run in a
 * JVM with a heap far smaller than the result.
 *
 * <p>Usage: {@code BoundedMemoryMain <r2dbc-url>}; prints {@code roots=<n> children=<n> peakHeap=<bytes>
 * maxHeap=<bytes>} and exits 0, or dies with {@link OutOfMemoryError}.
 */
public final class BoundedMemoryMain {

    /** A parent row; {@code children} is filled by the include. */
    public record Parent(Long id, String name, List<Child> children) {
    }

    /** A child row with a payload, so that the whole result is far larger than the heap. */
    public record Child(Long id, String payload, Long parentId) {
    }

    /** The schema shared with the test. */
    public static final class Fixture {
        final Schema schema;
        final Model<Parent> parents;
        final HasMany<Parent, Child> children;

        Fixture() {
            SchemaBuilder s = Schema.builder().naming(Naming.snakeCase()).timestamps(false);
            parents = s.define(Parent.class);
            Model<Child> childModel = s.define(Child.class);
            children = parents.hasMany(childModel);
            schema = s.build();
        }
    }

    private BoundedMemoryMain() {
    }

    public static void main(String[] args) {
        Fixture f = new Fixture();
        Database db = Database.connect(args[0], f.schema);
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        System.gc();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);
        long[] counts = db.findAll(Query.from(f.parents).include(f.children))
                .reduce(new long[2], (acc, p) -> {
                    acc[0]++;
                    acc[1] += p.children().size();
                    return acc;
                })
                .block(Duration.ofMinutes(2));
        long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        System.out.println("roots=" + counts[0] + " children=" + counts[1] + " peakHeap=" + peak
                + " maxHeap=" + Runtime.getRuntime().maxMemory());
        db.close().block(Duration.ofSeconds(10));
        System.exit(0);
    }
}
