package io.relata.reactor.testing;

import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import reactor.core.publisher.Mono;

/**
 * A PostgreSQL primary and one streaming standby on free local ports, made by the test harness with the
 * installed PostgreSQL binaries ({@code initdb}, {@code pg_ctl}, {@code pg_basebackup -R}) in a temporary
 * directory; as root, the servers run as the {@code postgres} user. Both have a database {@code relata}.
 * {@link #close()} stops both and removes the directory.
 */
public final class StandbyCluster implements AutoCloseable {
    /** Where the binaries are looked for, newest first. */
    private static final List<String> BIN_DIRS = List.of("/usr/lib/postgresql/17/bin", "/usr/lib/postgresql/16/bin",
            "/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/14/bin", "/usr/lib/postgresql/13/bin");
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    private final Path bin;
    private final Path dir;
    private final boolean root;
    private final int primaryPort;
    private final int standbyPort;

    private StandbyCluster(Path bin, Path dir, boolean root, int primaryPort, int standbyPort) {
        this.bin = bin;
        this.dir = dir;
        this.root = root;
        this.primaryPort = primaryPort;
        this.standbyPort = standbyPort;
    }

    /** @return the directory of the installed PostgreSQL binaries, if any */
    public static Optional<Path> binaries() {
        return BIN_DIRS.stream().map(Path::of).filter(p -> Files.isExecutable(p.resolve("pg_basebackup"))
                && Files.isExecutable(p.resolve("initdb"))).findFirst();
    }

    /**
     * Creates and starts the primary, takes a base backup of it for the standby and starts it, and waits until
     * the standby streams.
     *
     * @return the running pair
     * @throws IllegalStateException when the binaries are missing or a step fails
     */
    public static StandbyCluster start() {
        Path bin = binaries().orElseThrow(() -> new IllegalStateException("no PostgreSQL binaries in " + BIN_DIRS));
        try {
            Path dir = Files.createTempDirectory("relata-replicas-");
            boolean root = "root".equals(System.getProperty("user.name"));
            if (root) {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
            }
            StandbyCluster cluster = new StandbyCluster(bin, dir, root, freePort(), freePort());
            try {
                cluster.create();
            } catch (RuntimeException e) {
                cluster.close();
                throw e;
            }
            return cluster;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void create() throws IOException {
        Path primary = dir.resolve("primary");
        run("initdb", "-D", primary.toString(), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync");
        Files.writeString(primary.resolve("postgresql.conf"), String.join("\n",
                "", "# relata test primary",
                "listen_addresses = '127.0.0.1'",
                "port = " + primaryPort,
                "unix_socket_directories = '" + dir + "'",
                "wal_level = replica",
                "max_wal_senders = 4",
                "hot_standby = on",
                "fsync = off",
                "full_page_writes = off",
                "shared_buffers = 16MB",
                "max_connections = 40",
                ""), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        // initdb's pg_hba.conf with --auth=trust already lets local replication connections in
        startServer("primary");
        psql(primaryPort, "postgres", "CREATE DATABASE relata");
        Path standby = dir.resolve("standby");
        run("pg_basebackup", "-h", "127.0.0.1", "-p", Integer.toString(primaryPort), "-U", "postgres",
                "-D", standby.toString(), "-R", "-X", "stream", "-c", "fast", "--no-sync");
        Files.writeString(standby.resolve("postgresql.conf"), "\nport = " + standbyPort + "\n",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        startServer("standby");
        System.err.println("[relata-test] streaming replication: primary on 127.0.0.1:" + primaryPort
                + ", standby on 127.0.0.1:" + standbyPort + " (" + bin + ", data in " + dir + ")");
    }

    /** Starts a server of the pair ({@code primary} or {@code standby}) and waits until it accepts connections. */
    public void startServer(String which) {
        run("pg_ctl", "-D", dir.resolve(which).toString(), "-l", dir.resolve(which + ".log").toString(), "-w",
                "-t", "60", "start");
    }

    /** Stops a server of the pair (fast shutdown: sessions are ended, committed work is kept). */
    public void stopServer(String which) {
        run("pg_ctl", "-D", dir.resolve(which).toString(), "-m", "fast", "-w", "-t", "60", "stop");
    }

    /** Promotes the standby to a primary and waits until it accepts writes. */
    public void promoteStandby() {
        run("pg_ctl", "-D", dir.resolve("standby").toString(), "-w", "-t", "60", "promote");
    }

    /** @return the primary's port */
    public int primaryPort() {
        return primaryPort;
    }

    /** @return the standby's port */
    public int standbyPort() {
        return standbyPort;
    }

    /** @return the R2DBC URL of database {@code relata} on the primary */
    public String primaryUrl() {
        return "r2dbc:postgresql://postgres@127.0.0.1:" + primaryPort + "/relata";
    }

    /** @return the R2DBC URL of database {@code relata} on the standby */
    public String standbyUrl() {
        return "r2dbc:postgresql://postgres@127.0.0.1:" + standbyPort + "/relata";
    }

    /** @return a plain factory for the primary's {@code relata} database */
    public ConnectionFactory primaryFactory() {
        return ConnectionFactories.get(primaryUrl());
    }

    /** @return a plain factory for the standby's {@code relata} database */
    public ConnectionFactory standbyFactory() {
        return ConnectionFactories.get(standbyUrl());
    }

    /**
     * Waits until the standby has replayed everything the primary had written when this was called: polls
     * {@code pg_last_wal_replay_lsn()} against the primary's {@code pg_current_wal_lsn()}, at most
     * {@code attempts} times, 20 ms apart.
     *
     * @param attempts how many polls at most
     * @return completes when caught up; errors after the last poll
     */
    public Mono<Void> awaitReplay(int attempts) {
        String lsn = Sql.single(primaryFactory(), "SELECT pg_current_wal_lsn()::text", String.class);
        return Mono.fromCallable(() -> Sql.single(standbyFactory(),
                        "SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn", Boolean.class, lsn))
                .filter(Boolean::booleanValue)
                .repeatWhenEmpty(attempts, polls -> polls.delayElements(Duration.ofMillis(20)))
                .switchIfEmpty(Mono.error(() -> new AssertionError("the standby did not replay " + lsn + " in "
                        + attempts + " polls")))
                .then();
    }

    /** @return the log of a server of the pair, for failure messages */
    public String log(String which) {
        try {
            return Files.readString(dir.resolve(which + ".log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private void psql(int port, String database, String sql) {
        run("psql", "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", "postgres", "-d", database,
                "-v", "ON_ERROR_STOP=1", "-qAtc", sql);
    }

    private void run(String tool, String... args) {
        List<String> command = new ArrayList<>();
        if (root) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(bin.resolve(tool).toString());
        command.addAll(List.of(args));
        Path out = dir.resolve("command.out");
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in " + COMMAND_TIMEOUT);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (" + p.exitValue() + "): "
                        + Files.readString(out, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Stops both servers (immediately) and removes the directory. */
    @Override
    public void close() {
        for (String which : List.of("standby", "primary")) {
            if (Files.exists(dir.resolve(which).resolve("postmaster.pid"))) {
                try {
                    run("pg_ctl", "-D", dir.resolve(which).toString(), "-m", "immediate", "-w", "stop");
                } catch (RuntimeException e) {
                    System.err.println("[relata-test] could not stop the " + which + ": " + e.getMessage());
                }
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("[relata-test] could not remove " + dir + ": " + e);
        }
    }
}
