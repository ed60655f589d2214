package io.strideback.intake.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.strideback.events.EventEnvelope;
import io.strideback.events.EventType;
import io.strideback.events.Topic;
import io.strideback.intake.store.AthleteRegistry;
import io.strideback.intake.store.IdempotencyStore;
import io.strideback.intake.store.IdempotencyStore.FirstAnswer;
import io.strideback.intake.store.StoreUnavailableException;
import io.strideback.intake.messaging.ActivityPublisher;
import io.strideback.support.rest.FieldError;
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

    /**
     * One fact to accept; {@code parse} turns the body into event data or collects field errors.
     * {@code idempotencyKey} is the Idempotency-Key header ({@code keyFromHeader}) or the wearable's
     * source id scoped to the athlete and the kind; {@code legacySourceKey} the source id's key as
     * it was stored before that scoping (null for a header key).
     */
    public record Item(int index, String athleteId, EventType type, JsonNode body, String idempotencyKey,
                       boolean keyFromHeader, String legacySourceKey, Parser parser) {
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
    io.strideback.intake.retention.PendingKeys pendingKeys;
    @Inject
    MeterRegistry metrics;
    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "strideback.intake.publish-timeout", defaultValue = "PT5S")
    java.time.Duration publishTimeout;

    public List<ItemResult> accept(String clinicId, List<Item> items) {
        Instant now = Instant.now();
        ItemResult[] results = new ItemResult[items.size()];
        Map<String, FirstAnswer> firstAnswers;
        try {
            firstAnswers = idempotency.find(clinicId, items.stream()
                    .flatMap(item -> java.util.stream.Stream.of(item.idempotencyKey(), item.legacySourceKey()))
                    .filter(k -> k != null).distinct().toList());
        } catch (StoreUnavailableException e) {
            throw storeUnavailable();
        }
        List<EventEnvelope<?>> toPublish = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        Map<String, Integer> keyInThisRequest = new HashMap<>();
        Map<String, String> hashInThisRequest = new HashMap<>();
        java.util.Set<String> reclaimed = new java.util.HashSet<>();
        List<String> hashes = new ArrayList<>(); // aligned with positions: each request hash computed once

        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            java.util.Optional<AthleteRegistry.EnrolledAthlete> athlete;
            try {
                athlete = item.athleteId() == null ? java.util.Optional.empty() : athletes.find(clinicId, item.athleteId());
            } catch (StoreUnavailableException e) {
                throw storeUnavailable();
            }
            if (athlete.isEmpty()) {
                results[i] = reject(item, Problem.of(404, "Not found", "athlete " + item.athleteId() + " was not found"),
                        "unknown_athlete");
                continue;
            }
            String hash = item.idempotencyKey() == null ? null : hash(item);
            if (item.idempotencyKey() != null) {
                FirstAnswer first = firstAnswers.get(item.idempotencyKey());
                FirstAnswer legacy = item.legacySourceKey() == null ? null : firstAnswers.get(item.legacySourceKey());
                if (first == null && legacy != null && !legacy.pending() && legacy.requestHash().equals(hash)) {
                    // Accepted before keys were scoped: the same kind, athlete and body under this source id.
                    results[i] = replay(item, legacy, hash);
                    continue;
                }
                if (first != null && !first.pending()) {
                    results[i] = replay(item, first, hash);
                    continue;
                }
                if (first != null && !reclaimed.contains(item.idempotencyKey())) {
                    ItemResult settled = settlePending(clinicId, item, first, hash);
                    if (settled != null) {
                        results[i] = settled;
                        continue;
                    }
                    reclaimed.add(item.idempotencyKey()); // not on the topic: publish it again, same event id
                }
                Integer earlier = keyInThisRequest.get(item.idempotencyKey());
                if (earlier != null) {
                    // The same wearable activity twice in one batch: answer like the first, unless
                    // the two bodies differ (then one of them would be dropped: refuse the second).
                    results[i] = hash.equals(hashInThisRequest.get(item.idempotencyKey()))
                            ? new ItemResult(item.index(), -1, null, null) : conflict(item);
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
            hashes.add(hash);
            if (item.idempotencyKey() != null) {
                keyInThisRequest.put(item.idempotencyKey(), i);
                hashInThisRequest.put(item.idempotencyKey(), hash);
            }
        }

        // Claim the new keys before publishing (see IdempotencyStore#claim); a key a concurrent request
        // claimed meanwhile is that request's to publish.
        Map<String, FirstAnswer> claims = new LinkedHashMap<>();
        for (int p = 0; p < positions.size(); p++) {
            Item item = items.get(positions.get(p));
            if (item.idempotencyKey() != null && !reclaimed.contains(item.idempotencyKey())) {
                claims.put(item.idempotencyKey(), new FirstAnswer(hashes.get(p), IdempotencyStore.PENDING,
                        toPublish.get(p).id()));
            }
        }
        java.util.Set<String> claimed;
        try {
            claimed = idempotency.claim(clinicId, claims);
        } catch (StoreUnavailableException e) {
            throw storeUnavailable();
        }
        for (int p = positions.size() - 1; p >= 0; p--) {
            Item item = items.get(positions.get(p));
            if (claims.containsKey(item.idempotencyKey()) && !claimed.contains(item.idempotencyKey())) {
                results[positions.get(p)] = inProgress(item);
                positions.remove(p);
                toPublish.remove(p);
            }
        }

        List<Boolean> acked = toPublish.isEmpty() ? List.of() : publisher.publish(toPublish);
        List<String> durable = new ArrayList<>();
        for (int p = 0; p < positions.size(); p++) {
            int i = positions.get(p);
            Item item = items.get(i);
            EventEnvelope<?> event = toPublish.get(p);
            if (acked.get(p)) {
                results[i] = new ItemResult(item.index(), 202, event.id(), null);
                metrics.counter("strideback.intake.accepted", "type", item.type().ceType()).increment();
                if (item.idempotencyKey() != null) {
                    durable.add(item.idempotencyKey());
                }
            } else {
                // The claim stays PENDING: the retry looks on the topic for this event id first.
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
            idempotency.complete(clinicId, durable);
        } catch (StoreUnavailableException e) {
            // The events are on the topic and their keys PENDING: a retry finds them there.
        }
        return List.of(results);
    }

    /**
     * A key whose earlier request claimed it and never finished (it crashed, or the broker did not
     * answer in time): the answer if it can be given now, or null when the event is not on the topic
     * and should be published again under its id.
     */
    private ItemResult settlePending(String clinicId, Item item, FirstAnswer first, String hash) {
        if (!first.requestHash().equals(hash)) {
            return conflict(item); // the key was first used with another body
        }
        if (first.createdAt().isAfter(Instant.now().minus(publishTimeout).minusSeconds(2))) {
            return inProgress(item); // the first request may still be waiting for the broker
        }
        try {
            // Settled once (issue 12): reads only the records written around the claim, however old.
            switch (pendingKeys.settleForRetry(clinicId, item.idempotencyKey(), first,
                    Topic.key(clinicId, item.athleteId()))) {
                case ON_TOPIC -> {
                    metrics.counter("strideback.intake.duplicates", "type", item.type().ceType()).increment();
                    return new ItemResult(item.index(), 202, first.response(), null);
                }
                case RECLAIMED -> {
                    return null;
                }
                default -> {
                    return inProgress(item); // a concurrent retry or the settle job took the key first
                }
            }
        } catch (IllegalStateException | StoreUnavailableException | org.apache.kafka.common.KafkaException e) {
            return reject(item, Problem.of(503, "Service unavailable",
                    "the event log cannot be read to settle this Idempotency-Key; retry shortly"), "broker_unavailable");
        }
    }

    private ItemResult inProgress(Item item) {
        return reject(item, Problem.of(503, "Service unavailable",
                "a request with this Idempotency-Key is still being processed; retry shortly"), "in_progress");
    }

    private ItemResult replay(Item item, FirstAnswer first, String hash) {
        if (!first.requestHash().equals(hash)) {
            return conflict(item);
        }
        metrics.counter("strideback.intake.duplicates", "type", item.type().ceType()).increment();
        return new ItemResult(item.index(), first.status(), first.response(), null);
    }

    /**
     * A key first used with another request: 422, never the first answer, which would drop this
     * event without a word. A wearable's source id names one event of one kind for one athlete
     * (issue 12), so a changed body under it is a conflict just as under an Idempotency-Key.
     */
    private ItemResult conflict(Item item) {
        Problem problem = item.keyFromHeader()
                ? Problem.of(422, "Idempotency-Key reused",
                "this Idempotency-Key was first used with a different request",
                List.of(new FieldError("Idempotency-Key", "was first used with a different request")))
                : Problem.of(422, "Source id reused",
                "this source.provider + source.externalId was first used for this athlete with a different "
                        + item.type().ceType() + " body",
                List.of(new FieldError("source.externalId", "was first used with a different body")));
        return reject(item, problem, "idempotency_conflict");
    }

    private static io.strideback.support.rest.ProblemException storeUnavailable() {
        return io.strideback.support.rest.ProblemException.unavailable("the intake store is unavailable; retry shortly", 5);
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
    public static String requestHash(String what, JsonNode body) {
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
