package io.strideback.loadmonitor.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.strideback.events.ActivityEvents.AthleteEnrolled;
import io.strideback.events.ActivityEvents.SessionLogged;
import io.strideback.events.ActivityEvents.SymptomReported;
import io.strideback.events.EventCodec;
import io.strideback.events.EventEnvelope;
import io.strideback.events.EventType;
import io.strideback.events.FindingEvents.*;
import io.strideback.events.vocabulary.FlareUpClassification;
import io.strideback.loadmonitor.domain.*;
import io.strideback.loadmonitor.mapping.FindingsMapping;
import io.strideback.loadmonitor.store.LoadMonitorStore;
import io.strideback.support.messaging.Failures;
import io.strideback.support.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.transaction.Transactional;
import io.micrometer.core.instrument.Gauge;
import io.strideback.loadmonitor.state.CompactTimeline;
import io.strideback.loadmonitor.state.TimelineCache;
import io.strideback.support.rest.ViewJson;
import jakarta.annotation.PostConstruct;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * Activity in, findings out. A poll batch of events is stored in one transaction; then every athlete
 * it touched is analysed: the rules re-run on the athlete's whole timeline (they are a pure function
 * of the set of events, so arrival order does not matter), and only what is new is announced through
 * the outbox: a new episode, a changed classification, a new pattern, a proposal never made before.
 *
 * <p>Timelines are held in heap ({@link TimelineCache}, packed as {@link CompactTimeline}) and
 * updated with each stored batch; PostgreSQL stays the record they are read back from after a
 * restart, an eviction or a failure.
 */
@ApplicationScoped
public class FindingsTransaction {

    private static final Logger LOG = Logger.getLogger(FindingsTransaction.class);
    public static final String SOURCE = "/strideback/load-monitor-service";
    /** Athletes analysed per transaction: one commit for many, small enough to keep a retry cheap. */
    private static final int ANALYSES_PER_TRANSACTION = 100;

    /** An event as it arrived, with its data's JSON as stored (the record's own bytes when current). */
    public record Arrived(EventEnvelope<?> event, String dataJson) {
    }

    @Inject
    LoadMonitorStore store;
    @Inject
    MeterRegistry metrics;
    @ConfigProperty(name = "strideback.load-monitor.timeline-cache-mib", defaultValue = "64")
    int cacheMib;

    private TimelineCache cache;

    @PostConstruct
    void init() {
        cache = new TimelineCache(cacheMib * 1024L * 1024L);
        Gauge.builder("strideback.timelines.cached", this, f -> f.cache.size())
                .description("athletes whose timeline the load monitor holds in heap").register(metrics);
        Gauge.builder("strideback.timelines.cached.bytes", this, f -> f.cache.bytes())
                .description("heap held by the cached timelines (estimate)").register(metrics);
        // Issue 16: the counts run at most every 15 s, whatever the scrape rate.
        Gauge.builder("strideback.analysis.backlog", io.strideback.support.metrics.CachedCount.of(
                        store::athletesToAnalyseCount, java.time.Duration.ofSeconds(15)),
                        io.strideback.support.metrics.CachedCount::get)
                .description("athletes with stored events not yet analysed").register(metrics);
        Gauge.builder("strideback.analysis.failed.athletes", io.strideback.support.metrics.CachedCount.of(
                        store::analysisFailureCount, java.time.Duration.ofSeconds(15)),
                        io.strideback.support.metrics.CachedCount::get)
                .description("athletes whose last analysis failed for good (table analysis_failure)").register(metrics);
    }

    /**
     * Stores a poll batch of activity events and marks their athletes for analysis, in one
     * transaction (one commit for up to 500 events). A redelivered event (same id) stores and marks
     * nothing.
     *
     * @return the sessions and symptoms stored for the first time
     */
    @Transactional(rollbackOn = Exception.class)
    public List<EventEnvelope<?>> remember(List<Arrived> batch) throws SQLException {
        List<EventEnvelope<?>> activities = new ArrayList<>();
        List<LoadMonitorStore.Activity> rows = new ArrayList<>();
        try (Connection c = store.connection()) {
            for (Arrived arrived : batch) {
                EventEnvelope<?> event = arrived.event();
                Object data = event.data();
                if (data instanceof AthleteEnrolled a) {
                    store.enrol(c, a);
                } else if (data instanceof SessionLogged s) {
                    activities.add(event);
                    rows.add(new LoadMonitorStore.Activity(event.id(), event.clinicId(), event.subject(), "session",
                            s.startedAt(), arrived.dataJson()));
                } else if (data instanceof SymptomReported s) {
                    activities.add(event);
                    rows.add(new LoadMonitorStore.Activity(event.id(), event.clinicId(), event.subject(), "symptom",
                            s.observedAt(), arrived.dataJson()));
                }
            }
            boolean[] stored = store.remember(c, rows);
            List<EventEnvelope<?>> fresh = new ArrayList<>();
            Set<List<String>> touched = new LinkedHashSet<>();
            for (int i = 0; i < stored.length; i++) {
                if (stored[i]) {
                    fresh.add(activities.get(i));
                    touched.add(List.of(rows.get(i).clinicId(), rows.get(i).athleteId()));
                }
            }
            store.markToAnalyse(c, touched);
            return fresh;
        }
    }

