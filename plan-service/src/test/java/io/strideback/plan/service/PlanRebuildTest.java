package io.strideback.plan.service;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.strideback.events.ActivityEvents.AthleteEnrolled;
import io.strideback.events.EventCodec;
import io.strideback.events.EventEnvelope;
import io.strideback.events.EventType;
import io.strideback.events.FindingEvents.AdjustmentProposed;
import io.strideback.events.vocabulary.AdjustmentType;
import io.strideback.events.vocabulary.Diagnosis;
import io.strideback.events.vocabulary.PatternKind;
import io.strideback.events.vocabulary.Side;
import io.strideback.plan.domain.Adjustment;
import io.strideback.plan.domain.ApplyAdjustment;
import io.strideback.plan.domain.ApproveAdjustment;
import io.strideback.plan.domain.ClinicPolicy;
import io.strideback.plan.domain.CreatePlan;
import io.strideback.plan.domain.RehabPlan;
import io.strideback.plan.domain.RejectAdjustment;
import io.strideback.plan.mapping.PlanView;
import io.strideback.plan.store.FreshPlanViews;
import io.strideback.plan.store.PlanEventStore;
import io.strideback.plan.store.PlanSideTables;
import io.strideback.support.rest.ViewJson;
import io.strideback.testing.KafkaResource;
import io.strideback.testing.LocalKeysResource;
import io.strideback.testing.PostgresResource;
import io.strideback.testing.Tokens;
import io.strideback.testing.TopicRecords;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Issue 15 item 3: the rebuild streams the event store into fresh tables in chunks and swaps them in.
 * It gives back exactly what the live consumers wrote (views, adjustments, their times); the live
 * consumers keep committing while it runs, and nothing they append meanwhile is lost.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "plan"))
@QuarkusTestResource(LocalKeysResource.class)
class PlanRebuildTest {

    private static final Instant ENROLLED = Instant.now().minus(Duration.ofDays(3));
    private static final String MONITOR = "/strideback/load-monitor-service";

    @Inject
    AgroalDataSource dataSource;
    @Inject
    PlanEventStore store;
    @Inject
    PlanService plans;
    @Inject
    PlanRebuild rebuild;
    @Inject
    PlanSideTables side;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void a_rebuild_of_many_plans_across_many_chunks_gives_back_the_live_projection() throws Exception {
        String auto = "rebuild-auto-" + UUID.randomUUID();
        String review = "rebuild-review-" + UUID.randomUUID();
        side.setPolicy(review, ClinicPolicy.REVIEW);
        for (String clinic : List.of(auto, review)) {
            for (int i = 0; i < 150; i++) {
                livePlan(clinic, String.format("a-%03d", i), i % 4, clinic.equals(review));
            }
        }
        Map<String, String> plansBefore = liveViews(auto, review);
        Map<String, String> adjustmentsBefore = liveAdjustments(auto, review);
        assertThat(plansBefore).hasSize(300);
        assertThat(adjustmentsBefore.values()).anyMatch(a -> a.contains("|PENDING|"))
                .anyMatch(a -> a.contains("|APPLIED|")).anyMatch(a -> a.contains("|REJECTED|"));

        List<String> indexesBefore = indexNames();
        List<Integer> chunks = new ArrayList<>();
        PlanRebuild.Result result = rebuild.rebuildAll(40, (p, e) -> chunks.add(p));

        assertThat(chunks).as("committed in chunks").hasSizeGreaterThan(7);
        assertThat(result.plans()).isGreaterThanOrEqualTo(300);
        assertThat(result.events()).isGreaterThanOrEqualTo(300 + 300 / 4 * 6);
        assertThat(liveViews(auto, review)).isEqualTo(plansBefore);
        assertThat(liveAdjustments(auto, review)).isEqualTo(adjustmentsBefore);
        assertNoFreshTablesLeft();
        // The swap renamed the fresh indexes after the live ones: migrations that name them keep working.
        assertThat(indexNames()).isEqualTo(indexesBefore).contains("plan_view_pkey", "plan_adjustment_view_status");
        // Planner statistics of the keys came with the swapped-in tables (a small sample: FreshPlanViews.finishLoading).
        assertThat(analyzedColumns()).contains("plan_adjustment_view.adjustment_id",
                "plan_adjustment_view.athlete_id", "plan_adjustment_view.clinic_id", "plan_adjustment_view.status",
                "plan_view.athlete_id", "plan_view.clinic_id", "plan_view.version");
        // V26: each plan in PROTECT says since when beside its view (the plan's clock reads that), the others nothing.
        assertThat(rows("SELECT clinic_id || '/' || athlete_id, coalesce(protect_since::text, '-') || '|' || coalesce("
                + "CASE WHEN view->>'phase' = 'PROTECT' THEN (view->>'phaseSince')::timestamptz::text END, '-')"
                + " FROM plan_view WHERE clinic_id = ANY (?)", auto, review).values())
                .hasSize(300).allMatch(r -> r.split("\\|")[0].equals(r.split("\\|")[1]))
                .anyMatch(r -> !r.startsWith("-"));
        // V25: a plan's view is stored uncompressed (no pglz on every upsert), and the swap keeps it so.
        assertThat(viewStorage()).as("plan_view.view's storage after the rebuild").isEqualTo("e");
    }

