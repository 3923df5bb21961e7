package io.relata.reactor.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty reported a leaked buffer (a "LEAK:" report) while it, or any class
 * before it in this JVM, ran. Registered for every test class through JUnit's extension
 * auto-detection ({@code META-INF/services}); failsafe runs with
 * {@code -Dio.netty.leakDetection.level=paranoid}, so every buffer is tracked.
 *
 * <p>Netty finds a leak only when the garbage collector has collected a buffer that was never
 * released, and reports it on a later allocation: after each class this extension runs the collector
 * and allocates until the reports are in, then fails with the leak records (where the buffer was
 * allocated and last touched).
 */
public final class LeakDetection implements AfterAllCallback {
    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();

    static {
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new ResourceLeakDetectorFactory() {
            @Override
            @SuppressWarnings("deprecation")
            public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                    long maxActive) {
                return new Recording<>(resource, samplingInterval);
            }
        });
    }

    /** Creates the extension (JUnit does, once per JVM). */
    public LeakDetection() {
    }

    private static final class Recording<T> extends ResourceLeakDetector<T> {
        Recording(Class<T> resource, int samplingInterval) {
            super(resource, samplingInterval);
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            LEAKS.add("LEAK: " + resourceType + records);
            super.reportTracedLeak(resourceType, records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            LEAKS.add("LEAK: " + resourceType + " (untraced)");
            super.reportUntracedLeak(resourceType);
        }
    }

    /** @return the leak reports so far */
    public static List<String> leaks() {
        return List.copyOf(LEAKS);
    }

    /** Collects garbage and allocates so that Netty reports what leaked; fails the class on any report. */
    @Override
    public void afterAll(ExtensionContext context) {
        if (context.getParent().flatMap(ExtensionContext::getTestClass).isPresent()) {
            return; // nested classes: checked with their enclosing class
        }
        for (int round = 0; round < 3; round++) {
            System.gc();
            for (int i = 0; i < 64; i++) {
                ByteBuf probe = PooledByteBufAllocator.DEFAULT.buffer(16);
                probe.release();
            }
        }
        if (!LEAKS.isEmpty()) {
            List<String> found = leaks();
            LEAKS.clear();
            throw new AssertionError(found.size() + " Netty buffer leak(s) reported up to "
                    + context.getRequiredTestClass().getSimpleName() + ":\n" + String.join("\n", found));
        }
    }
}