    /** After {@link #remember} committed: adds the stored events to the timelines held in heap. */
    public void hold(List<EventEnvelope<?>> stored) {
        for (EventEnvelope<?> event : stored) {
            TimelineCache.Entry entry = cache.get(event.clinicId(), event.subject());
            if (entry == null) {
                continue; // read from the database, these events included, when next analysed
            }
            boolean added = event.data() instanceof SessionLogged s
                    ? entry.timeline().add(FindingsMapping.session(event.id(), s))
                    : entry.timeline().add(FindingsMapping.symptom(event.id(), (SymptomReported) event.data()));
            if (added) {
                cache.resized(entry);
            }
        }
    }

    /** Forgets every timeline held in heap: they are read from the database again when needed. */
    public void forgetHeldTimelines() {
        cache.clear();
    }

    /** An athlete whose analysis failed for good: recorded in {@code analysis_failure} and left. */
    public record AnalysisFailure(String clinicId, String athleteId, String reason) {
    }

    /** What one analysis round did: athletes with something announced, and those that failed for good. */
    public record AnalysisRound(int announced, List<AnalysisFailure> failed) {
    }

    /**
     * Analyses every marked athlete once; a transaction per {@value #ANALYSES_PER_TRANSACTION}
     * athletes also clears their marks, so a crash in between analyses them again (announcing nothing
     * twice: announcements are remembered in the same transaction).
     *
     * <p>A chunk that fails deterministically ({@link Failures}: the rules overflow on a clinic's
     * settings, the database refuses a value) is analysed again athlete by athlete, so one athlete
     * cannot hold back the others; an athlete that still fails is recorded with the reason and left
     * until their next event (issue 12). A transient failure (database down) is thrown: the marks
     * stay, and the caller retries the round.
     */
    public AnalysisRound analyseTouchedAthletes() throws SQLException {
        List<String[]> marked = store.athletesToAnalyse();
        Map<String, ClinicRules> rulesByClinic = new HashMap<>();
        int announced = 0;
        List<AnalysisFailure> failed = new ArrayList<>();
        for (int from = 0; from < marked.size(); from += ANALYSES_PER_TRANSACTION) {
            List<String[]> chunk = marked.subList(from, Math.min(marked.size(), from + ANALYSES_PER_TRANSACTION));
            try {
                announced += analyseInOneTransaction(chunk, rulesByClinic);
            } catch (RuntimeException chunkFailure) {
                if (Failures.isTransient(chunkFailure)) {
                    throw chunkFailure;
                }
                for (String[] athlete : chunk) {
                    try {
                        announced += analyseInOneTransaction(List.<String[]>of(athlete), rulesByClinic);
                    } catch (RuntimeException e) {
                        if (Failures.isTransient(e)) {
                            throw e;
                        }
                        String reason = Failures.reason(e);
                        QuarkusTransaction.requiringNew().run(() -> {
                            try (Connection c = store.connection()) {
                                store.analysisFailed(c, athlete[0], athlete[1], reason);
                            } catch (SQLException sql) {
                                throw new IllegalStateException(sql);
                            }
                        });
                        failed.add(new AnalysisFailure(athlete[0], athlete[1], reason));
                        metrics.counter("strideback.analysis.failures").increment();
                    }
                }
            }
        }
        return new AnalysisRound(announced, failed);
    }

    private int analyseInOneTransaction(List<String[]> athletes, Map<String, ClinicRules> rulesByClinic) {
        try {
            return QuarkusTransaction.requiringNew().call(() -> {
                try (Connection c = store.connection()) {
                    int any = analyse(c, athletes, rulesByClinic);
                    store.analysed(c, athletes);
                    return any;
                }
            });
        } catch (RuntimeException e) {
            // What the heap says was written may have rolled back: read it all back from the record.
            cache.clear();
            throw e;
        }
    }

    /** What one athlete's analysis may announce, before the database says which patterns and proposals are new. */
    private record Analysis(String clinicId, String athleteId, List<EventEnvelope<?>> episodeEvents,
                            List<DetectedPattern> patterns, List<ProposedAdjustment> adjustments) {
    }

