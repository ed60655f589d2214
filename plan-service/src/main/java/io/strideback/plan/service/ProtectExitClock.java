package io.strideback.plan.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.strideback.plan.domain.EndProtectIfDue;
import io.strideback.plan.domain.RehabPlan;
import io.strideback.plan.store.PlanProjection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The plan's own clock (DOMAIN.md "The plan": PROTECT moves to RESTORE_CAPACITY by itself after 7 days
 * with no flare-up in the last 72 h). No event arrives when a week has passed, so every few minutes the
 * plans in PROTECT for a week or more are asked {@link EndProtectIfDue}; the plan decides, and a plan
 * that is not due answers with no event. Replicas may tick at once: optimistic concurrency lets one
 * move the plan, and the other then finds it no longer in PROTECT.
 */
@ApplicationScoped
public class ProtectExitClock {

    private static final Logger LOG = Logger.getLogger(ProtectExitClock.class);

    @Inject
    PlanProjection projection;
    @Inject
    PlanService plans;
    @ConfigProperty(name = "strideback.plan.protect-exit-check", defaultValue = "PT5M")
    Duration every;

    private ScheduledExecutorService timer;

    void start(@Observes StartupEvent e) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "protect-exit-clock");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::tickQuietly, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent e) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /** One pass over the plans whose week in PROTECT may be over; answers how many moved on. */
    public int tick(Instant now) {
        int moved = 0;
        // The week is the athlete's calendar days (RehabPlan decides): across a daylight-saving change it may end an
        // hour before 7 x 24 h, so the look-up reaches an hour further.
        for (PlanProjection.PlanRef p : projection.inProtectSince(now.minus(RehabPlan.PROTECT_LASTS).plus(java.time.Duration.ofHours(1)))) {
            try {
                moved += plans.execute(p.clinicId(), p.athleteId(), (plan, policy) -> new EndProtectIfDue(now), null, null)
                        .events().size();
            } catch (RuntimeException ex) {
                // One plan that cannot be read now is asked again at the next tick; the others go on.
                LOG.warnf("PROTECT exit check for %s/%s failed: %s", p.clinicId(), p.athleteId(), ex.getMessage());
            }
        }
        return moved;
    }

    private void tickQuietly() {
        try {
            tick(Instant.now());
        } catch (RuntimeException ex) {
            LOG.warnf("PROTECT exit check failed: %s", ex.getMessage());
        }
    }
}
