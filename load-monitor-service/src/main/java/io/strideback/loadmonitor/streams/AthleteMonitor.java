package io.strideback.loadmonitor.streams;

import io.strideback.loadmonitor.state.AthleteAnalyses;

import io.strideback.events.ActivityEvents.AthleteEnrolled;
import io.strideback.events.ActivityEvents.AthleteErased;
import io.strideback.events.ActivityEvents.SessionLogged;
import io.strideback.events.ActivityEvents.SymptomReported;
import io.strideback.events.EventCodec;
import io.strideback.events.EventEnvelope;
import io.strideback.events.FindingEvents;
import io.strideback.events.Topic;
import io.strideback.events.UnreadableEventException;
import io.strideback.loadmonitor.domain.AthleteProfile;
import io.strideback.loadmonitor.domain.ClinicRules;
import io.strideback.loadmonitor.domain.Findings;
import io.strideback.loadmonitor.mapping.FindingsMapping;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The athlete monitor: one record at a time, for the athletes of the task's partition.
 * <ul>
 *   <li>an activity event is added to the athlete's state (a redelivered event id changes nothing), the rules
 *       run on the athlete's timeline ({@link MonitorAnalysis}), and only what changed since the last analysis is
 *       announced ({@link Announcements});</li>
 *   <li>a clinic's settings change is kept and every athlete of the clinic held here is analysed again;</li>
 *   <li>{@code athlete.erased} deletes the athlete's view (a tombstone in its changelog) and replaces the state by
 *       an erased marker with no data, so later events of the athlete are dropped;</li>
 *   <li>a record that cannot be read goes to {@code strideback.athlete-activity.v1.dlq} with the reason in
 *       {@value Topic#DLQ_REASON_HEADER}; an athlete whose analysis throws keeps the event (it is stored) and is
 *       recorded there too, and the others go on (issue 12). Store and broker failures are not caught: the stream
 *       thread is replaced and the records since the last commit are processed again, never skipped.</li>
 * </ul>
 */
final class AthleteMonitor implements Processor<String, byte[], String, byte[]> {

    private static final Logger LOG = Logger.getLogger(AthleteMonitor.class);
    private static final StringSerializer KEYS = new StringSerializer();

    private final MonitorMeters meters;
    private final boolean announce;
    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, byte[]> athletes;
    private KeyValueStore<String, byte[]> settings;
    private KeyValueStore<String, byte[]> views;
    /**
     * Issue 14: each task's athletes' analysis checkpoints, bounded in heap; a new event re-evaluates from its own
     * time minus the longest window, an athlete not held (a restart, a moved partition) gets one full analysis.
     */
    private final AthleteAnalyses analyses = new AthleteAnalyses(ANALYSES_BUDGET_BYTES);
    private static final long ANALYSES_BUDGET_BYTES = 4L * 1024 * 1024;

    /** Parsed settings by clinic; dropped when the clinic's settings change. */
    private final Map<String, ClinicRules> rulesByClinic = new HashMap<>();

    AthleteMonitor(MonitorMeters meters, boolean announce) {
        this.meters = meters;
        this.announce = announce;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.athletes = context.getStateStore(MonitorTopology.ATHLETES);
        this.settings = context.getStateStore(MonitorTopology.CLINIC_SETTINGS);
        this.views = context.getStateStore(MonitorTopology.FINDINGS_VIEW);
        analyses.clear(); // a task revived after an aborted transaction starts from its stores, not from heap
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("");
        if (MonitorTopology.SETTINGS_TOPIC.equals(topic)) {
            settingsChanged(record);
        } else {
            activity(record);
        }
    }

    private void activity(Record<String, byte[]> record) {
        EventEnvelope<?> event;
        try {
            event = EventCodec.fromParts(record.headers(), record.value());
        } catch (UnreadableEventException e) {
            deadLetter(record, e.getMessage());
            return;
        }
        String key = event.key();
        if (!key.equals(record.key())) {
            // Kept under another key it would live in another partition's state: refuse it visibly.
            deadLetter(record, event.type().ceType() + " " + event.id() + " has key '" + record.key()
                    + "', not its athlete's '" + key + "'");
            return;
        }
        Object data = event.data();
        if (data instanceof AthleteErased) {
            meters.eventIn(event.type().ceType());
            // CONTRACT v2 erasure: nothing of the athlete stays (the view's delete is a changelog tombstone); the
            // state becomes the erased marker, so a late event of the athlete makes no state again.
            athletes.put(key, AthleteState.ERASED);
            views.delete(key);
            if (data instanceof AthleteErased erased) {
                analyses.forget(erased.clinicId(), erased.athleteId());
            }
            return;
        }
        byte[] held = athletes.get(key);
        if (AthleteState.isErased(held)) {
            meters.eventIn(event.type().ceType());
            return; // erased: dropped, never kept again
        }
        AthleteState state = held == null ? new AthleteState() : AthleteState.fromBytes(held);
        boolean changed;
        try {
            changed = apply(state, event);
        } catch (IllegalArgumentException | NullPointerException e) {
            // Readable JSON whose values the rules cannot take (pain 11, a negative distance, no enrolment data).
            deadLetter(record, event.type().ceType() + " " + event.id() + " refused: " + e.getMessage());
            return;
        }
        meters.eventIn(event.type().ceType());
        if (!changed) {
            return;
        }
        if (state.enrolled()) {
            analyse(key, state, record, eventTime(data));
        }
        athletes.put(key, state.toBytes());
    }

    /** Adds the event to the state; false when it changes nothing (a redelivery, or not the monitor's concern). */
    private static boolean apply(AthleteState state, EventEnvelope<?> event) {
        Object data = event.data();
        if (data instanceof AthleteEnrolled a) {
            AthleteProfile profile = new AthleteProfile(a.athleteId(), a.clinicId(), a.diagnosis(), a.injuryDate(),
                    a.symptomFreeRunKm(), zone(a.timeZone()));
            if (profile.equals(state.profile)) {
                return false;
            }
            state.profile = profile;
            return true;
        }
        if (data instanceof SessionLogged s) {
            return state.add(FindingsMapping.session(event.id(), s));
        }
        if (data instanceof SymptomReported s) {
            return state.add(FindingsMapping.symptom(event.id(), s));
        }
        return false; // assessments are the plan's
    }

    private void settingsChanged(Record<String, byte[]> record) {
        String clinicId = record.key();
        ClinicSettingsChange change;
        try {
            change = EventCodec.JSON.readValue(record.value(), ClinicSettingsChange.class);
        } catch (IOException | RuntimeException e) {
            LOG.warnf("unreadable settings record for clinic %s (%s): the clinic keeps its settings", clinicId,
                    e.getMessage());
            return;
        }
        if (clinicId == null || !clinicId.equals(change.clinicId())) {
            LOG.warnf("settings record keyed '%s' names clinic '%s': ignored", clinicId, change.clinicId());
            return;
        }
        settings.put(clinicId, record.value());
        rulesByClinic.remove(clinicId);
        // The clinic's athletes held by this task, read first and written after (no write under an open iterator).
        List<KeyValue<String, byte[]>> held = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = athletes.prefixScan(clinicId + "/", KEYS)) {
            it.forEachRemaining(held::add);
        }
        for (KeyValue<String, byte[]> athlete : held) {
            if (AthleteState.isErased(athlete.value)) {
                continue;
            }
            AthleteState state = AthleteState.fromBytes(athlete.value);
            if (state.enrolled() && analyse(athlete.key, state, record, null)) {
                athletes.put(athlete.key, state.toBytes());
            }
        }
    }

    /** When the new event happened (the incremental analysis starts there); null: from the beginning. */
    private static Instant eventTime(Object data) {
        if (data instanceof SessionLogged s) {
            return s.startedAt();
        }
        if (data instanceof SymptomReported s) {
            return s.observedAt();
        }
        return null;
    }

    /** Runs the rules and announces what changed; false (recorded on the DLQ) when the analysis failed. */
    private boolean analyse(String key, AthleteState state, Record<String, byte[]> cause, Instant changedFrom) {
        Findings findings;
        try {
            findings = MonitorAnalysis.findings(analyses, state.timeline(), changedFrom,
                    rules(state.profile.clinicId()));
        } catch (RuntimeException e) {
            LOG.warnf(e, "analysis of %s failed: kept its events, the other athletes go on", key);
            meters.analysisFailed();
            deadLetter(new Record<>(key, cause.value(), cause.timestamp(), cause.headers()),
                    "analysis of athlete " + key + " failed: " + e);
            return false;
        }
        Instant at = Instant.ofEpochMilli(cause.timestamp());
        for (EventEnvelope<?> event : Announcements.diff(state, findings, at)) {
            if (!announce) {
                continue;
            }
            ProducerRecord<String, byte[]> out = EventCodec.toRecord(event);
            context.forward(new Record<>(out.key(), out.value(), cause.timestamp(), out.headers()),
                    event.topic() == Topic.PLAN_ADJUSTMENTS ? MonitorTopology.ADJUSTMENTS_SINK
                            : MonitorTopology.FINDINGS_SINK);
            if (event.data() instanceof FindingEvents.FlareUpDetected detected) {
                meters.flareUpDetected(detected.episode().classification().name());
            } else if (event.data() instanceof FindingEvents.FlareUpReclassified reclassified) {
                meters.flareUpReclassified(reclassified.episode().classification().name());
            } else if (event.data() instanceof FindingEvents.AdjustmentProposed proposed) {
                meters.adjustmentProposed(proposed.type().name());
            }
        }
        views.put(key, new AthleteView(state.profile.athleteId(), state.profile.clinicId(),
                state.profile.diagnosis() == null ? null : state.profile.diagnosis().name(),
                FindingsMapping.view(findings)).toBytes());
        return true;
    }

    /** The clinic's rules: DOMAIN.md's defaults unless the clinic set its own, within bounds. */
    private ClinicRules rules(String clinicId) {
        return rulesByClinic.computeIfAbsent(clinicId, c -> {
            byte[] stored = settings.get(c);
            if (stored == null) {
                return ClinicRules.defaults();
            }
            try {
                ClinicRules rules = EventCodec.JSON.readValue(stored, ClinicSettingsChange.class).rules();
                if (rules == null || !rules.outOfBounds().isEmpty()) {
                    // Refused at the door; one written past it must not stall every analysis (issue 12).
                    LOG.warnf("clinic %s has settings out of bounds: using the defaults", c);
                    return ClinicRules.defaults();
                }
                return rules;
            } catch (IOException | RuntimeException e) {
                LOG.warnf("clinic %s has unreadable settings (%s): using the defaults", c, e.getMessage());
                return ClinicRules.defaults();
            }
        });
    }

    private void deadLetter(Record<String, byte[]> record, String reason) {
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        headers.remove(Topic.DLQ_REASON_HEADER);
        // A reason is often an exception's message: keep it printable for the header and the ops tools.
        headers.add(Topic.DLQ_REASON_HEADER, Objects.toString(reason).replaceAll("\\p{Cntrl}", "?")
                .getBytes(StandardCharsets.UTF_8));
        context.forward(new Record<>(record.key(), record.value(), record.timestamp(), headers),
                MonitorTopology.DEAD_LETTER_SINK);
        meters.deadLettered();
    }

    /** The athlete's zone; intake accepts only IANA names, so anything else (or none) leaves the clinic's. */
    private static ZoneId zone(String name) {
        if (name == null || !ZoneId.getAvailableZoneIds().contains(name)) {
            return null;
        }
        return ZoneId.of(name);
    }
}