    /**
     * Analyses a chunk of athletes in a handful of round trips, whatever its size (profiled: per-athlete
     * reads and writes, each a round trip to a busy database, made an analysis round last seconds):
     * unheld timelines and what was announced are read for the whole chunk, the rules run in memory,
     * and the writes go in one batch per table, the outbox's in each athlete's order.
     *
     * @return how many athletes had something announced
     */
    private int analyse(Connection c, List<String[]> chunk, Map<String, ClinicRules> rulesByClinic) throws SQLException {
        holdTimelines(c, chunk);
        LoadMonitorStore.Announced known = store.announced(c, chunk);
        List<Analysis> analyses = new ArrayList<>();
        List<String[]> episodeOwners = new ArrayList<>();
        List<FlareUpEpisode> episodesToSave = new ArrayList<>();
        List<String[]> patternOwners = new ArrayList<>();
        List<DetectedPattern> patternCandidates = new ArrayList<>();
        List<String[]> adjustmentOwners = new ArrayList<>();
        List<ProposedAdjustment> adjustmentCandidates = new ArrayList<>();
        List<LoadMonitorStore.FindingsRow> changedFindings = new ArrayList<>();

        for (String[] athlete : chunk) {
            String clinicId = athlete[0];
            String athleteId = athlete[1];
            TimelineCache.Entry held = cache.get(clinicId, athleteId);
            if (held == null) {
                LOG.warnf("activity for an athlete never enrolled (%s/%s): kept, not analysed", clinicId, athleteId);
                continue;
            }
            ClinicRules rules = rulesByClinic.get(clinicId);
            if (rules == null) {
                rules = rules(c, clinicId);
                rulesByClinic.put(clinicId, rules);
            }
            Findings findings = LoadMonitor.analyse(held.timeline().toTimeline(), rules);
            Analysis analysis = new Analysis(clinicId, athleteId, new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            analyses.add(analysis);

            Map<String, String> before = known.classifications(clinicId, athleteId);
            for (FlareUpEpisode e : findings.episodes()) {
                String previous = before.get(e.episodeId());
                String now = e.classification().name() + "|" + e.rule();
                if (previous == null) {
                    analysis.episodeEvents().add(event(EventType.FLAREUP_DETECTED, "detected|" + e.episodeId(),
                            e.startedAt(), clinicId, athleteId,
                            new FlareUpDetected(athleteId, clinicId, FindingsMapping.episode(e))));
                    metrics.counter("strideback.flareups", "classification", e.classification().name()).increment();
                } else if (!previous.split("\\|", 2)[0].equals(e.classification().name())) {
                    String[] prev = previous.split("\\|", 2);
                    // A late event changed where this flare-up came from: say so, never silently.
                    analysis.episodeEvents().add(event(EventType.FLAREUP_RECLASSIFIED,
                            "reclassified|" + e.episodeId() + "|" + e.classification() + "|" + e.rule(), e.startedAt(),
                            clinicId, athleteId, new FlareUpReclassified(athleteId, clinicId,
                                    FlareUpClassification.valueOf(prev[0]), prev[1], FindingsMapping.episode(e))));
                    metrics.counter("strideback.flareups.reclassified", "classification",
                            e.classification().name()).increment();
                }
                if (!now.equals(previous)) {
                    episodeOwners.add(athlete);
                    episodesToSave.add(e);
                }
            }
            // Known patterns and proposals are skipped without a write; an unknown one is settled by its insert.
            for (DetectedPattern p : findings.patterns()) {
                if (!known.hasPattern(clinicId, athleteId, p.kind().name(), p.since())) {
                    analysis.patterns().add(p);
                    patternOwners.add(athlete);
                    patternCandidates.add(p);
                }
            }
            for (ProposedAdjustment a : findings.adjustments()) {
                if (!known.hasAdjustment(a.adjustmentId())) {
                    analysis.adjustments().add(a);
                    adjustmentOwners.add(athlete);
                    adjustmentCandidates.add(a);
                }
            }
            String view = ViewJson.write(FindingsMapping.view(findings));
            long fingerprint = fingerprint(view);
            if (held.findingsFingerprint() != fingerprint) {
                changedFindings.add(new LoadMonitorStore.FindingsRow(clinicId, athleteId, view));
                held.findingsFingerprint(fingerprint);
            }
        }

        boolean[] newPattern = store.notePatterns(c, patternOwners, patternCandidates);
        boolean[] newAdjustment = store.noteAdjustments(c, adjustmentOwners, adjustmentCandidates);
        Set<DetectedPattern> freshPatterns = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        Set<ProposedAdjustment> freshAdjustments = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (int i = 0; i < newPattern.length; i++) {
            if (newPattern[i]) {
                freshPatterns.add(patternCandidates.get(i));
            }
        }
        for (int i = 0; i < newAdjustment.length; i++) {
            if (newAdjustment[i]) {
                freshAdjustments.add(adjustmentCandidates.get(i));
            }
        }
        List<EventEnvelope<?>> outbox = new ArrayList<>();
        int announcing = 0;
        for (Analysis a : analyses) {
            int before = outbox.size();
            outbox.addAll(a.episodeEvents());
            for (DetectedPattern p : a.patterns()) {
                if (freshPatterns.contains(p)) {
                    outbox.add(event(EventType.PATTERN_DETECTED, "pattern|" + a.clinicId() + "|" + a.athleteId() + "|"
                                    + p.kind() + "|" + p.since(), p.since(), a.clinicId(), a.athleteId(),
                            new PatternDetected(a.athleteId(), a.clinicId(), p.kind(), p.since(), p.episodeIds())));
                }
            }
            for (ProposedAdjustment p : a.adjustments()) {
                if (freshAdjustments.contains(p)) {
                    // The proposal's ce_id is its content-derived adjustment id: a re-emission is the same event.
                    outbox.add(new EventEnvelope<>(p.adjustmentId(), EventType.PLAN_ADJUSTMENT_PROPOSED, SOURCE,
                            p.proposedAt(), a.athleteId(), a.clinicId(), EventType.CURRENT_SCHEMA_VERSION,
                            new AdjustmentProposed(p.adjustmentId(), a.athleteId(), a.clinicId(), p.type(), p.pattern(),
                                    p.rule(), p.parameters(), p.evidenceEventIds(), p.reason(), p.proposedAt())));
                    metrics.counter("strideback.adjustments.proposed", "type", p.type().name()).increment();
                }
            }
            if (outbox.size() > before) {
                announcing++;
            }
        }
        Outbox.appendAll(c, outbox);
        store.saveEpisodes(c, episodeOwners, episodesToSave);
        store.saveFindings(c, changedFindings);
        return announcing;
    }

    /** Reads into the cache the timelines of the chunk's athletes it does not hold, in two queries. */
    private void holdTimelines(Connection c, List<String[]> chunk) throws SQLException {
        List<String[]> missing = chunk.stream().filter(a -> cache.get(a[0], a[1]) == null).toList();
        if (missing.isEmpty()) {
            return;
        }
        Map<String, AthleteProfile> profiles = store.profiles(c, missing);
        store.timelines(c, profiles.values()).forEach((key, timeline) ->
                cache.put(timeline.profile().clinicId(), timeline.profile().athleteId(), CompactTimeline.of(timeline)));
    }

    /** The clinic's rules: DOMAIN.md's defaults with the clinic's overrides laid over them. */
    public ClinicRules rules(Connection c, String clinicId) throws SQLException {
        var overrides = store.ruleOverrides(c, clinicId);
        if (overrides.isEmpty()) {
            return ClinicRules.defaults();
        }
        try {
            ObjectNode merged = EventCodec.JSON.valueToTree(ClinicRules.defaults());
            merged.setAll((ObjectNode) EventCodec.JSON.readTree(overrides.get()));
            ClinicRules rules = EventCodec.JSON.treeToValue(merged, ClinicRules.class);
            if (!rules.outOfBounds().isEmpty()) {
                // Stored before settings were bounded (issue 12): such a window stalled every analysis.
                LOG.warnf("clinic %s has rule overrides out of bounds (%s); using the defaults", clinicId,
                        rules.outOfBounds().keySet());
                return ClinicRules.defaults();
            }
            return rules;
        } catch (Exception e) {
            LOG.warnf("clinic %s has unreadable rule overrides (%s); using the defaults", clinicId, e.getMessage());
            return ClinicRules.defaults();
        }
    }

    /** 64 bits of two unrelated hashes: equal findings are not rewritten, changed ones always are. */
    private static long fingerprint(String json) {
        CRC32C crc = new CRC32C();
        crc.update(json.getBytes(StandardCharsets.UTF_8));
        return (crc.getValue() << 32) ^ (json.hashCode() & 0xffffffffL) | 1L;
    }

    private static <T> EventEnvelope<T> event(EventType type, String idSeed, Instant time, String clinicId,
                                              String athleteId, T data) {
        String id = UUID.nameUUIDFromBytes((clinicId + "|" + athleteId + "|" + idSeed).getBytes(StandardCharsets.UTF_8))
                .toString();
        return new EventEnvelope<>(id, type, SOURCE, time, athleteId, clinicId, EventType.CURRENT_SCHEMA_VERSION, data);
    }
}
