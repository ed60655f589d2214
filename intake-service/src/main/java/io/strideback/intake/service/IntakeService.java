package io.strideback.intake.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.strideback.events.EventEnvelope;
import io.strideback.events.EventType;
import io.strideback.events.Sha256;
import io.strideback.events.Topic;
import io.strideback.intake.store.AthleteRegistry;
import io.strideback.intake.store.IdempotencyStore;
import io.strideback.intake.store.IdempotencyStore.ClinicKey;
import io.strideback.intake.store.IdempotencyStore.FirstAnswer;
import io.strideback.intake.store.PersonalDataKeys;
import io.strideback.intake.domain.PersonalFields;
import io.strideback.intake.store.StoreUnavailableException;
import io.strideback.intake.messaging.ActivityPublisher;
import io.strideback.support.rest.FieldError;
import io.strideback.support.rest.Problem;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Accepts facts about athletes: one post is a batch of one, so single posts and wearable batches
 * share one path. Per item: tenant check, validation, idempotency, publication with acks=all.
 *
 * <p>Exactly once without a distributed transaction: a keyed item's event id is derived from
 * (clinic, key). Its key is claimed PENDING before publishing and marked answered only after the
 * broker acknowledged; a crash in between leaves the claim, the client retries, and the retry looks
 * on the topic before publishing the same ce_id again (which every consumer would drop anyway).
 *
 * <p>Without waiting in line (issue 15): a request is queued and its caller gets a stage, no thread
 * parked on it. One batcher thread takes every request queued meanwhile (the window is the previous
 * batch's round trip, so a lone request waits for nothing) and, for all of them at once, looks up
 * the athletes it does not know yet (one query) and claims and looks up every key (one statement,
 * {@link IdempotencyStore#claimOrFind}); it then sends the events and each request is answered from
 * its sends' callbacks: 202 only after acks=all. Marking the keys answered is batched by a second
 * thread, off the response path; until that commits, a retry in this process is answered from
 * memory ({@code answered}), and in another process it finds the claim PENDING and is told to retry.
 */
@ApplicationScoped
public class IntakeService {

    private static final Logger LOG = Logger.getLogger(IntakeService.class);

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
    PersonalDataKeys dataKeys;
    @Inject
    io.strideback.intake.retention.PendingKeys pendingKeys;
    @Inject
    MeterRegistry metrics;
    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "strideback.intake.publish-timeout", defaultValue = "PT5S")
    java.time.Duration publishTimeout;
    /** At most this many items in one batch (one claim statement); the rest wait for the next. */
    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "strideback.intake.batch.max-items", defaultValue = "2000")
    int batchMaxItems;
    /**
     * At most this many items wait for the batcher; a request that would not fit is answered 503 with
     * Retry-After at once ({@link WaitingLine}). About two seconds of the batcher's pace on two cores.
     */
    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "strideback.intake.batch.max-waiting", defaultValue = "4000")
    int maxWaiting;
    /**
     * The completer marks keys answered at most once per this interval, all the keys acknowledged
     * meanwhile in one UPDATE (issue 15: one statement and commit per acknowledgement burst cost
     * PostgreSQL and intake's pool per post). Until then a retry here is answered from memory and
     * elsewhere finds the claim PENDING and younger than the publish timeout, i.e. "retry shortly".
     */
    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "strideback.intake.complete-every", defaultValue = "PT0.05S")
    java.time.Duration completeEvery;

    private WaitingLine<Request> waiting;
    private final LinkedBlockingQueue<ClinicKey> toComplete = new LinkedBlockingQueue<>();
    /**
     * Keys whose events the broker acknowledged, by {@link IdempotencyStore#ref}: 0 while their
     * completion is not yet written, else the nanoTime after which the row answers for itself.
     */
    private final ConcurrentHashMap<String, Long> answered = new ConcurrentHashMap<>();
    private ExecutorService answers;
    private ExecutorService settling;
    private Thread batcher;
    private Thread completer;
    private volatile boolean running;

    void start(@Observes StartupEvent e) {
        waiting = new WaitingLine<>(maxWaiting, r -> r.items.size());
        metrics.gauge("strideback.intake.waiting", waiting, WaitingLine::items);
        running = true;
        // Answers leave the producer's I/O thread at once: that thread only sends and acknowledges.
        answers = Executors.newSingleThreadExecutor(daemon("intake-answers"));
        // Keys left PENDING by a crash are rare; settling one reads the topic, never on the batcher.
        settling = Executors.newFixedThreadPool(2, daemon("intake-settle"));
        batcher = daemon("intake-batcher").newThread(this::runBatcher);
        completer = daemon("intake-completer").newThread(this::runCompleter);
        batcher.start();
        completer.start();
    }

    void stop(@Observes ShutdownEvent e) throws InterruptedException {
        running = false;
        if (batcher == null) {
            return;
        }
        batcher.join(5_000);
        for (Request r; (r = waiting.poll()) != null; ) {
            r.fail(storeUnavailable());
        }
        completer.join(5_000);
        settling.shutdown();
        answers.shutdown();
        answers.awaitTermination(2, TimeUnit.SECONDS);
    }

    /** Blocking form of {@link #submit}, for a caller already on a worker thread (FIT upload). */
    public List<ItemResult> accept(String clinicId, List<Item> items) {
        try {
            return submit(clinicId, items).toCompletableFuture().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /**
     * Queues the items for the next batch; the stage completes with one result per item (in order)
     * once each is answered, or fails with a 503 {@code ProblemException} when the store is down.
     */
    public CompletionStage<List<ItemResult>> submit(String clinicId, List<Item> items) {
        if (items.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        Request request = new Request(clinicId, items);
        if (!running) {
            request.fail(storeUnavailable());
            return request.answer;
        }
        if (!waiting.offer(request)) {
            // Saturated: refused before anything was claimed or sent, so a retry is a first attempt.
            metrics.counter("strideback.intake.saturated").increment();
            request.fail(io.strideback.support.rest.ProblemException.unavailable(
                    "intake is saturated (" + maxWaiting + " items waiting); retry shortly", 1));
            return request.answer;
        }
        return request.answer;
    }

    /** One caller's items, answered when every item has its result. */
    private final class Request {
        final String clinicId;
        final List<Item> items;
        final AtomicReferenceArray<ItemResult> results;
        final AtomicInteger open;
        final CompletableFuture<List<ItemResult>> answer = new CompletableFuture<>();
        /** Each keyed item's request hash, else null. */
        final String[] hashes;

        Request(String clinicId, List<Item> items) {
            this.clinicId = clinicId;
            this.items = items;
            this.results = new AtomicReferenceArray<>(items.size());
            this.open = new AtomicInteger(items.size());
            // Hashed here, on the caller's thread: SHA-256 of the body was a fifth of the one batcher
            // thread's samples in issue 15's profile, and the callers are many threads.
            this.hashes = new String[items.size()];
            for (int i = 0; i < items.size(); i++) {
                if (items.get(i).idempotencyKey() != null) {
                    hashes[i] = hash(items.get(i));
                }
            }
        }

        void answer(int position, ItemResult result) {
            if (results.compareAndSet(position, null, result) && open.decrementAndGet() == 0) {
                List<ItemResult> all = new ArrayList<>(items.size());
                for (int i = 0; i < items.size(); i++) {
                    all.add(results.get(i));
                }
                answers.execute(() -> answer.complete(all));
            }
        }

        void fail(RuntimeException e) {
            answer.completeExceptionally(e);
        }
    }

    /** One item on its way: what the batch learnt about it, and the items that take its answer. */
    private static final class Work {
        final Request request;
        final int position;
        final Item item;
        /** Where the item stands among every item of the batch (the requests in turn, each in its items' order). */
        final int order;
        String ref;
        String hash;
        EventEnvelope<?> event;
        Problem invalid;
        final List<Work> followers = new ArrayList<>();

        Work(Request request, int position, Item item, int order) {
            this.request = request;
            this.position = position;
            this.item = item;
            this.order = order;
        }

        void answer(ItemResult result) {
            request.answer(position, result);
            for (Work f : followers) {
                f.request.answer(f.position, new ItemResult(f.item.index(), result.status(), result.eventId(),
                        result.problem()));
            }
        }
    }

    private void runBatcher() {
        List<Request> batch = new ArrayList<>();
        while (running) {
            try {
                Request first = waiting.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                int items = first.items.size();
                for (Request next; items < batchMaxItems && (next = waiting.poll()) != null; ) {
                    batch.add(next);
                    items += next.items.size();
                }
                process(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (StoreUnavailableException e) {
                batch.forEach(r -> r.fail(storeUnavailable()));
            } catch (RuntimeException e) {
                LOG.error("intake batch failed", e);
                batch.forEach(r -> r.fail(e));
            } finally {
                batch.clear();
            }
        }
    }

    /** Look-ups and claims for a whole batch in two round trips at most, then the sends. */
    private void process(List<Request> batch) {
        Instant now = Instant.now();
        List<Work> all = new ArrayList<>();
        List<AthleteRegistry.EnrolledAthlete> wanted = new ArrayList<>();
        for (Request r : batch) {
            for (int i = 0; i < r.items.size(); i++) {
                Item item = r.items.get(i);
                all.add(new Work(r, i, item, all.size()));
                if (item.athleteId() != null) {
                    wanted.add(new AthleteRegistry.EnrolledAthlete(r.clinicId, item.athleteId(), null));
                }
            }
        }
        Map<String, AthleteRegistry.EnrolledAthlete> enrolled = athletes.findAll(wanted);
        Map<String, PersonalDataKeys.DataKey> keys = dataKeys.forPosting(wanted, enrolled);

        List<Work> toSend = new ArrayList<>();
        List<Work> keyed = new ArrayList<>();
        List<IdempotencyStore.KeyClaim> claims = new ArrayList<>();
        Set<String> claimants = new HashSet<>();
        for (Work w : all) {
            Item item = w.item;
            String clinicId = w.request.clinicId;
            AthleteRegistry.EnrolledAthlete athlete = item.athleteId() == null ? null
                    : enrolled.get(clinicId + "/" + item.athleteId());
            PersonalDataKeys.DataKey key = item.athleteId() == null ? null
                    : keys.get(PersonalDataKeys.ref(clinicId, item.athleteId()));
            if (key != null && key.erased()) {
                // Issue 16: the clinic erased this athlete; nothing more is accepted for them.
                w.answer(reject(item, gone(item), "erased"));
                continue;
            }
            if (athlete == null || key == null) {
                w.answer(reject(item, Problem.of(404, "Not found", "athlete " + item.athleteId() + " was not found"),
                        "unknown_athlete"));
                continue;
            }
            String eventId = item.idempotencyKey() == null ? UUID.randomUUID().toString()
                    : UUID.nameUUIDFromBytes((clinicId + "|" + item.idempotencyKey()).getBytes(StandardCharsets.UTF_8)).toString();
            Object parsed = item.parser().parse(athlete, now, eventId);
            if (parsed instanceof Problem problem) {
                w.invalid = problem;
            } else {
                // Personal fields leave intake sealed with the athlete's key (crypto-shredding, issue 16). The
                // idempotency hash is of the posted body, so a re-post still matches its first answer.
                w.event = new EventEnvelope<>(eventId, item.type(), SOURCE, eventTime(parsed, now), item.athleteId(),
                        clinicId, EventType.CURRENT_SCHEMA_VERSION,
                        PersonalFields.seal(parsed, key.key(), item.athleteId()));
            }
            if (item.idempotencyKey() == null) {
                if (w.event == null) {
                    w.answer(reject(item, w.invalid, "invalid"));
                } else {
                    toSend.add(w);
                }
                continue;
            }
            w.hash = w.request.hashes[w.position];
            w.ref = IdempotencyStore.ref(clinicId, item.idempotencyKey());
            // Only the first valid item with a key claims it; an invalid one only looks it up (a
            // retry of an answered request replays its answer before its body is judged).
            boolean claim = w.event != null && claimants.add(w.ref);
            claims.add(new IdempotencyStore.KeyClaim(clinicId, item.idempotencyKey(), w.hash, eventId,
                    item.legacySourceKey(), claim, item.athleteId()));
            keyed.add(w);
        }
        IdempotencyStore.ClaimOutcome outcome = idempotency.claimOrFind(claims);

        Map<String, Work> leaders = new HashMap<>();
        List<Map.Entry<Work, FirstAnswer>> toSettle = new ArrayList<>();
        for (Work w : keyed) {
            Item item = w.item;
            FirstAnswer first = outcome.found().get(w.ref);
            FirstAnswer legacy = item.legacySourceKey() == null ? null
                    : outcome.found().get(IdempotencyStore.ref(w.request.clinicId, item.legacySourceKey()));
            if (first == null && legacy != null && !legacy.pending() && legacy.requestHash().equals(w.hash)) {
                // Accepted before keys were scoped: the same kind, athlete and body under this source id.
                w.answer(replay(item, legacy, w.hash));
                continue;
            }
            if (first != null && !first.pending()) {
                w.answer(replay(item, first, w.hash));
                continue;
            }
            Work leader = leaders.get(w.ref);
            if (leader != null) {
                // The same key twice in this batch (one wearable batch, or two requests at once):
                // answer like the first, unless the bodies differ (then one would be dropped: refuse).
                if (leader.hash.equals(w.hash)) {
                    leader.followers.add(w);
                } else {
                    w.answer(conflict(item));
                }
                continue;
            }
            if (first != null) {
                if (!first.requestHash().equals(w.hash)) {
                    w.answer(conflict(item));
                } else if (answered.containsKey(w.ref)) {
                    // Acknowledged by the broker, its completion not written yet: the first answer.
                    metrics.counter("strideback.intake.duplicates", "type", item.type().ceType()).increment();
                    w.answer(new ItemResult(item.index(), 202, first.response(), null));
                } else if (first.createdAt().isAfter(now.minus(publishTimeout).minusSeconds(2))) {
                    w.answer(inProgress(item)); // the first request may still be waiting for the broker
                } else {
                    leaders.put(w.ref, w);
                    toSettle.add(Map.entry(w, first));
                }
                continue;
            }
            if (w.event == null) {
                w.answer(reject(item, w.invalid, "invalid"));
            } else if (outcome.claimed().contains(w.ref)) {
                leaders.put(w.ref, w);
                toSend.add(w);
            } else {
                w.answer(inProgress(item)); // claimed meanwhile by a concurrent request: its to publish
            }
        }
        // Sent in the order posted: the items without a key were queued before the keyed ones' claims, which put a
        // watch's runs (keyed by their source id) behind the reports they explain, and the load monitor withdrew and
        // proposed again what it had concluded from the reports alone (round 18, the seed-000 demo).
        toSend.sort(Comparator.comparingInt(w -> w.order));
        for (Work w : toSend) {
            send(w);
        }
        for (Map.Entry<Work, FirstAnswer> s : toSettle) {
            settling.execute(() -> settleThenSend(s.getKey(), s.getValue()));
        }
    }

    private void settleThenSend(Work w, FirstAnswer first) {
        try {
            ItemResult settled = settlePending(w.request.clinicId, w.item, first, w.hash);
            if (settled != null) {
                w.answer(settled);
            } else if (w.event == null) {
                w.answer(reject(w.item, w.invalid, "invalid"));
            } else {
                send(w); // not on the topic: publish it again, same event id
            }
        } catch (RuntimeException e) {
            LOG.error("settling a pending key failed", e);
            w.answer(reject(w.item, Problem.of(503, "Service unavailable",
                    "the event log cannot be read to settle this " + keyName(w.item) + "; retry shortly"), "broker_unavailable"));
        }
    }

    private void send(Work w) {
        publisher.send(w.event, durable -> {
            Item item = w.item;
            if (durable) {
                if (w.ref != null) {
                    answered.put(w.ref, 0L); // before the answer leaves: a retry right after finds it
                    toComplete.add(new ClinicKey(w.request.clinicId, item.idempotencyKey()));
                }
                metrics.counter("strideback.intake.accepted", "type", item.type().ceType()).increment();
                w.answer(new ItemResult(item.index(), 202, w.event.id(), null));
            } else {
                // The claim stays PENDING: the retry looks on the topic for this event id first.
                w.answer(reject(item, Problem.of(503, "Service unavailable", "the event log did not acknowledge in time; "
                        + (item.idempotencyKey() != null ? "retry with the same " + keyName(item)
                        : "retry; without an Idempotency-Key or a source id the retry may be accepted twice")),
                        "broker_unavailable"));
            }
        });
    }

    /**
     * Marks acknowledged keys answered, many in one statement. A failure leaves them PENDING, which
     * is safe: their events are on the topic, and a retry or the settle job finds them there.
     */
    private void runCompleter() {
        List<ClinicKey> batch = new ArrayList<>();
        long nextForget = System.nanoTime();
        long nextUpdate = System.nanoTime();
        while (running || !toComplete.isEmpty() || !batch.isEmpty()) {
            try {
                ClinicKey first = batch.isEmpty() ? toComplete.poll(200, TimeUnit.MILLISECONDS) : null;
                if (first != null) {
                    batch.add(first);
                }
                long wait = nextUpdate - System.nanoTime();
                if (!batch.isEmpty() && wait > 0 && running) {
                    TimeUnit.NANOSECONDS.sleep(wait); // the keys acknowledged meanwhile join this UPDATE
                }
                toComplete.drainTo(batch, 5_000);
                if (!batch.isEmpty()) {
                    nextUpdate = System.nanoTime() + completeEvery.toNanos();
                    try {
                        idempotency.completeAll(batch);
                        long forgetAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                        batch.forEach(k -> answered.replace(IdempotencyStore.ref(k.clinicId(), k.key()), forgetAt));
                        batch.clear();
                    } catch (StoreUnavailableException e) {
                        if (!running) {
                            return; // left PENDING: settled from the topic later
                        }
                        Thread.sleep(1_000);
                    }
                }
                long nowNanos = System.nanoTime();
                if (nowNanos - nextForget > 0) {
                    // Forgotten a while after their rows say 202: a retry read the row PENDING just before.
                    answered.values().removeIf(at -> at != 0L && nowNanos - at > 0);
                    nextForget = nowNanos + TimeUnit.SECONDS.toNanos(1);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
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
                    "the event log cannot be read to settle this " + keyName(item) + "; retry shortly"), "broker_unavailable");
        }
    }

    /** CONTRACT v2: posts for an erased athlete answer 410 Gone. */
    private static Problem gone(Item item) {
        return Problem.of(410, "Gone", "athlete " + item.athleteId() + " was erased by the clinic");
    }

    private ItemResult inProgress(Item item) {
        return reject(item, Problem.of(503, "Service unavailable",
                "a request with this " + keyName(item) + " is still being processed; retry shortly"), "in_progress");
    }

    /**
     * What keys an item, as a 503's detail names it (round 21: a wearable's post keyed by its source id, a FIT file's
     * sessions and a batch's items were told to retry "with the same Idempotency-Key", a header they never sent).
     */
    static String keyName(Item item) {
        return item.keyFromHeader() ? "Idempotency-Key"
                : "source id (source.provider and source.externalId; for a FIT upload, the same file)";
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
        MessageDigest sha = Sha256.ofThisThread();
        sha.update(what.getBytes(StandardCharsets.UTF_8));
        sha.update(BAR);
        sha.update(String.valueOf(body).getBytes(StandardCharsets.UTF_8));
        return HEX.formatHex(sha.digest());
    }

    private static final byte[] BAR = {'|'};
    private static final HexFormat HEX = HexFormat.of();
}
