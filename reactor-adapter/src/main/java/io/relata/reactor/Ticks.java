package io.relata.reactor;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Tells when the task a thread is running now has ended: the "tick" that lazy loads issued together
 * (one {@code flatMap} over a collection, the rows of one network read) belong to, as DataLoader's tick
 * of the event loop. Batching by tick instead of by a timer alone makes a synchronous burst one batch
 * whatever the speed of the machine.
 *
 * <ul>
 *   <li>On a Netty event loop (where R2DBC PostgreSQL and Reactor Netty deliver results): exactly, the
 *       callback is queued as a task of that loop, so it runs after the current one.</li>
 *   <li>On any other thread: the thread is watched, and its tick has ended once it has left the
 *       runnable state (it waits, blocks, parks on a scheduler's queue or ended) for {@value #IDLE_MICROS}
 *       µs; a thread that stays runnable ends its tick after it has used {@value #CPU_BUDGET_MILLIS} ms of
 *       CPU without issuing a load, or after {@value #WALL_CAP_MILLIS} ms (a thread blocked in native I/O
 *       looks runnable). A thread that is preempted uses no CPU, so a slow or loaded machine does not end
 *       its tick early.</li>
 * </ul>
 */
final class Ticks {
    static final long IDLE_MICROS = 1000;
    static final long CPU_BUDGET_MILLIS = 20;
    static final long WALL_CAP_MILLIS = 100;
    private static final long POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

    private static final @Nullable MethodHandle CURRENT_EXECUTOR = currentExecutorHandle();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final boolean CPU_TIME = cpuTimeSupported();
    private static final Watcher WATCHER = new Watcher();

    private Ticks() {
    }

    /**
     * A tick of the calling thread: {@code onEnd} runs once, after that thread's current task.
     *
     * @param onEnd runs with the tick on the event loop or the watcher thread; must be short and must not throw
     * @return the tick, to be {@linkplain Tick#touch touched} whenever the thread issues another load
     */
    static Tick current(Consumer<Tick> onEnd) {
        Executor loop = eventLoop();
        if (loop != null) {
            Tick tick = new Tick(Thread.currentThread(), onEnd, true);
            try {
                loop.execute(tick::end);
                return tick;
            } catch (RejectedExecutionException shuttingDown) {
                // the loop no longer takes tasks: watch the thread like any other
            }
        }
        Tick tick = new Tick(Thread.currentThread(), onEnd, false);
        WATCHER.watch(tick);
        return tick;
    }

    private static @Nullable Executor eventLoop() {
        MethodHandle handle = CURRENT_EXECUTOR;
        if (handle == null) {
            return null;
        }
        try {
            Object executor = handle.invoke();
            return executor instanceof Executor e ? e : null;
        } catch (Throwable e) {
            return null;
        }
    }

    /** Netty's own map of event-loop threads to their loop (netty-common 4.1.36+, also in 4.2). */
    private static @Nullable MethodHandle currentExecutorHandle() {
        try {
            Class<?> map = Class.forName("io.netty.util.internal.ThreadExecutorMap", false, Ticks.class.getClassLoader());
            Class<?> executor = Class.forName("io.netty.util.concurrent.EventExecutor", false, Ticks.class.getClassLoader());
            return MethodHandles.publicLookup().findStatic(map, "currentExecutor", MethodType.methodType(executor));
        } catch (ReflectiveOperationException | LinkageError | SecurityException e) {
            return null;
        }
    }

    private static boolean cpuTimeSupported() {
        try {
            return THREADS.isThreadCpuTimeSupported() && THREADS.isThreadCpuTimeEnabled();
        } catch (UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    private static long cpuTime(Thread thread) {
        if (!CPU_TIME) {
            return -1;
        }
        return THREADS.getThreadCpuTime(thread.getId());
    }

    /** One thread's current task, seen by the batches it issued loads into. */
    static final class Tick {
        final Thread thread;
        private final Consumer<Tick> onEnd;
        private final boolean exact;
        private volatile boolean ended;
        private volatile long lastWall;
        private volatile long lastCpu;
        /** when the watcher first saw the thread not runnable, 0 while it runs */
        private long idleSince;

        Tick(Thread thread, Consumer<Tick> onEnd, boolean exact) {
            this.thread = thread;
            this.onEnd = onEnd;
            this.exact = exact;
            touch();
        }

        /** The thread issued another load in this tick: it is still in its burst. */
        void touch() {
            if (!exact) {
                lastWall = System.nanoTime();
                lastCpu = CPU_TIME ? THREADS.getCurrentThreadCpuTime() : -1;
            }
        }

        /** @return whether the tick's end is known exactly (a task of a Netty event loop), not estimated */
        boolean exact() {
            return exact;
        }

        /** @return whether the tick has ended (its callback ran or is running) */
        boolean ended() {
            return ended;
        }

        void end() {
            if (ended) {
                return;
            }
            ended = true;
            onEnd.accept(this);
        }

        /** Called by the watcher only. @return whether the thread has left this tick */
        boolean over(long now) {
            Thread.State state = thread.getState();
            if (state == Thread.State.TERMINATED) {
                return true;
            }
            if (state != Thread.State.RUNNABLE) {
                if (idleSince == 0) {
                    idleSince = now;
                } else if (now - idleSince >= TimeUnit.MICROSECONDS.toNanos(IDLE_MICROS)) {
                    return true;
                }
            } else {
                idleSince = 0;
            }
            if (now - lastWall >= TimeUnit.MILLISECONDS.toNanos(WALL_CAP_MILLIS)) {
                return true;
            }
            long cpu = lastCpu;
            return cpu >= 0 && cpuTime(thread) - cpu >= TimeUnit.MILLISECONDS.toNanos(CPU_BUDGET_MILLIS);
        }
    }

    /** One daemon thread polling the watched threads while there are any, parked otherwise. */
    private static final class Watcher implements Runnable {
        private final Queue<Tick> incoming = new ConcurrentLinkedQueue<>();
        private volatile @Nullable Thread thread;

        void watch(Tick tick) {
            incoming.add(tick);
            Thread t = thread;
            if (t == null) {
                t = start();
            }
            LockSupport.unpark(t);
        }

        private synchronized Thread start() {
            Thread t = thread;
            if (t == null) {
                t = new Thread(this, "relata-lazy-load-ticks");
                t.setDaemon(true);
                thread = t;
                t.start();
            }
            return t;
        }

        @Override
        public void run() {
            List<Tick> watched = new ArrayList<>();
            while (true) {
                for (Tick t; (t = incoming.poll()) != null; ) {
                    watched.add(t);
                }
                long now = System.nanoTime();
                for (Iterator<Tick> it = watched.iterator(); it.hasNext(); ) {
                    Tick t = it.next();
                    boolean over;
                    try {
                        over = t.ended() || t.over(now);
                    } catch (RuntimeException e) {
                        over = true;
                    }
                    if (over) {
                        it.remove();
                        try {
                            t.end();
                        } catch (RuntimeException | Error e) {
                            // a batch's callback only signals its requesters; it does not throw
                            Thread.currentThread().getUncaughtExceptionHandler().uncaughtException(Thread.currentThread(), e);
                        }
                    }
                }
                if (watched.isEmpty() && incoming.isEmpty()) {
                    LockSupport.park(this);
                } else {
                    LockSupport.parkNanos(this, POLL_NANOS);
                }
            }
        }
    }
}