    @Test
    void a_consumer_commits_while_a_rebuild_runs_and_nothing_appended_meanwhile_is_lost() throws Exception {
        String clinic = "rebuild-live-" + UUID.randomUUID();
        for (int i = 0; i < 120; i++) {
            livePlan(clinic, String.format("a-%03d", i), 0, false);
        }
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            // A live view that says the wrong thing, and one that is missing: the rebuild mends both.
            st.execute("UPDATE plan_view SET view = '{\"wrong\": true}' WHERE clinic_id = '" + clinic + "' AND athlete_id = 'a-005'");
            st.execute("DELETE FROM plan_view WHERE clinic_id = '" + clinic + "' AND athlete_id = 'a-006'");
        }
        CountDownLatch midway = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<PlanRebuild.Result> running = CompletableFuture.supplyAsync(() -> {
            try {
                return rebuild.rebuildAll(10, (p, e) -> {
                    if (midway.getCount() > 0) {
                        midway.countDown();
                        // Held here with its scan's transaction open and the fresh tables half full.
                        try {
                            release.await(120, TimeUnit.SECONDS);
                        } catch (InterruptedException interrupted) {
                            Thread.currentThread().interrupt();
                        }
                    }
                });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            assertThat(midway.await(60, TimeUnit.SECONDS)).as("rebuild reached its first chunk").isTrue();

            // Through the real consumers on the broker: a cap for a plan the scan has passed, one for a plan it
            // has not reached (its snapshot predates both), and an enrolment of a plan it has never seen.
            String clinician = Tokens.issue(clinic, "clinician");
            propose(clinic, "a-000", "cap-early-" + UUID.randomUUID(), 3.0);
            propose(clinic, "a-119", "cap-late-" + UUID.randomUUID(), 2.5);
            Instant now = Instant.now();
            TopicRecords.send(bootstrap, EventCodec.toRecord(EventEnvelope.of(EventType.ATHLETE_ENROLLED, "/test", now,
                    clinic, "a-new", new AthleteEnrolled("a-new", clinic, "Ada Runner", Diagnosis.CALF_STRAIN_SOLEUS,
                            Side.RIGHT, LocalDate.now().minusDays(10), 4.0, now, "Europe/Oslo"))));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(given().auth().oauth2(clinician).get("/api/v1/athletes/a-000/plan").then().statusCode(200)
                        .extract().path("constraints.maxDistanceKm").toString()).isEqualTo("3.0");
                assertThat(given().auth().oauth2(clinician).get("/api/v1/athletes/a-119/plan").then().statusCode(200)
                        .extract().path("constraints.maxDistanceKm").toString()).isEqualTo("2.5");
                given().auth().oauth2(clinician).get("/api/v1/athletes/a-new/plan").then().statusCode(200);
            });
            assertThat(running).as("the consumers committed while the rebuild was still running").isNotDone();

            // One rebuild at a time.
            assertThatThrownBy(() -> rebuild.rebuildAll()).isInstanceOf(PlanRebuild.AlreadyRunning.class);
            given().auth().oauth2(Tokens.issue("ops", "ops")).post("/api/v1/admin/rebuild-plans").then().statusCode(409);
        } finally {
            release.countDown();
        }
        PlanRebuild.Result result = running.get(120, TimeUnit.SECONDS);

