package io.strideback.loadmonitor.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.strideback.events.EventCodec;
import io.strideback.events.EventEnvelope;
import io.strideback.events.EventType;
import io.strideback.events.SecurityEvents.AuditRecorded;
import io.strideback.support.outbox.Outbox;
import io.strideback.support.outbox.OutboxRelay;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * A clinic-admin's change of the clinic's rule settings, with its audit record (issue 16): the new
 * overrides and an {@code audit.clinic-rules-changed} outbox row (who, before, after) commit in one
 * transaction, so the audit log never misses a change nor records one that did not happen. The relay
 * publishes it on {@code strideback.load-monitor-audit.v1}; plan-service keeps the log.
 */
@ApplicationScoped
public class ClinicSettingsAudit {

    static final String SOURCE = "load-monitor-service";

    @Inject
    AgroalDataSource dataSource;
    @Inject
    OutboxRelay relay;

    /** Stores {@code overridesJson} as {@code clinicId}'s rule overrides, recording {@code who} changed them. */
    public void save(String clinicId, String who, String overridesJson) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                JsonNode before = null;
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT overrides::text FROM clinic_rules WHERE clinic_id = ? FOR UPDATE")) {
                    ps.setString(1, clinicId);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            before = EventCodec.JSON.readTree(rs.getString(1));
                        }
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO clinic_rules (clinic_id, overrides) VALUES (?, ?::jsonb)
                        ON CONFLICT (clinic_id) DO UPDATE SET overrides = EXCLUDED.overrides""")) {
                    ps.setString(1, clinicId);
                    ps.setString(2, overridesJson);
                    ps.executeUpdate();
                }
                Instant now = Instant.now();
                Outbox.append(c, EventEnvelope.of(EventType.CLINIC_RULES_CHANGED, SOURCE, now, clinicId, "clinic",
                        new AuditRecorded(clinicId, who, "clinic.rules-changed", "clinic/" + clinicId, before,
                                EventCodec.JSON.readTree(overridesJson), now)));
                c.commit();
            } catch (SQLException | IOException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("clinic settings not saved: " + e.getMessage(), e);
        }
        relay.wake();
    }
}
