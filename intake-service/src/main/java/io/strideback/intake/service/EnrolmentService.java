package io.strideback.intake.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.strideback.events.ActivityEvents.AthleteEnrolled;
import io.strideback.events.EventEnvelope;
import io.strideback.events.EventType;
import io.strideback.intake.messaging.ActivityPublisher;
import io.strideback.intake.store.AthleteRegistry;
import io.strideback.intake.store.IdempotencyStore;
import io.strideback.intake.store.IdempotencyStore.FirstAnswer;
import io.strideback.intake.store.PersonalDataKeys;
import io.strideback.intake.domain.PersonalFields;
import io.strideback.support.rest.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * Enrols an athlete in the caller's clinic: the registry row and the {@code athlete.enrolled} event
 * succeed together. The row is written in a transaction that commits only after the broker
 * acknowledged; if it does not, the transaction rolls back and the answer is 503.
 */
@ApplicationScoped
public class EnrolmentService {

    @Inject
    AthleteRegistry athletes;
    @Inject
    IdempotencyStore idempotency;
    @Inject
    ActivityPublisher publisher;
    @Inject
    PersonalDataKeys dataKeys;

    /** @return the athlete id of the (first) enrolment */
    @Transactional
    public String enrol(String clinicId, JsonNode body, String idempotencyKey,
                        Function<String, AthleteEnrolled> parse) {
        String requestHash = IntakeService.requestHash(EventType.ATHLETE_ENROLLED.ceType(), body);
        if (idempotencyKey != null) {
            FirstAnswer first = idempotency.find(clinicId, List.of(idempotencyKey)).get(idempotencyKey);
            if (first != null) {
                if (!first.requestHash().equals(requestHash)) {
                    throw ProblemException.unprocessable("this Idempotency-Key was first used with a different request");
                }
                return first.response();
            }
        }
        AthleteEnrolled enrolled = parse.apply("ath-" + UUID.randomUUID().toString().substring(0, 13));
        if (dataKeys.find(clinicId, enrolled.athleteId()).map(PersonalDataKeys.DataKey::erased).orElse(false)) {
            // Issue 16: an erased athlete's id is never enrolled again (its tombstone is the key row).
            throw new ProblemException(io.strideback.support.rest.Problem.of(410, "Gone",
                    "athlete " + enrolled.athleteId() + " was erased by the clinic; enrol under a new id"));
        }
        if (!athletes.insert(enrolled)) {
            throw ProblemException.conflict("athlete " + enrolled.athleteId() + " is already enrolled in this clinic");
        }
        // One enrolment per athlete: the event id follows from the athlete, so a duplicate is recognisable.
        String eventId = UUID.nameUUIDFromBytes(("enrolled|" + clinicId + "|" + enrolled.athleteId())
                .getBytes(StandardCharsets.UTF_8)).toString();
        // Issue 16: the athlete's data key is born with the enrolment (same transaction), and the display name
        // leaves intake sealed with it.
        byte[] dataKey = dataKeys.create(clinicId, enrolled.athleteId());
        EventEnvelope<AthleteEnrolled> event = new EventEnvelope<>(eventId, EventType.ATHLETE_ENROLLED,
                IntakeService.SOURCE, Instant.now(), enrolled.athleteId(), clinicId, EventType.CURRENT_SCHEMA_VERSION,
                (AthleteEnrolled) PersonalFields.seal(enrolled, dataKey, enrolled.athleteId()));
        if (!publisher.publish(List.of(event)).get(0)) {
            throw ProblemException.unavailable("the event log did not acknowledge in time; retry", 5);
        }
        if (idempotencyKey != null) {
            idempotency.record(clinicId, enrolled.athleteId(), Map.of(idempotencyKey, new FirstAnswer(requestHash, 201, enrolled.athleteId())));
        }
        return enrolled.athleteId();
    }
}
