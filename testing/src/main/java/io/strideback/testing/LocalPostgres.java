package io.strideback.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A real PostgreSQL 18 server (zonky embedded binaries), one database per service.
 *
 * <p>The binaries are unpacked under {@code .strideback/pg-bin} (outside {@code target/}, so a
 * clean build does not unpack them again). Used in-process by the tests and as its own JVM by
 * {@code ./strideback up}, where the data directory survives restarts.
 */
public final class LocalPostgres implements AutoCloseable {

    /** Each service owns its own database. */
    public static final List<String> DATABASES = List.of("intake", "loadmonitor", "plan");
    public static final String USER = "postgres";
    public static final String PASSWORD = "postgres";

    private final EmbeddedPostgres postgres;

    private LocalPostgres(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Starts PostgreSQL on {@code port} (0 = a free one); with a data dir the data survives a restart. */
    public static LocalPostgres start(int port, Path dataDir) {
        try {
            Path binDir = StridebackHome.dir().resolve("pg-bin");
            Files.createDirectories(binDir);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setPort(port == 0 ? FreePorts.next() : port)
                    .setOverrideWorkingDirectory(binDir.toFile())
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("fsync", dataDir == null ? "off" : "on")
                    .setPGStartupWait(java.time.Duration.ofSeconds(60));
            // Per-statement timing for a profile of the database's cost per post (issue 15), only when asked:
            // STRIDEBACK_PG_STATEMENTS=1 loads pg_stat_statements (CREATE EXTENSION in the database read).
            if ("1".equals(System.getenv("STRIDEBACK_PG_STATEMENTS"))) {
                builder.setServerConfig("shared_preload_libraries", "pg_stat_statements")
                        .setServerConfig("pg_stat_statements.track", "all");
            }
            if (dataDir != null) {
                Files.createDirectories(dataDir.getParent());
                builder.setDataDirectory(dataDir).setCleanDataDirectory(false);
            }
            LocalPostgres pg = new LocalPostgres(builder.start());
            pg.createDatabases();
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start PostgreSQL", e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    private void createDatabases() {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            for (String db : DATABASES) {
                try (ResultSet rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + db + "'")) {
                    if (!rs.next()) {
                        st.execute("CREATE DATABASE " + db);
                    }
                }
            }
            st.execute("ALTER USER postgres PASSWORD '" + PASSWORD + "'");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the service databases", e);
        }
    }

    /**
     * Freezes the server, postmaster and every backend, with SIGSTOP until the returned handle is closed (SIGCONT):
     * a database host that hangs without closing its connections (a paused VM, a stalled disk), which a stopped
     * server (connection refused) does not show. Its connections stay open and answer nothing.
     */
    public Frozen freeze() {
        long postmaster;
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT current_setting('data_directory')")) {
            rs.next();
            postmaster = Long.parseLong(Files.readAllLines(Path.of(rs.getString(1), "postmaster.pid")).get(0).trim());
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("cannot find PostgreSQL's postmaster", e);
        }
        // The postmaster first, so it forks no backend while the others are listed and stopped.
        signal("-STOP", List.of(postmaster));
        signal("-STOP", backendsOf(postmaster));
        return () -> {
            signal("-CONT", backendsOf(postmaster));
            signal("-CONT", List.of(postmaster));
        };
    }

    /** A frozen server; closing it lets the server go on. */
    public interface Frozen extends AutoCloseable {
        @Override
        void close();
    }

    private static List<Long> backendsOf(long postmaster) {
        List<Long> pids = new ArrayList<>();
        ProcessHandle.of(postmaster).ifPresent(p -> p.descendants().forEach(d -> pids.add(d.pid())));
        return pids;
    }

    /** Sends the signal; a backend that ended since it was listed is no failure (kill then exits 1). */
    private static void signal(String signal, List<Long> pids) {
        if (pids.isEmpty()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("kill", signal));
        pids.forEach(pid -> command.add(Long.toString(pid)));
        try {
            new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code LocalPostgres <port> <dataDir>}: the local run's database server, until the JVM is stopped. */
    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 5432;
        Path dir = Path.of(args.length > 1 ? args[1] : ".strideback/postgres").toAbsolutePath();
        LocalPostgres pg = start(port, dir);
        Runtime.getRuntime().addShutdownHook(new Thread(pg::close));
        System.out.println("postgres ready on 127.0.0.1:" + pg.port() + " data " + dir);
        Thread.currentThread().join();
    }
}
