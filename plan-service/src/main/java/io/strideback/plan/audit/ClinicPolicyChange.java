package io.strideback.plan.audit;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.agroal.api.AgroalDataSource;
import io.strideback.plan.domain.ClinicPolicy;
import io.strideback.plan.store.PlanSideTables;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

/**
 * A clinic-admin sets the clinic's approval policy (CONTRACT v2): the new policy and its audit entry
 * (who, before, after) commit together (issue 16). Setting the policy it already has records nothing.
 */
@ApplicationScoped
public class ClinicPolicyChange {

    @Inject
    AgroalDataSource dataSource;
    @Inject
    PlanSideTables side;
    @Inject
    AuditLog audit;

    @Transactional(rollbackOn = Exception.class)
    public void set(String clinicId, String who, ClinicPolicy policy) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            // Two admins at once: each sees the other's policy as "before".
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")) {
                lock.setString(1, "clinic-policy/" + clinicId);
                lock.execute();
            }
            ClinicPolicy before = side.policy(c, clinicId);
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO clinic_policy (clinic_id, policy) VALUES (?, ?)
                    ON CONFLICT (clinic_id) DO UPDATE SET policy = EXCLUDED.policy""")) {
                ps.setString(1, clinicId);
                ps.setString(2, policy.name());
                ps.executeUpdate();
            }
            if (before != policy) {
                audit.append(c, new AuditLog.Entry(UUID.randomUUID().toString(), clinicId, Instant.now(), who,
                        "clinic.policy-changed", "clinic/" + clinicId,
                        JsonNodeFactory.instance.objectNode().put("policy", before.name()),
                        JsonNodeFactory.instance.objectNode().put("policy", policy.name()), PlanChangesAudit.SOURCE));
            }
        }
    }
}
