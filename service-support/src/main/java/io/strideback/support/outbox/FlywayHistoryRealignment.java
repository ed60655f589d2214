package io.strideback.support.outbox;

import io.quarkus.flyway.FlywayConfigurationCustomizer;
import jakarta.inject.Singleton;
import org.flywaydb.core.api.callback.BaseCallback;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The deliberate, one-time edit of applied migrations that moving the outbox's DDL into one shared
 * location (db/outbox V4, issue 12) needed. The load monitor's and plan-service's V1 created the
 * outbox and their V2 added its traceparent column; both now leave that to db/outbox V4 (which
 * uses IF NOT EXISTS, so an existing outbox is kept as it is). A database migrated before that
 * still has the old checksums of V1 and V2 in its history, and Flyway's validation would refuse
 * to start. Before validating, this rewrites exactly those rows whose checksum is the known
 * pre-issue-12 one to the new file's checksum; any other difference still fails validation as it
 * should. (Checksums computed with Flyway 12's ChecksumCalculator over the files at both commits.)
 */
@Singleton
public class FlywayHistoryRealignment implements FlywayConfigurationCustomizer {

    private static final Logger LOG = Logger.getLogger(FlywayHistoryRealignment.class);

    /** version, description, checksum before issue 12, checksum after. */
    record Moved(String version, String description, int before, int after) {
    }

    static final List<Moved> MOVED = List.of(
            new Moved("1", "load monitor state", -439651790, 2017518678),
            new Moved("1", "plan event store", -1065840430, -697009417),
            new Moved("2", "outbox trace context", -1241650493, 733839810));

    @Override
    public void customize(FluentConfiguration configuration) {
        List<Callback> callbacks = new ArrayList<>(Arrays.asList(configuration.getCallbacks()));
        callbacks.add(new Realign(configuration.getTable()));
        configuration.callbacks(callbacks.toArray(Callback[]::new));
    }

    private static final class Realign extends BaseCallback {
        private final String table;

        Realign(String table) {
            this.table = table;
        }

        @Override
        public boolean supports(Event event, Context context) {
            return event == Event.BEFORE_VALIDATE || event == Event.BEFORE_MIGRATE;
        }

        @Override
        public boolean canHandleInTransaction(Event event, Context context) {
            return true;
        }

        @Override
        public void handle(Event event, Context context) {
            Connection c = context.getConnection();
            try {
                try (PreparedStatement exists = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
                    exists.setString(1, table);
                    try (ResultSet rs = exists.executeQuery()) {
                        if (!rs.next() || !rs.getBoolean(1)) {
                            return; // a fresh database: nothing applied yet
                        }
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("UPDATE " + table
                        + " SET checksum = ? WHERE version = ? AND description = ? AND checksum = ?")) {
                    for (Moved m : MOVED) {
                        ps.setInt(1, m.after());
                        ps.setString(2, m.version());
                        ps.setString(3, m.description());
                        ps.setInt(4, m.before());
                        if (ps.executeUpdate() > 0) {
                            LOG.infof("Flyway history: V%s %s realigned to its issue-12 checksum (outbox DDL now in db/outbox)",
                                    m.version(), m.description());
                        }
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException("cannot realign the Flyway history", e);
            }
        }
    }
}