        assertThat(result.caughtUp()).as("plans folded again after the scan").isGreaterThanOrEqualTo(3);
        Map<String, String> views = liveViews(clinic);
        assertThat(views).hasSize(121);
        for (int i = 0; i < 120; i++) {
            assertThat(views.get(clinic + "/" + String.format("a-%03d", i))).startsWith(foldedView(clinic, String.format("a-%03d", i)));
        }
        assertThat(views.get(clinic + "/a-new")).startsWith(foldedView(clinic, "a-new"));
        assertThat(views.get(clinic + "/a-119")).contains("\"maxDistanceKm\":2.5");
        // Each plan's adjustments in the approval queue are its view's.
        Map<String, String> adjustments = liveAdjustments(clinic);
        assertThat(adjustments).hasSize(2);
        assertNoFreshTablesLeft();
    }

    /**
     * h1 round 20: figure 6's warm pass waited 1-3 s in its swap for autovacuum, which vacuums the tables the last
     * rebuild swapped in. The server cancels an autovacuum worker only for a waiter still waiting at its
     * deadlock_timeout, and a lock timeout equal to it (both 1 s) gave up first every time, so the swap retried until
     * the worker was done. Here a worker is slowed down on the live views (its cost delay) and the swap's lock must be
     * had at the first attempt.
     */
    @Test
    void the_swap_does_not_wait_for_autovacuum_on_the_live_tables() throws Exception {
        String clinic = "rebuild-vacuum-" + UUID.randomUUID();
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            slowAutovacuumSoon(st, "plan_view");
            try {
                for (int i = 0; i < 60; i++) {
                    livePlan(clinic, String.format("a-%03d", i), 0, false);
                }
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                        .until(() -> vacuuming(st, "plan_view") > 0);

                try (Connection swap = dataSource.getConnection()) {
                    swap.setAutoCommit(false);
                    assertThat(new FreshPlanViews(swap).lockLive(1_000)).as("the live tables locked at the first attempt")
                            .isTrue();
                    swap.rollback();
                }
            } finally {
                autovacuumAsEver(st);
                st.execute("ALTER TABLE plan_view RESET (autovacuum_vacuum_insert_threshold,"
                        + " autovacuum_vacuum_insert_scale_factor, autovacuum_vacuum_cost_delay, autovacuum_vacuum_cost_limit)");
            }
        }
    }

    /**
     * Review of round 20: the fresh tables are filled and committed before the catch-up, so autovacuum comes to them
     * too, and the swap renames them: the swap's lock takes them as well, at its first attempt, instead of the rename
     * waiting for the worker with the live tables held.
     */
    @Test
    void the_swap_does_not_wait_for_autovacuum_on_the_fresh_tables() throws Exception {
        String clinic = "rebuild-vacuum-next-" + UUID.randomUUID();
        for (int i = 0; i < 60; i++) {
            livePlan(clinic, String.format("a-%03d", i), 0, false);
        }
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            new FreshPlanViews(c).create();
            st.execute("INSERT INTO plan_view_next SELECT * FROM plan_view");
            slowAutovacuumSoon(st, "plan_view_next");
            try {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                        .until(() -> vacuuming(st, "plan_view_next") > 0);

                try (Connection swap = dataSource.getConnection()) {
                    swap.setAutoCommit(false);
                    assertThat(new FreshPlanViews(swap).lockLive(1_000)).as("the tables locked at the first attempt")
                            .isTrue();
                    try (Statement held = swap.createStatement(); ResultSet rs = held.executeQuery("SELECT count(*)"
                            + " FROM pg_locks WHERE pid = pg_backend_pid() AND granted AND mode = 'AccessExclusiveLock'"
                            + " AND relation IN ('plan_view_next'::regclass, 'plan_adjustment_view_next'::regclass)")) {
                        rs.next();
                        assertThat(rs.getInt(1)).as("the fresh tables held for the rename").isEqualTo(2);
                    }
                    swap.rollback();
                }
            } finally {
                autovacuumAsEver(st);
                st.execute("DROP TABLE IF EXISTS plan_view_next, plan_adjustment_view_next");
            }
        }
    }

    /** Autovacuum comes to {@code table} within a second of a row inserted, and crawls through it (its cost delay). */
    private static void slowAutovacuumSoon(Statement st, String table) throws Exception {
        st.execute("ALTER TABLE " + table + " SET (autovacuum_vacuum_insert_threshold = 1,"
                + " autovacuum_vacuum_insert_scale_factor = 0, autovacuum_vacuum_cost_delay = 100,"
                + " autovacuum_vacuum_cost_limit = 1)");
        st.execute("ALTER SYSTEM SET autovacuum_naptime = 1");
        st.execute("SELECT pg_reload_conf()");
    }

    private static void autovacuumAsEver(Statement st) throws Exception {
        st.execute("ALTER SYSTEM RESET autovacuum_naptime");
        st.execute("SELECT pg_reload_conf()");
    }

    private static int vacuuming(Statement st, String table) throws Exception {
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'"
                + " AND query LIKE 'autovacuum: VACUUM%public." + table + "'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** A plan made through the live path: created, then {@code adjustments} proposals (some decided under REVIEW). */
    private void livePlan(String clinic, String athlete, int adjustments, boolean review) {
        plans.execute(clinic, athlete, (plan, policy) -> new CreatePlan(athlete, clinic, Diagnosis.CALF_STRAIN_SOLEUS,
                Side.LEFT, LocalDate.now().minusDays(20), 3.0, ENROLLED), null, null);
        for (int k = 0; k < adjustments; k++) {
            String id = athlete + "-cap-" + k;
            // Words COPY must carry as they are: its CSV delimiter and quote, a tab, line breaks, backslashes,
            // quotes, text beyond ASCII.
            Adjustment cap = new Adjustment(id, AdjustmentType.CAP_RUN_DISTANCE, PatternKind.RUNNING_TRIGGERED_DISTANCE,
                    "running-triggered-distance", Map.of("maxDistanceKm", 4.0 - k * 0.5), List.of("evt-" + id),
                    "Two flare-ups followed longer runs." + (k == 0 ? " \u001e\u001f\t\r\n \\ \"Åse\" 5 € \uD83C\uDFC3" : ""),
                    ENROLLED.plus(Duration.ofHours(k + 1)));
            Instant at = ENROLLED.plus(Duration.ofHours(k + 2));
            plans.execute(clinic, athlete, (plan, policy) -> new ApplyAdjustment(cap, policy, at), "msg-" + clinic + id, null);
            if (review && k == 1) {
                plans.execute(clinic, athlete, (plan, policy) -> new ApproveAdjustment(id, "dr-okafor", at.plusSeconds(60)),
                        null, null);
            }
            if (review && k == 2) {
                plans.execute(clinic, athlete, (plan, policy) -> new RejectAdjustment(id, "dr-okafor", "Not yet.",
                        at.plusSeconds(60)), null, null);
            }
        }
    }

    private void propose(String clinic, String athlete, String adjustmentId, double km) {
        Instant now = Instant.now();
        TopicRecords.send(bootstrap, EventCodec.toRecord(EventEnvelope.of(EventType.PLAN_ADJUSTMENT_PROPOSED, MONITOR, now,
                clinic, athlete, new AdjustmentProposed(adjustmentId, athlete, clinic, AdjustmentType.CAP_RUN_DISTANCE,
                        PatternKind.RUNNING_TRIGGERED_DISTANCE, "running-triggered-distance", Map.of("maxDistanceKm", km),
                        List.of("evt-1", "evt-2"), "Two flare-ups followed longer runs.", now))));
    }

    /** The view the plan's events fold to, as the live projection writes it (the json's text), with its version. */
    private String foldedView(String clinic, String athlete) throws Exception {
        PlanView view = PlanView.of(RehabPlan.fold(store.load(clinic, athlete, null).stream()
                .map(PlanEventStore.StoredEvent::event).toList()));
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT ?::json::text")) {
            ps.setString(1, ViewJson.write(view));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return view.version() + "|" + rs.getString(1) + "|";
            }
        }
    }

    /** clinic/athlete -> version|view|updated_at of the live plan views. */
    private Map<String, String> liveViews(String... clinics) throws Exception {
        return rows("SELECT clinic_id || '/' || athlete_id, version || '|' || view::text || '|' || updated_at::text"
                + " || '|' || coalesce(protect_since::text, '-') FROM plan_view WHERE clinic_id = ANY (?)", clinics);
    }

    /** clinic/adjustment -> athlete|status|view|updated_at of the approval queue's rows. */
    private Map<String, String> liveAdjustments(String... clinics) throws Exception {
        return rows("SELECT clinic_id || '/' || adjustment_id, athlete_id || '|' || status || '|' || view::text || '|'"
                + " || updated_at::text FROM plan_adjustment_view WHERE clinic_id = ANY (?)", clinics);
    }

    private Map<String, String> rows(String sql, String... clinics) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("text", clinics));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return out;
    }

    /** pg_attribute.attstorage of plan_view.view: 'e' external (uncompressed), 'x' extended (compressed). */
    private String viewStorage() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT attstorage::text FROM pg_attribute"
                     + " WHERE attrelid = 'plan_view'::regclass AND attname = 'view'")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private List<String> indexNames() throws Exception {
        List<String> names = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT indexname FROM pg_indexes WHERE tablename IN "
                     + "('plan_view', 'plan_adjustment_view') ORDER BY indexname")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    private List<String> analyzedColumns() throws Exception {
        List<String> columns = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT tablename || '.' || attname FROM pg_stats WHERE schemaname = current_schema()"
                     + " AND tablename IN ('plan_view', 'plan_adjustment_view') ORDER BY 1")) {
            while (rs.next()) {
                columns.add(rs.getString(1));
            }
        }
        return columns;
    }

    private void assertNoFreshTablesLeft() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_tables WHERE tablename LIKE '%\\_next'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("fresh tables left behind").isZero();
        }
    }
}
