package io.strideback.plan.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.strideback.events.EventCodec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The append-only audit log (issue 16; table {@code audit_entry}, whose trigger refuses any UPDATE,
 * DELETE or TRUNCATE). Written on the caller's connection, so an entry commits with the change it
 * records or not at all.
 */
@ApplicationScoped
public class AuditLog {

    /**
     * One entry: {@code who} did {@code what} to {@code target} in {@code clinicId} at {@code at};
     * {@code before}/{@code after} as JSON (null when there was nothing). {@code entryId} is unique:
     * an entry read again from a topic (same event id) is not added twice.
     */
    public record Entry(String entryId, String clinicId, Instant at, String who, String what, String target,
                        JsonNode before, JsonNode after, String source) {
    }

    @Inject
    AgroalDataSource dataSource;

    /** Appends {@code entry} on {@code c}; false when an entry with its id is already there. */
    public boolean append(Connection c, Entry entry) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO audit_entry (entry_id, clinic_id, at, who, what, target, before, after, source)
                VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?) ON CONFLICT (entry_id) DO NOTHING""")) {
            ps.setString(1, entry.entryId());
            ps.setString(2, entry.clinicId());
            ps.setTimestamp(3, Timestamp.from(entry.at()));
            ps.setString(4, entry.who());
            ps.setString(5, entry.what());
            ps.setString(6, entry.target());
            ps.setString(7, entry.before() == null || entry.before().isNull() ? null : entry.before().toString());
            ps.setString(8, entry.after() == null || entry.after().isNull() ? null : entry.after().toString());
            ps.setString(9, entry.source());
            return ps.executeUpdate() == 1;
        }
    }

    /** The clinic's entries, newest first, at most {@code limit}, older than {@code before} when given. */
    public List<Entry> entries(String clinicId, int limit, Instant before) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT entry_id, clinic_id, at, who, what, target, before::text, after::text, source FROM audit_entry
                WHERE clinic_id = ? AND (?::timestamptz IS NULL OR at < ?::timestamptz)
                ORDER BY at DESC, id DESC LIMIT ?""")) {
            ps.setString(1, clinicId);
            Timestamp cursor = before == null ? null : Timestamp.from(before);
            ps.setTimestamp(2, cursor);
            ps.setTimestamp(3, cursor);
            ps.setInt(4, limit);
            List<Entry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Entry(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(), rs.getString(4),
                            rs.getString(5), rs.getString(6), json(rs.getString(7)), json(rs.getString(8)),
                            rs.getString(9)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("audit log unavailable: " + e.getMessage(), e);
        }
    }

    static JsonNode json(String text) {
        if (text == null) {
            return null;
        }
        try {
            return EventCodec.JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored audit value is unreadable", e);
        }
    }
}
