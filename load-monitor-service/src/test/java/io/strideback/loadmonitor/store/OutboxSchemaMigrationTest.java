package io.strideback.loadmonitor.store;

import io.strideback.support.outbox.FlywayHistoryRealignment;
import io.strideback.testing.LocalPostgres;
import io.strideback.testing.PostgresResource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outbox's DDL moved from this service's V1/V2 to service-support's shared location db/outbox
 * (issue 12). A database migrated before the move (the migrations as they were, kept under
 * src/test/resources/legacy-migrations) still starts, keeps its rows and ends with the same
 * schema as a fresh database.
 */
class OutboxSchemaMigrationTest {

    @Test
    void a_database_from_before_the_move_migrates_and_matches_a_fresh_one() throws Exception {
        String legacy = database();
        migrate(legacy, Flyway.configure().locations("classpath:legacy-migrations"));
        try (Connection c = connect(legacy); Statement st = c.createStatement()) {
            st.execute("""
                    INSERT INTO outbox (event_id, ce_type, ce_source, ce_time, ce_subject, ce_clinic, schema_version,
                                        payload, traceparent)
                    VALUES ('e-1', 'pattern.detected', '/test', now(), 'a-1', 'c-1', 1, '\\x7b7d', null)""");
        }
        migrate(legacy, current());

        String fresh = database();
        migrate(fresh, current());

        assertThat(columns(legacy, "outbox")).isEqualTo(columns(fresh, "outbox")).contains("traceparent text");
        assertThat(columns(legacy, "outbox_dead_letter")).isEqualTo(columns(fresh, "outbox_dead_letter"))
                .contains("reason text not null");
        try (Connection c = connect(legacy); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT event_id FROM outbox")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).as("the unpublished row survived").isEqualTo("e-1");
        }
    }

    private static FluentConfiguration current() {
        FluentConfiguration config = Flyway.configure().locations("classpath:db/migration", "classpath:db/outbox");
        new FlywayHistoryRealignment().customize(config);
        return config;
    }

    private static void migrate(String database, FluentConfiguration config) {
        config.dataSource(PostgresResource.server().jdbcUrl(database), LocalPostgres.USER, LocalPostgres.PASSWORD)
                .load().migrate();
    }

    private static String database() throws SQLException {
        String name = "outbox_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        return name;
    }

    private static Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(PostgresResource.server().jdbcUrl(database), LocalPostgres.USER,
                LocalPostgres.PASSWORD);
    }

    private static List<String> columns(String database, String table) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = connect(database); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT column_name, data_type, is_nullable, column_default"
                     + " FROM information_schema.columns WHERE table_name = '" + table + "' ORDER BY ordinal_position")) {
            while (rs.next()) {
                out.add(rs.getString(1) + " " + rs.getString(2) + (rs.getString(3).equals("NO") ? " not null" : "")
                        + (rs.getString(4) == null ? "" : " default " + rs.getString(4)));
            }
        }
        return out;
    }
}
