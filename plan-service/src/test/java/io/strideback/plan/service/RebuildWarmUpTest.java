package io.strideback.plan.service;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.strideback.plan.domain.AdjustmentApplied;
import io.strideback.plan.domain.AdjustmentPending;
import io.strideback.plan.domain.AdjustmentRejected;
import io.strideback.plan.domain.AdjustmentWithdrawn;
import io.strideback.plan.domain.AssessmentNoted;
import io.strideback.plan.domain.PhaseChanged;
import io.strideback.plan.domain.PlanCreated;
import io.strideback.plan.store.PlanEventStore;
import io.strideback.testing.KafkaResource;
import io.strideback.testing.LocalKeysResource;
import io.strideback.testing.PostgresResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15 item 3: the rebuild's warm-up runs the rebuild's own pipeline over synthetic plans of every kind of event,
 * and leaves nothing behind: no event, no view, no table.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "plan"))
@QuarkusTestResource(LocalKeysResource.class)
class RebuildWarmUpTest {

    @Inject
    AgroalDataSource dataSource;
    @Inject
    PlanRebuild rebuild;
    @Inject
    RebuildWarmUp warmUp;

    @Test
    void the_synthetic_plans_hold_every_kind_of_event_the_fold_takes() {
        List<PlanEventStore.Append> histories = RebuildWarmUp.histories(3_000, Instant.now());
        Set<Class<?>> kinds = histories.stream().flatMap(a -> a.events().stream()).map(Object::getClass)
                .collect(Collectors.toSet());
        assertThat(kinds).contains(PlanCreated.class, AdjustmentApplied.class, AdjustmentPending.class,
                AdjustmentRejected.class, AdjustmentWithdrawn.class, AssessmentNoted.class, PhaseChanged.class);
        assertThat(histories.stream().mapToLong(a -> a.events().size()).sum()).isGreaterThanOrEqualTo(3_000);
    }

    @Test
    void a_warm_up_folds_every_synthetic_event_and_leaves_nothing_behind() throws Exception {
        warmUp.awaitDone(Duration.ofMinutes(2)); // the one started at boot
        String before = stored();
        List<PlanEventStore.Append> histories = RebuildWarmUp.histories(3_000, Instant.now());

        PlanRebuild.WarmUp w = rebuild.warmUp(histories);

        assertThat(w.plans()).isEqualTo(histories.size());
        assertThat(w.events()).isEqualTo(histories.stream().mapToLong(a -> a.events().size()).sum());
        assertThat(stored()).isEqualTo(before);
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_class WHERE relname LIKE 'plan\\_rebuild\\_warm\\_up%'")) {
            rs.next();
            assertThat(rs.getLong(1)).as("the warm-up's temporary tables, dropped").isZero();
        }
    }

    /** The rows of the store and the projection, counted, and the tables of the plan schema. */
    private String stored() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("""
                SELECT (SELECT count(*) FROM plan_event) || '/' || (SELECT count(*) FROM plan_view) || '/'
                    || (SELECT count(*) FROM plan_adjustment_view) || '/'
                    || (SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class
                        WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace)""")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
