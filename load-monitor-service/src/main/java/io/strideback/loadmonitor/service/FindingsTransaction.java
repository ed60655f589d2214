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
import io.strideback.support.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One activity event in one transaction: remember it, re-run the rules on the athlete's whole
 * timeline (they are a pure function of the set of events, so arrival order does not matter), and
 * announce through the outbox only what is new: a new episode, a changed classification, a new
 * pattern, a proposal never made before.
 */
@ApplicationScoped
public class FindingsTransaction {

    private static final Logger LOG = Logger.getLogger(FindingsTransaction.class);
    public static final String SOURCE = "/strideback/load-monitor-service";

    @Inject
    LoadMonitorStore store;
    @Inject
    MeterRegistry metrics;

    /**
     * Stores a poll batch of activity events and marks their athletes for analysis, in one
     * transaction (one commit, one fsync, for up to 500 events). A redelivered event (same id)
     * stores and marks nothing.
     */
    @Transactional
    public void remember(java.util.List<EventEnvelope<?>> events) throws SQLException {
        try (Connection c = store.connection()) {
            for (EventEnvelope<?> event : events) {
                Object data = event.data();
                boolean isNew;
                if (data instanceof AthleteEnrolled a) {
                    store.enrol(c, a);
                    isNew = true;
                } else if (data instanceof SessionLogged s) {
                    isNew = store.remember(c, event.id(), event.clinicId(), event.subject(), "session", s.startedAt(), s);
                } else if (data instanceof SymptomReported s) {
                    isNew = store.remember(c, event.id(), event.clinicId(), event.subject(), "symptom", s.observedAt(), s);
                } else {
                    isNew = false;
                }
                if (isNew) {
                    store.markToAnalyse(c, event.clinicId(), event.subject());
                }
            }
        }
    }

    /**
     * Analyses every marked athlete once, each in its own transaction that also clears the mark.
     *
     * @return how many analyses announced something
     */
    public int analyseTouchedAthletes() throws SQLException {
        int announced = 0;
        for (String[] athlete : store.athletesToAnalyse()) {
            boolean any = QuarkusTransaction.requiringNew().call(() -> {
                try (Connection c = store.connection()) {
                    boolean result = analyse(c, athlete[0], athlete[1]);
                    store.analysed(c, athlete[0], athlete[1]);
                    return result;
                }
            });
            if (any) {
                announced++;
            }
        }
        return announced;
    }

    private boolean analyse(Connection c, String clinicId, String athleteId) throws SQLException {
        var profile = store.profile(c, clinicId, athleteId);
        if (profile.isEmpty()) {
            LOG.warnf("activity for an athlete never enrolled (%s/%s): kept, not analysed", clinicId, athleteId);
            return false;
        }
        Findings findings = LoadMonitor.analyse(store.timeline(c, profile.get()), rules(c, clinicId));
        boolean announced = false;

        Map<String, String> before = store.announcedClassifications(c, clinicId, athleteId);
        for (FlareUpEpisode e : findings.episodes()) {
            String previous = before.get(e.episodeId());
            Episode episode = FindingsMapping.episode(e);
            if (previous == null) {
                Outbox.append(c, event(EventType.FLAREUP_DETECTED, "detected|" + e.episodeId(), e.startedAt(),
                        clinicId, athleteId, new FlareUpDetected(athleteId, clinicId, episode)));
                metrics.counter("strideback.flareups", "classification", e.classification().name()).increment();
                announced = true;
            } else {
                String[] prev = previous.split("\\|", 2);
                if (!prev[0].equals(e.classification().name())) {
                    // A late event changed where this flare-up came from: say so, never silently.
                    Outbox.append(c, event(EventType.FLAREUP_RECLASSIFIED,
                            "reclassified|" + e.episodeId() + "|" + e.classification() + "|" + e.rule(), e.startedAt(),
                            clinicId, athleteId, new FlareUpReclassified(athleteId, clinicId,
                                    FlareUpClassification.valueOf(prev[0]), prev[1], episode)));
                    metrics.counter("strideback.flareups.reclassified", "classification",
                            e.classification().name()).increment();
                    announced = true;
                }
            }
            store.saveEpisode(c, clinicId, athleteId, e);
        }
        for (DetectedPattern p : findings.patterns()) {
            if (store.notePattern(c, clinicId, athleteId, p)) {
                Outbox.append(c, event(EventType.PATTERN_DETECTED, "pattern|" + clinicId + "|" + athleteId + "|"
                                + p.kind() + "|" + p.since(), p.since(), clinicId, athleteId,
                        new PatternDetected(athleteId, clinicId, p.kind(), p.since(), p.episodeIds())));
                announced = true;
            }
        }
        for (ProposedAdjustment a : findings.adjustments()) {
            if (store.noteAdjustment(c, clinicId, athleteId, a)) {
                // The proposal's ce_id is its content-derived adjustment id: a re-emission is the same event.
                Outbox.append(c, new EventEnvelope<>(a.adjustmentId(), EventType.PLAN_ADJUSTMENT_PROPOSED, SOURCE,
                        a.proposedAt(), athleteId, clinicId, EventType.CURRENT_SCHEMA_VERSION,
                        new AdjustmentProposed(a.adjustmentId(), athleteId, clinicId, a.type(), a.pattern(), a.rule(),
                                a.parameters(), a.evidenceEventIds(), a.reason(), a.proposedAt())));
                metrics.counter("strideback.adjustments.proposed", "type", a.type().name()).increment();
                announced = true;
            }
        }
        store.saveFindings(c, clinicId, athleteId, FindingsMapping.view(findings));
        return announced;
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
            return EventCodec.JSON.treeToValue(merged, ClinicRules.class);
        } catch (Exception e) {
            LOG.warnf("clinic %s has unreadable rule overrides (%s); using the defaults", clinicId, e.getMessage());
            return ClinicRules.defaults();
        }
    }

    private static <T> EventEnvelope<T> event(EventType type, String idSeed, Instant time, String clinicId,
                                              String athleteId, T data) {
        String id = UUID.nameUUIDFromBytes((clinicId + "|" + athleteId + "|" + idSeed).getBytes(StandardCharsets.UTF_8))
                .toString();
        return new EventEnvelope<>(id, type, SOURCE, time, athleteId, clinicId, EventType.CURRENT_SCHEMA_VERSION, data);
    }
}
