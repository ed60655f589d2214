package io.strideback.plan.service;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.strideback.events.vocabulary.Diagnosis;
import io.strideback.events.vocabulary.Side;
import io.strideback.plan.domain.CreatePlan;
import io.strideback.plan.domain.PlanEvent;
import io.strideback.plan.domain.RehabPlan;
import io.strideback.plan.mapping.PlanView;
import io.strideback.plan.store.PlanEventStore;
import io.strideback.support.rest.ViewJson;
import io.strideback.testing.KafkaResource;
import io.strideback.testing.LocalKeysResource;
import io.strideback.testing.PostgresResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15 item 3: the rebuild streams the event store into fresh tables in chunks and swaps them
 * in; every plan's view afterwards is the fold of its events, whatever the live view said before.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "plan"))
@QuarkusTestResource(LocalKeysResource.class)
class PlanRebuildTest {

    private static final Instant ENROLLED = Instant.parse("2026-04-01T08:00:00Z");

    @Inject
    AgroalDataSource dataSource;
    @Inject
    PlanEventStore store;
    @Inject
    PlanRebuild rebuild;

    @Test
    void every_plan_is_rebuilt_from_its_events_across_several_chunks_and_a_wrong_or_missing_view_is_mended()
            throws Exception {
        String clinic = "rebuild-" + UUID.randomUUID();
        List<RehabPlan> plans = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            for (int i = 0; i < 250; i++) {
                String athlete = "a-" + i;
                List<PlanEvent> events = RehabPlan.empty().decide(new CreatePlan(athlete, clinic,
                        Diagnosis.CALF_STRAIN_SOLEUS, Side.LEFT, LocalDate.parse("2026-03-20"), 3.0, ENROLLED));
                store.append(c, clinic, athlete, 0, events, null);
                plans.add(RehabPlan.fold(events));
            }
            try (Statement st = c.createStatement()) {
                // A view that says the wrong thing, and one that is missing.
                st.execute("INSERT INTO plan_view (clinic_id, athlete_id, version, view) VALUES ('" + clinic
                        + "', 'a-0', 99, '{\"wrong\": true}')");
            }
        }
        rebuild.chunk = 100;

        int rebuilt = rebuild.rebuildAll();

        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery(
                    "SELECT count(*) FROM (SELECT DISTINCT clinic_id, athlete_id FROM plan_event) p")) {
                rs.next();
                assertThat(rebuilt).isEqualTo(rs.getInt(1)).isGreaterThanOrEqualTo(250);
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT version, view = ?::jsonb FROM plan_view WHERE clinic_id = ? AND athlete_id = ?")) {
                for (RehabPlan plan : plans) {
                    PlanView expected = PlanView.of(plan);
                    ps.setString(1, ViewJson.write(expected));
                    ps.setString(2, clinic);
                    ps.setString(3, expected.athleteId());
                    try (ResultSet rs = ps.executeQuery()) {
                        assertThat(rs.next()).as("view of %s", expected.athleteId()).isTrue();
                        assertThat(rs.getLong(1)).isEqualTo(expected.version());
                        assertThat(rs.getBoolean(2)).as("view of %s is its fold", expected.athleteId()).isTrue();
                    }
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_tables WHERE tablename LIKE '%_rebuild'")) {
                rs.next();
                assertThat(rs.getInt(1)).as("scratch tables left behind").isZero();
            }
        }
    }
}
