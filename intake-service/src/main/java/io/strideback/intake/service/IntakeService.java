package io.strideback.intake.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.strideback.events.EventEnvelope;
import io.strideback.events.EventType;
import io.strideback.intake.store.AthleteRegistry;
import io.strideback.intake.store.IdempotencyStore;
import io.strideback.intake.store.IdempotencyStore.FirstAnswer;
import io.strideback.intake.store.StoreUnavailableException;
import io.strideback.intake.messaging.ActivityPublisher;
import io.strideback.support.rest.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Accepts facts about athletes: one post is a batch of one, so single posts and wearable batches
 * share one path. Per item: tenant check, validation, idempotency, publication with acks=all.
 *
 * <p>Exactly once without a distributed transaction: a keyed item's event id is derived from
 * (clinic, key). Its first answer is recorded only after the broker acknowledged; a crash in
 * between leaves no record, the client retries, and the same ce_id is published again, which every
 * consumer drops as already processed.
 */
@ApplicationScoped
public class IntakeService {

    public static final String SOURCE = "/strideback/intake-service";

    /** One fact to accept; {@code parse} turns the body into event data or collects field errors. */
    public record Item(int index, String athleteId, EventType type, JsonNode body, String idempotencyKey,
                       boolean keyFromHeader, Parser parser) {
    }

    @FunctionalInterface
    public interface Parser {
        /** Event data, or a problem for this item. */
        Object parse(AthleteRegistry.EnrolledAthlete athlete, Instant now, String eventId);
    }

    public record ItemResult(int index, int status, String eventId, Problem problem) {
    }

    @Inject
    AthleteRegistry athletes;
    @Inject
    IdempotencyStore idempotency;
    @Inject
    ActivityPublisher publisher;
    @Inject
    MeterRegistry metrics;

    public List<ItemResult> accept(String clinicId, List<Item> items) {
        Instant now = Instant.now();
        ItemResult[] results = new ItemResult[items.size()];
        Map<String, FirstAnswer> firstAnswers;
        try {
            firstAnswers = idempotency.find(clinicId, items.stream().map(Item::idempotencyKey)
                    .filter(k -> k != null).distinct().toList());
        } catch (StoreUnavailableException e) {
            throw io.strideback.support.rest.ProblemException.unavailable("the intake store is unavailable; retry shortly", 5);
        }
        List<EventEnvelope<?>> toPublish = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        Map<String, Integer> keyInThisRequest = new HashMap<>();

        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            var athlete = item.athleteId() == null ? java.util.Optional.<AthleteRegistry.EnrolledAthlete>empty()
                    : athletes.find(clinicId, item.athleteId());
            if (athlete.isEmpty()) {
                results[i] = reject(item, Problem.of(404, "Not found", "athlete " + item.athleteId() + " was not found"),
                        "unknown_athlete");
                continue;
            }
            String hash = item.idempotencyKey() == null ? null : hash(item);
            if (item.idempotencyKey() != null) {
                FirstAnswer first = firstAnswers.get(item.idempotencyKey());
                if (first != null) {
                    results[i] = replay(item, first, hash);
                    continue;
                }
                Integer earlier = keyInThisRequest.get(item.idempotencyKey());
                if (earlier != null) {
                    // The same wearable activity twice in one batch: answer like the first.
                    results[i] = new ItemResult(item.index(), -1, null, null);
                    continue;
                }
            }
            String eventId = item.idempotencyKey() == null ? UUID.randomUUID().toString()
                    : UUID.nameUUIDFromBytes((clinicId + "|" + item.idempotencyKey()).getBytes(StandardCharsets.UTF_8)).toString();
            Object parsed = item.parser().parse(athlete.get(), now, eventId);
            if (parsed instanceof Problem problem) {
                results[i] = reject(item, problem, "invalid");
                continue;
            }
            Instant eventTime = eventTime(parsed, now);
            toPublish.add(new EventEnvelope<>(eventId, item.type(), SOURCE, eventTime, item.athleteId(), clinicId,
                    EventType.CURRENT_SCHEMA_VERSION, parsed));
            positions.add(i);
            if (item.idempotencyKey() != null) {
                keyInThisRequest.put(item.idempotencyKey(), i);
            }
        }

        List<Boolean> acked = toPublish.isEmpty() ? List.of() : publisher.publish(toPublish);
        Map<String, FirstAnswer> newAnswers = new LinkedHashMap<>();
        for (int p = 0; p < positions.size(); p++) {
            int i = positions.get(p);
            Item item = items.get(i);
            EventEnvelope<?> event = toPublish.get(p);
            if (acked.get(p)) {
                results[i] = new ItemResult(item.index(), 202, event.id(), null);
                metrics.counter("strideback.intake.accepted", "type", item.type().ceType()).increment();
                if (item.idempotencyKey() != null) {
                    newAnswers.put(item.idempotencyKey(), new FirstAnswer(hash(item), 202, event.id()));
                }
            } else {
                results[i] = reject(item, Problem.of(503, "Service unavailable",
                        "the event log did not acknowledge in time; retry with the same Idempotency-Key"), "broker_unavailable");
            }
        }
        for (int i = 0; i < results.length; i++) {
            if (results[i] != null && results[i].status() == -1) {
                ItemResult first = results[keyInThisRequest.get(items.get(i).idempotencyKey())];
                results[i] = new ItemResult(items.get(i).index(), first.status(), first.eventId(), first.problem());
            }
        }
        try {
            idempotency.record(clinicId, newAnswers);
        } catch (StoreUnavailableException e) {
            // The events are on the topic; a retry re-publishes the same ce_ids, which consumers drop.
        }
        return List.of(results);
    }

    private ItemResult replay(Item item, FirstAnswer first, String hash) {
        if (item.keyFromHeader() && !first.requestHash().equals(hash)) {
            return reject(item, Problem.of(422, "Idempotency-Key reused",
                    "this Idempotency-Key was first used with a different request"), "idempotency_conflict");
        }
        metrics.counter("strideback.intake.duplicates", "type", item.type().ceType()).increment();
        return new ItemResult(item.index(), first.status(), first.response(), null);
    }

    private ItemResult reject(Item item, Problem problem, String reason) {
        metrics.counter("strideback.intake.rejected", "type", item.type().ceType(), "reason", reason).increment();
        return new ItemResult(item.index(), problem.status(), null, problem);
    }

    private static Instant eventTime(Object data, Instant now) {
        if (data instanceof io.strideback.events.ActivityEvents.SessionLogged s) {
            return s.startedAt();
        }
        if (data instanceof io.strideback.events.ActivityEvents.SymptomReported s) {
            return s.observedAt();
        }
        if (data instanceof io.strideback.events.ActivityEvents.AssessmentRecorded a) {
            return a.recordedAt();
        }
        return now;
    }

    private static String hash(Item item) {
        return requestHash(item.type().ceType() + "|" + item.athleteId(), item.body());
    }

    /** What "the same request" means for an idempotency key: same kind, same target, same body. */
    static String requestHash(String what, JsonNode body) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((what + "|").getBytes(StandardCharsets.UTF_8));
            sha.update(String.valueOf(body).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
