package io.relata.reactor.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * A PgBouncer process in transaction pooling mode in front of one PostgreSQL server, started by the test
 * harness on a free local port with its own configuration in a temporary directory ({@code auth_type = any},
 * every database forwarded to the server with the server's credentials). {@link #close()} kills it and
 * removes the directory. Started as root, it runs as the {@code postgres} user (PgBouncer refuses root).
 */
public final class PgBouncer implements AutoCloseable {
    /** Where Debian's {@code pgbouncer} package installs the binary; else it is looked up on the PATH. */
    private static final Path DEBIAN_BINARY = Path.of("/usr/sbin/pgbouncer");

    private final Process process;
    private final Path directory;
    private final int port;

    private PgBouncer(Process process, Path directory, int port) {
        this.process = process;
        this.directory = directory;
        this.port = port;
    }

    /** @return the {@code pgbouncer} binary, if installed */
    public static Optional<Path> binary() {
        if (Files.isExecutable(DEBIAN_BINARY)) {
            return Optional.of(DEBIAN_BINARY);
        }
        String path = Objects.requireNonNullElse(System.getenv("PATH"), "");
        for (String dir : path.split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "pgbouncer");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * Starts PgBouncer in front of a server and waits until it accepts connections.
     *
     * @param host the server's host
     * @param port the server's port
     * @param user the user PgBouncer logs in as
     * @param password its password, or null
     * @return the running PgBouncer
     * @throws IllegalStateException when it is not installed or does not start
     */
    public static PgBouncer start(String host, int port, String user, String password) {
        Path binary = binary().orElseThrow(() -> new IllegalStateException("pgbouncer is not installed"));
        try {
            Path dir = Files.createTempDirectory("relata-pgbouncer-");
            boolean root = "root".equals(System.getProperty("user.name"));
            if (root) {
                // PgBouncer refuses to run as root: it runs as postgres and must read and write here
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
            }
            IOException last = null;
            for (int attempt = 0; attempt < 3; attempt++) {
                int listen = freePort();
                Path config = dir.resolve("pgbouncer.ini");
                Files.writeString(config, config(host, port, user, password, listen, dir), StandardCharsets.UTF_8);
                List<String> command = new ArrayList<>();
                if (root) {
                    command.addAll(List.of("runuser", "-u", "postgres", "--"));
                }
                command.add(binary.toString());
                command.add(config.toString());
                Process process = new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("pgbouncer.out").toFile())
                        .start();
                PgBouncer bouncer = new PgBouncer(process, dir, listen);
                if (bouncer.awaitListening()) {
                    System.err.println("[relata-test] PgBouncer (pool_mode = transaction) on 127.0.0.1:" + listen
                            + " in front of " + host + ":" + port + ", config in " + dir);
                    return bouncer;
                }
                String log = bouncer.log();
                bouncer.stopProcess();
                last = new IOException("pgbouncer did not start on port " + listen + ": " + log);
            }
            deleteRecursively(dir);
            throw new IllegalStateException(last);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String config(String host, int port, String user, String password, int listen, Path dir) {
        String credentials = "user=" + user + (password == null || password.isEmpty() ? "" : " password=" + password);
        return String.join("\n",
                "[databases]",
                "* = host=" + host + " port=" + port + " " + credentials,
                "[pgbouncer]",
                "listen_addr = 127.0.0.1",
                "listen_port = " + listen,
                "unix_socket_dir =",
                "auth_type = any",
                "pool_mode = transaction",
                "max_client_conn = 400",
                "default_pool_size = 20",
                // r2dbc-postgresql sends extra_float_digits in its startup packet
                "ignore_startup_parameters = extra_float_digits,options",
                "logfile = " + dir.resolve("pgbouncer.log"),
                "") + "\n";
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Polls the port until it accepts a connection, while the process lives (at most ~10 s). */
    private boolean awaitListening() {
        for (int attempt = 0; attempt < 1000; attempt++) {
            if (!process.isAlive()) {
                return false;
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 100);
                return true;
            } catch (IOException notYet) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
        }
        return false;
    }

    /** @return the port PgBouncer listens on (127.0.0.1) */
    public int port() {
        return port;
    }

    /** @return PgBouncer's log so far (for failure messages) */
    public String log() {
        StringBuilder out = new StringBuilder();
        for (String name : List.of("pgbouncer.out", "pgbouncer.log")) {
            Path file = directory.resolve(name);
            try {
                if (Files.exists(file)) {
                    out.append(Files.readString(file, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                out.append("(cannot read ").append(file).append(": ").append(e).append(")");
            }
        }
        return out.toString();
    }

    private void stopProcess() {
        // runuser (as root) forks PgBouncer: stop the whole tree, children first
        List<ProcessHandle> children = process.descendants().toList();
        children.forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    /** Kills PgBouncer and removes its directory. */
    @Override
    public void close() {
        stopProcess();
        deleteRecursively(directory);
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("[relata-test] could not remove " + dir + ": " + e);
        }
    }
}
