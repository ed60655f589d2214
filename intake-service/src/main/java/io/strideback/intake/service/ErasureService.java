package io.strideback.intake.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.strideback.events.ActivityEvents.AthleteErased;
import io.strideback.events.EventEnvelope;
import io.strideback.events.EventType;
import io.strideback.intake.messaging.ActivityPublisher;
import io.strideback.intake.store.AthleteRegistry;
import io.strideback.intake.store.IdempotencyStore;
import io.strideback.intake.store.PersonalDataKeys;
import io.strideback.intake.store.PersonalDataKeys.DataKey;
import io.strideback.support.rest.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Erases an athlete (issue 16 item 3, GDPR art. 17, the clinic's duty) by crypto-shredding: in one transaction
 * the athlete's data key is destroyed (so every sealed name, note and source id on every topic is unreadable for
 * good), the athlete leaves the registry and intake's idempotency rows about them are deleted; then
 * {@code athlete.erased} is published (acks=all) so every reader drops what it holds. No erasure without its
 * event: one whose publication failed answers 503, and the retried DELETE, or the housekeeping job
 * ({@link #publishUnpublished}), publishes it under the same event id (readers drop the duplicate).
 */
@ApplicationScoped
public class ErasureService {

    private static final Logger LOG = Logger.getLogger(ErasureService.class);

    /** An erasure as answered: the athlete and when the clinic erased them. */
    public record Erasure(String athleteId, Instant erasedAt) {
    }

    @Inject
    PersonalDataKeys dataKeys;
    @Inject
    AthleteRegistry athletes;
    @Inject
    IdempotencyStore idempotency;
    @Inject
    ActivityPublisher publisher;

    /**
     * Erases the athlete of {@code clinicId}; a repeated erasure answers the first one (and publishes its event if
     * that is still owed). 404 when the clinic has no such athlete, 503 when the event log did not acknowledge.
     */
    public Erasure erase(String clinicId, String athleteId, String erasedBy) {
        DataKey erased;
        try {
            erased = QuarkusTransaction.requiringNew().call(() -> shred(clinicId, athleteId, erasedBy));
        } catch (io.quarkus.narayana.jta.QuarkusTransactionException e) {
            // Rolled back: a 404 (ProblemException) or a store failure reaches the caller as itself.
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        // After the commit too: a post on this instance that read the registry meanwhile must not cache it again.
        athletes.forget(clinicId, athleteId);
        dataKeys.evict(clinicId, athleteId);
        if (!erased.erasurePublished() && !publish(erased)) {
            throw ProblemException.unavailable("the athlete's data key is destroyed but the event log did not "
                    + "acknowledge athlete.erased in time; retry the DELETE", 5);
        }
        return new Erasure(athleteId, erased.erasedAt());
    }

    private DataKey shred(String clinicId, String athleteId, String erasedBy) {
        DataKey before = dataKeys.find(clinicId, athleteId).orElse(null);
        if (before != null && before.erased()) {
            return before; // erased already: the first erasure stands
        }
        if (!athletes.remove(clinicId, athleteId)) {
            throw ProblemException.notFound("athlete " + athleteId); // another clinic's, or nobody's
        }
        int keys = idempotency.forgetAthlete(clinicId, athleteId);
        DataKey erased = dataKeys.destroy(clinicId, athleteId, erasedBy);
        LOG.infof("erased athlete %s of clinic %s: data key destroyed, %d idempotency rows removed", athleteId,
                clinicId, keys);
        return erased;
    }

    /** Publishes athlete.erased for an erasure whose event is owed; true once the broker acknowledged it. */
    private boolean publish(DataKey erased) {
        // One erasure per athlete: its event id follows from the athlete, so a re-publication is a duplicate.
        String eventId = UUID.nameUUIDFromBytes(("erased|" + erased.clinicId() + "|" + erased.athleteId())
                .getBytes(StandardCharsets.UTF_8)).toString();
        EventEnvelope<AthleteErased> event = new EventEnvelope<>(eventId, EventType.ATHLETE_ERASED,
                IntakeService.SOURCE, erased.erasedAt(), erased.athleteId(), erased.clinicId(),
                EventType.CURRENT_SCHEMA_VERSION, new AthleteErased(erased.athleteId(), erased.clinicId(),
                erased.erasedAt(), erased.erasedBy()));
        if (!publisher.publish(List.of(event)).get(0)) {
            return false;
        }
        dataKeys.erasurePublished(erased.clinicId(), erased.athleteId());
        return true;
    }

    /**
     * Publishes the events of erasures a crash or a broker outage left owed (housekeeping, after a restart too);
     * the number published.
     */
    public int publishUnpublished() {
        int published = 0;
        for (DataKey owed : dataKeys.unpublishedErasures(100)) {
            if (publish(owed)) {
                published++;
            }
        }
        return published;
    }
}
