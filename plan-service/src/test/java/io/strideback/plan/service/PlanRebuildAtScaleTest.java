package io.strideback.plan.service;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.strideback.events.vocabulary.AdjustmentType;
import io.strideback.events.vocabulary.Diagnosis;
import io.strideback.events.vocabulary.PatternKind;
import io.strideback.events.vocabulary.Side;
import io.strideback.plan.domain.Adjustment;
import io.strideback.plan.domain.ApplyAdjustment;
import io.strideback.plan.domain.ApproveAdjustment;
import io.strideback.plan.domain.Assessment;
import io.strideback.plan.domain.ClinicPolicy;
import io.strideback.plan.domain.CreatePlan;
import io.strideback.plan.domain.RecordAssessment;
import io.strideback.plan.domain.RejectAdjustment;
import io.strideback.plan.store.PlanSideTables;
import io.strideback.testing.KafkaResource;
import io.strideback.testing.LocalKeysResource;
import io.strideback.testing.PostgresResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15 item 3 at the bench's size, on the module's own PostgreSQL: plans made through the live path, copied
 * under more clinics (as {@code ./strideback bench rebuild} does) until the store holds
 * {@code REBUILD_SCALE_EVENTS} events, then rebuilt twice (cold, warm). Run on demand only (minutes, not part of
 * the build): {@code REBUILD_SCALE_EVENTS=100000 ./mvnw -B -ntp -o verify -pl plan-service -am
 * -Dtest=PlanRebuildAtScaleTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "plan"))
@QuarkusTestResource(LocalKeysResource.class)
@EnabledIfEnvironmentVariable(named = "REBUILD_SCALE_EVENTS", matches = "\\d+")
class PlanRebuildAtScaleTest {

    private static final Instant ENROLLED = Instant.now().minus(Duration.ofDays(30));

    @Inject
    AgroalDataSource dataSource;
    @Inject
    PlanService plans;
    @Inject
    PlanRebuild rebuild;
    @Inject
    PlanSideTables side;

    @Test
    void a_rebuild_at_the_bench_size_gives_back_the_live_projection() throws Exception {
        long wanted = Long.parseLong(System.getenv("REBUILD_SCALE_EVENTS"));
        side.setPolicy("scale-review", ClinicPolicy.REVIEW);
        for (String clinic : List.of("scale-auto", "scale-review")) {
            for (int i = 0; i < 100; i++) {
                livePlan(clinic, String.format("a-%03d", i), i % 7, clinic.equals("scale-review"));
            }
        }
        long events = copyUntil(wanted);
        String before = fingerprint();
        for (String run : List.of("cold", "warm")) {
            PlanRebuild.Result r = rebuild.rebuildAll();
            System.out.printf("REBUILD %s: %d plans, %d events in %d ms: %.0f events/s, %d caught up%n", run,
                    r.plans(), r.events(), r.took().toMillis(), r.events() / (r.took().toNanos() / 1e9), r.caughtUp());
            assertThat(r.events()).isEqualTo(events);
            assertThat(fingerprint()).as("the rebuilt projection, %s", run).isEqualTo(before);
        }
    }

    private void livePlan(String clinic, String athlete, int adjustments, boolean review) {
        plans.execute(clinic, athlete, (plan, policy) -> new CreatePlan(athlete, clinic, Diagnosis.CALF_STRAIN_SOLEUS,
                Side.LEFT, LocalDate.now().minusDays(40), 3.0, ENROLLED), null, null);
        for (int k = 0; k < adjustments; k++) {
            String id = athlete + "-cap-" + k;
            Adjustment cap = new Adjustment(id, AdjustmentType.CAP_RUN_DISTANCE, PatternKind.RUNNING_TRIGGERED_DISTANCE,
                    "running-triggered-distance", Map.of("maxDistanceKm", 4.0 - k * 0.4), List.of("evt-" + id, "evt-2-" + id),
                    "Two flare-ups followed longer runs.", ENROLLED.plus(Duration.ofHours(k * 24 + 1)));
            Instant at = ENROLLED.plus(Duration.ofHours(k * 24 + 2));
            plans.execute(clinic, athlete, (plan, policy) -> new ApplyAdjustment(cap, policy, at), "msg-" + clinic + id, null);
            if (review && k % 3 == 1) {
                plans.execute(clinic, athlete, (plan, policy) -> new ApproveAdjustment(id, "dr-okafor", at.plusSeconds(60)),
                        null, null);
            }
            if (review && k % 3 == 2) {
                plans.execute(clinic, athlete, (plan, policy) -> new RejectAdjustment(id, "dr-okafor", "Not yet.",
                        at.plusSeconds(60)), null, null);
            }
            if (k % 2 == 0) {
                Assessment a = new Assessment("as-" + id, at.plusSeconds(3600), 20 + k, 22, 2, true, k > 2, null, null);
                plans.execute(clinic, athlete, (plan, policy) -> new RecordAssessment(a, at.plusSeconds(3600)), null, null);
            }
        }
    }

    /** The plans' events and live views copied under more clinics until the store holds {@code wanted} events. */
    private long copyUntil(long wanted) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            long have = count(st);
            long copies = (wanted - have + have - 1) / have;
            st.execute("INSERT INTO plan_event (clinic_id, athlete_id, sequence, event_type, occurred_at, payload, caused_by)"
                    + " SELECT 'copy-' || n || '-' || clinic_id, athlete_id, sequence, event_type, occurred_at,"
                    + " CASE WHEN payload->>'clinicId' IS NOT NULL THEN jsonb_set(payload, '{clinicId}',"
                    + " to_jsonb('copy-' || n || '-' || clinic_id)) ELSE payload END, caused_by"
                    + " FROM plan_event, generate_series(1, " + copies + ") n");
            st.execute("INSERT INTO plan_view (clinic_id, athlete_id, version, view, updated_at)"
                    + " SELECT 'copy-' || n || '-' || clinic_id, athlete_id, version,"
                    // The view as the service writes it (json keeps its text): only the clinic's id changed.
                    + " replace(view::text, '\"clinicId\":' || to_json(clinic_id)::text,"
                    + " '\"clinicId\":' || to_json('copy-' || n || '-' || clinic_id)::text)::json, updated_at"
                    + " FROM plan_view, generate_series(1, " + copies + ") n");
            st.execute("INSERT INTO plan_adjustment_view (clinic_id, adjustment_id, athlete_id, status, view, updated_at)"
                    + " SELECT 'copy-' || n || '-' || clinic_id, adjustment_id, athlete_id, status, view, updated_at"
                    + " FROM plan_adjustment_view, generate_series(1, " + copies + ") n");
            st.execute("ANALYZE plan_event, plan_view, plan_adjustment_view");
            return count(st);
        }
    }

    private static long count(Statement st) throws Exception {
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM plan_event")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Every row of both views, times included, as one hash (the tables are too large to compare as maps). */
    private String fingerprint() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("""
                     SELECT (SELECT count(*) || ':' || md5(string_agg(clinic_id || '/' || athlete_id || '|' || version || '|'
                                 || view::text || '|' || updated_at::text, ',' ORDER BY clinic_id, athlete_id)) FROM plan_view)
                         || ' ' ||
                            (SELECT count(*) || ':' || md5(string_agg(clinic_id || '/' || adjustment_id || '|' || athlete_id
                                 || '|' || status || '|' || view::text || '|' || updated_at::text, ','
                                 ORDER BY clinic_id, adjustment_id)) FROM plan_adjustment_view)""")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
