package io.strideback.plan.service;

import io.quarkus.runtime.StartupEvent;
import io.strideback.events.vocabulary.AdjustmentType;
import io.strideback.events.vocabulary.Diagnosis;
import io.strideback.events.vocabulary.PatternKind;
import io.strideback.events.vocabulary.Phase;
import io.strideback.events.vocabulary.Side;
import io.strideback.plan.domain.Adjustment;
import io.strideback.plan.domain.ApplyAdjustment;
import io.strideback.plan.domain.ApproveAdjustment;
import io.strideback.plan.domain.Assessment;
import io.strideback.plan.domain.ChangePhase;
import io.strideback.plan.domain.ClinicPolicy;
import io.strideback.plan.domain.CreatePlan;
import io.strideback.plan.domain.PlanCommand;
import io.strideback.plan.domain.PlanEvent;
import io.strideback.plan.domain.PlanRuleViolation;
import io.strideback.plan.domain.RecordAssessment;
import io.strideback.plan.domain.RehabPlan;
import io.strideback.plan.domain.RejectAdjustment;
import io.strideback.plan.domain.WithdrawAdjustment;
import io.strideback.plan.store.PlanEventStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Issue 15 item 3: the first plan rebuild in a JVM compiled its own code as it ran (C2 took 2-2.5 core-seconds per
 * 100,000 events of the cold pass, which ran at three quarters of the warm one's rate). After startup, on a thread of
 * its own (readiness does not wait for it), the rebuild's pipeline runs once over synthetic plans, decided by the
 * domain from its commands as live plans are: the same scan, decode, fold, serialization and COPY code, into
 * temporary tables only ({@link PlanRebuild#warmUp}). Nothing is stored, published or changed; a failure is logged
 * and changes nothing either. {@code strideback.plan.rebuild.warm-up-events=0} turns it off, and off is the default:
 * measured on and off (h3, round 10; application.properties has the figures) it did not make the first rebuild
 * measurably faster on a settled store, and in the JFR of plan-service the methods it had C2-compiled at boot were
 * compiled again during the first rebuild (the live traffic in between had deoptimized them).
 */
@ApplicationScoped
public class RebuildWarmUp {

    private static final Logger LOG = Logger.getLogger(RebuildWarmUp.class);
    private static final String CLINIC = "strideback-rebuild-warm-up";
    private static final AdjustmentType[] TYPES = {AdjustmentType.CAP_RUN_DISTANCE, AdjustmentType.LIMIT_PROGRESSION,
            AdjustmentType.REDUCE_RUN_INTENSITY, AdjustmentType.ADD_RECOVERY_DAY_BEFORE_INTENSE,
            AdjustmentType.PAUSE_RUNNING, AdjustmentType.GAIT_RETRAINING, AdjustmentType.ADD_EXERCISE,
            AdjustmentType.CLINICIAN_REVIEW, AdjustmentType.RELAX_RUN_CAP};

    @Inject
    PlanRebuild rebuild;

    @ConfigProperty(name = "strideback.plan.rebuild.warm-up-events", defaultValue = "0")
    int events;

    private volatile Thread thread;

    void start(@Observes StartupEvent e) {
        if (events <= 0) {
            return;
        }
        Thread t = new Thread(this::run, "plan-rebuild-warm-up");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** Waits for the warm-up started at boot to end (tests). */
    void awaitDone(Duration atMost) throws InterruptedException {
        Thread t = thread;
        if (t != null) {
            t.join(atMost.toMillis());
        }
    }

    private void run() {
        var threads = ManagementFactory.getThreadMXBean();
        long cpuBefore = threads.getCurrentThreadCpuTime();
        try {
            PlanRebuild.WarmUp w = rebuild.warmUp(histories(events, Instant.now()));
            LOG.infof("plan rebuild warmed up: %d synthetic plans, %d events in %d ms (%d ms of this thread's CPU)",
                    w.plans(), w.events(), w.took().toMillis(), (threads.getCurrentThreadCpuTime() - cpuBefore) / 1_000_000);
        } catch (Exception | LinkageError ex) {
            // Only the first rebuild's speed depends on it.
            LOG.warnf("plan rebuild warm-up failed (a rebuild still works, its first run compiles as it goes): %s", ex);
        }
    }

    /**
     * At least {@code atLeast} events of synthetic plans, as the live path decides them: enrolments in every
     * diagnosis, monitor adjustments of each kind applied at once or queued for review, approvals, rejections,
     * withdrawals, assessments and phase changes.
     */
    static List<PlanEventStore.Append> histories(int atLeast, Instant now) {
        List<PlanEventStore.Append> out = new ArrayList<>();
        Diagnosis[] diagnoses = Diagnosis.values();
        long total = 0;
        for (int i = 0; total < atLeast; i++) {
            String athlete = String.format("warm-up-%06d", i);
            ClinicPolicy policy = i % 2 == 0 ? ClinicPolicy.AUTO_APPLY : ClinicPolicy.REVIEW;
            Instant enrolled = now.minus(Duration.ofDays(40 + i % 20));
            Plan p = new Plan();
            p.take(new CreatePlan(athlete, CLINIC, diagnoses[i % diagnoses.length], i % 3 == 0 ? Side.RIGHT : Side.LEFT,
                    LocalDate.ofInstant(enrolled, java.time.ZoneOffset.UTC).minusDays(5), i % 4 == 0 ? null : 3.0 + i % 5,
                    enrolled, i % 5 == 0 ? "Europe/Berlin" : null));
            for (int k = 0; k < 2 + i % 9; k++) {
                Instant at = enrolled.plus(Duration.ofHours(k * 24L + 2));
                String id = athlete + "-adj-" + k;
                AdjustmentType type = TYPES[(i + k) % TYPES.length];
                Adjustment a = new Adjustment(id, type, PatternKind.values()[(i + k) % 5], "warm-up-rule-" + k,
                        Map.of("maxDistanceKm", 4.0 - k * 0.3, "percent", 10 + k, "days", 1 + k % 3),
                        List.of("evt-" + id, "evt-2-" + id), "Two flare-ups followed longer runs (synthetic).",
                        at.minus(Duration.ofHours(1)));
                p.take(new ApplyAdjustment(a, policy, at));
                if (policy == ClinicPolicy.REVIEW && k % 3 == 1) {
                    p.take(new ApproveAdjustment(id, "warm-up-clinician", at.plusSeconds(60)));
                } else if (policy == ClinicPolicy.REVIEW && k % 3 == 2) {
                    p.take(new RejectAdjustment(id, "warm-up-clinician", "Not yet (synthetic).", at.plusSeconds(60)));
                } else if (k % 4 == 3) {
                    p.take(new WithdrawAdjustment(id, type, "A late event changed the findings (synthetic).",
                            at.plusSeconds(120)));
                }
                if (k % 2 == 0) {
                    p.take(new RecordAssessment(new Assessment("as-" + id, at.plusSeconds(3600), 20 + k, 22, 2, true,
                            k > 2, 1.2, null), at.plusSeconds(3600)));
                }
                if (k == 4) {
                    p.take(new ChangePhase(Phase.RESTORE_CAPACITY, "warm-up-clinician", "Moving on (synthetic).",
                            at.plusSeconds(7200), true));
                }
            }
            out.add(new PlanEventStore.Append(CLINIC, athlete, 0, p.events, "warm-up"));
            total += p.events.size();
        }
        return out;
    }

    /** A synthetic plan as the domain decides it, command after command (one the plan refuses is left out). */
    private static final class Plan {
        private RehabPlan plan = RehabPlan.empty();
        private final List<PlanEvent> events = new ArrayList<>();

        void take(PlanCommand command) {
            try {
                for (PlanEvent e : plan.decide(command)) {
                    plan = plan.apply(e);
                    events.add(e);
                }
            } catch (PlanRuleViolation refused) {
                // A rule of the domain said no (as it would to a live command): the plan goes on without it.
            }
        }
    }
}
