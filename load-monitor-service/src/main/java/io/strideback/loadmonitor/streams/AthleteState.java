package io.strideback.loadmonitor.streams;

import io.strideback.events.vocabulary.AdjustmentType;
import io.strideback.events.vocabulary.Diagnosis;
import io.strideback.events.vocabulary.FlareUpClassification;
import io.strideback.events.vocabulary.PainCharacter;
import io.strideback.events.vocabulary.PainLocation;
import io.strideback.events.vocabulary.RedFlag;
import io.strideback.events.vocabulary.RunIntensity;
import io.strideback.events.vocabulary.SessionType;
import io.strideback.events.vocabulary.SymptomContext;
import io.strideback.loadmonitor.domain.AthleteProfile;
import io.strideback.loadmonitor.domain.AthleteTimeline;
import io.strideback.loadmonitor.domain.StrengthExercise;
import io.strideback.loadmonitor.domain.SymptomReport;
import io.strideback.loadmonitor.domain.TrainingSession;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One athlete's entry in the {@value MonitorTopology#ATHLETES} store: the profile and what the monitor last
 * announced for them, so a new analysis announces only what changed (DOMAIN.md "Convergence": what is no longer
 * supported is withdrawn). The athlete's sessions and symptom reports live one per entry in the
 * {@value MonitorTopology#ATHLETE_EVENTS} store (issue #14: a new event writes itself, not the whole history); the
 * lists here are filled only when a value written before that (events inline) is read, and the monitor moves them
 * out on the athlete's next analysis.
 *
 * <p>Stored as a small binary record (enum names, not ordinals, so a reordered vocabulary reads back the same).
 * Mutable; owned by the stream task that holds the athlete's partition.
 */
public final class AthleteState {

    private static final int FORMAT = 1;
    private static final byte SESSION = 0;
    private static final byte SYMPTOM = 1;
    /** After a stored event: the digest of the record it came in follows (round 17). */
    private static final byte DIGEST = 'D';

    /**
     * CONTRACT v2 erasure: what the store keeps for an erased athlete instead of their state, one byte and no data, so a
     * late activity event of theirs makes no state again (its key is the athlete's pseudonymous ids only).
     */
    static final byte[] ERASED = {(byte) 0xE5};

    static boolean isErased(byte[] value) {
        return value != null && value.length == 1 && value[0] == ERASED[0];
    }

    /** An episode as last announced; {@code generation} counts its withdrawals, so a return gets a fresh ce_id. */
    record AnnouncedEpisode(FlareUpClassification classification, String rule, int generation, boolean current) {
    }

    /** An adjustment the monitor stood behind; {@code generation} counts its withdrawals (a re-proposal is new). */
    record AnnouncedAdjustment(AdjustmentType type, int generation, boolean current) {
    }

    AthleteProfile profile;
    final List<TrainingSession> sessions = new ArrayList<>();
    final List<SymptomReport> symptoms = new ArrayList<>();
    private final Set<String> eventIds = new HashSet<>();
    final Map<String, AnnouncedEpisode> episodes = new LinkedHashMap<>();
    /** Patterns announced, as "KIND|since". */
    final Set<String> patterns = new TreeSet<>();
    final Map<String, AnnouncedAdjustment> adjustments = new LinkedHashMap<>();

    /** False when an event with this id is held already (a redelivery). */
    boolean add(TrainingSession s) {
        if (!eventIds.add(s.eventId())) {
            return false;
        }
        sessions.add(s);
        return true;
    }

    boolean add(SymptomReport r) {
        if (!eventIds.add(r.eventId())) {
            return false;
        }
        symptoms.add(r);
        return true;
    }

    boolean enrolled() {
        return profile != null;
    }

    AthleteTimeline timeline() {
        return AthleteTimeline.of(profile, sessions, symptoms);
    }

    /**
     * The athlete's timeline as stored, for the read API: the state's value and the athlete's entries of the
     * {@value MonitorTopology#ATHLETE_EVENTS} store; empty when the athlete was never enrolled or was erased.
     */
    public static java.util.Optional<AthleteTimeline> storedTimeline(byte[] value, List<byte[]> events) {
        if (isErased(value)) {
            return java.util.Optional.empty();
        }
        AthleteState state = fromBytes(value);
        for (byte[] event : events) {
            state.addStored(eventFromBytes(event));
        }
        return state.enrolled() ? java.util.Optional.of(state.timeline()) : java.util.Optional.empty();
    }

    /** Adds a session or report read from the events store (a duplicate id changes nothing). */
    boolean addStored(Object event) {
        return event instanceof TrainingSession s ? add(s) : add((SymptomReport) event);
    }

    /** The key of one of the athlete's events in the {@value MonitorTopology#ATHLETE_EVENTS} store. */
    public static String eventKey(String athleteKey, String eventId) {
        return eventsPrefix(athleteKey) + eventId;
    }

    /** The prefix of every key of the athlete's events: no clinic or athlete id holds a NUL character. */
    public static String eventsPrefix(String athleteKey) {
        return athleteKey + '\u0000';
    }

    byte[] toBytes() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 64 * (sessions.size() + symptoms.size()));
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(FORMAT);
            out.writeBoolean(profile != null);
            if (profile != null) {
                out.writeUTF(profile.athleteId());
                out.writeUTF(profile.clinicId());
                writeEnum(out, profile.diagnosis());
                out.writeBoolean(profile.injuryDate() != null);
                if (profile.injuryDate() != null) {
                    out.writeLong(profile.injuryDate().toEpochDay());
                }
                writeDouble(out, profile.declaredSymptomFreeRunKm());
                writeText(out, profile.timeZone() == null ? null : profile.timeZone().getId());
            }
            out.writeInt(sessions.size());
            for (TrainingSession s : sessions) {
                writeSession(out, s);
            }
            out.writeInt(symptoms.size());
            for (SymptomReport r : symptoms) {
                writeSymptom(out, r);
            }
            out.writeInt(episodes.size());
            for (var e : episodes.entrySet()) {
                out.writeUTF(e.getKey());
                writeEnum(out, e.getValue().classification());
                writeText(out, e.getValue().rule());
                out.writeInt(e.getValue().generation());
                out.writeBoolean(e.getValue().current());
            }
            out.writeInt(patterns.size());
            for (String p : patterns) {
                out.writeUTF(p);
            }
            out.writeInt(adjustments.size());
            for (var a : adjustments.entrySet()) {
                out.writeUTF(a.getKey());
                writeEnum(out, a.getValue().type());
                out.writeInt(a.getValue().generation());
                out.writeBoolean(a.getValue().current());
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static AthleteState fromBytes(byte[] value) {
        AthleteState state = new AthleteState();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            int format = in.readByte();
            if (format != FORMAT) {
                throw new IllegalStateException("athlete state format " + format + " is not " + FORMAT);
            }
            if (in.readBoolean()) {
                String athleteId = in.readUTF();
                String clinicId = in.readUTF();
                Diagnosis diagnosis = readEnum(in, Diagnosis.class);
                LocalDate injury = in.readBoolean() ? LocalDate.ofEpochDay(in.readLong()) : null;
                Double declared = readDouble(in);
                String zone = readText(in);
                state.profile = new AthleteProfile(athleteId, clinicId, diagnosis, injury, declared,
                        zone == null ? null : ZoneId.of(zone));
            }
            int sessions = in.readInt();
            for (int i = 0; i < sessions; i++) {
                state.add(readSession(in));
            }
            int symptoms = in.readInt();
            for (int i = 0; i < symptoms; i++) {
                state.add(readSymptom(in));
            }
            int episodes = in.readInt();
            for (int i = 0; i < episodes; i++) {
                state.episodes.put(in.readUTF(), new AnnouncedEpisode(readEnum(in, FlareUpClassification.class),
                        readText(in), in.readInt(), in.readBoolean()));
            }
            int patterns = in.readInt();
            for (int i = 0; i < patterns; i++) {
                state.patterns.add(in.readUTF());
            }
            int adjustments = in.readInt();
            for (int i = 0; i < adjustments; i++) {
                state.adjustments.put(in.readUTF(), new AnnouncedAdjustment(readEnum(in, AdjustmentType.class),
                        in.readInt(), in.readBoolean()));
            }
            return state;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether a stored state has a profile: {@link #fromBytes}{@code .enrolled()} without reading the rest. */
    static boolean enrolledFromBytes(byte[] value) {
        if (value.length < 2 || value[0] != FORMAT) {
            return fromBytes(value).enrolled(); // refused as fromBytes refuses it
        }
        return value[1] != 0; // DataOutputStream.writeBoolean: the profile's presence
    }

    /**
     * The profile's time zone of a stored state, or null (no profile, or none given): {@link #fromBytes}'s profile
     * and nothing after it (issue #14: a logged run's adherence check parsed the whole state for this).
     */
    static ZoneId zoneFromBytes(byte[] value) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            int format = in.readByte();
            if (format != FORMAT) {
                throw new IllegalStateException("athlete state format " + format + " is not " + FORMAT);
            }
            if (!in.readBoolean()) {
                return null;
            }
            in.readUTF(); // athlete
            in.readUTF(); // clinic
            readText(in); // diagnosis
            if (in.readBoolean()) {
                in.readLong(); // injury date
            }
            readDouble(in); // declared symptom-free distance
            String zone = readText(in);
            return zone == null ? null : ZoneId.of(zone);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One session or symptom report as a value of the {@value MonitorTopology#ATHLETE_EVENTS} store (issue #14: an
     * event is written once, under the athlete and its id, not with the athlete's whole history every time).
     */
    static byte[] eventBytes(Object event) {
        return eventBytes(event, null);
    }

    /**
     * As {@link #eventBytes(Object)}, with the digest of the record the event came in ({@code EventCodec.bodyDigest})
     * after it, so a later record under the same id can be told a retry or another body (round 17). A reader of the
     * event alone stops before it: a value written without one, or read by a release before round 17, reads the same.
     */
    static byte[] eventBytes(Object event, byte[] bodyDigest) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(96);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(FORMAT);
            if (event instanceof TrainingSession s) {
                out.writeByte(SESSION);
                writeSession(out, s);
            } else if (event instanceof SymptomReport r) {
                out.writeByte(SYMPTOM);
                writeSymptom(out, r);
            } else {
                throw new IllegalArgumentException("not a session or a symptom report: " + event);
            }
            if (bodyDigest != null) {
                out.writeByte(DIGEST);
                out.write(bodyDigest);
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The digest of the record a stored event came in, or null when it was stored without one (before round 17). */
    static byte[] bodyDigestFromBytes(byte[] value) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            readEvent(in);
            if (in.available() < 1 || in.readByte() != DIGEST) {
                return null;
            }
            return in.readNBytes(in.available());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A {@link TrainingSession} or a {@link SymptomReport}, as {@link #eventBytes} wrote it. */
    static Object eventFromBytes(byte[] value) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            return readEvent(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Object readEvent(DataInputStream in) throws IOException {
        int format = in.readByte();
        if (format != FORMAT) {
            throw new IllegalStateException("athlete event format " + format + " is not " + FORMAT);
        }
        int kind = in.readByte();
        return switch (kind) {
            case SESSION -> readSession(in);
            case SYMPTOM -> readSymptom(in);
            default -> throw new IllegalStateException("unknown athlete event kind " + kind);
        };
    }

    private static void writeSession(DataOutputStream out, TrainingSession s) throws IOException {
        out.writeUTF(s.eventId());
        writeText(out, s.sessionId());
        writeEnum(out, s.type());
        writeInstant(out, s.startedAt());
        out.writeDouble(s.durationMin());
        writeInt(out, s.rpe());
        writeDouble(out, s.distanceKm());
        writeEnum(out, s.intensity());
        writeInt(out, s.cadenceSpm());
        out.writeInt(s.exercises().size());
        for (StrengthExercise e : s.exercises()) {
            writeText(out, e.name());
            writeInt(out, e.sets());
            writeInt(out, e.reps());
            writeDouble(out, e.loadKg());
            writeInt(out, e.rpe());
        }
    }

    private static TrainingSession readSession(DataInputStream in) throws IOException {
        String eventId = in.readUTF();
        String sessionId = readText(in);
        SessionType type = readEnum(in, SessionType.class);
        Instant startedAt = readInstant(in);
        double minutes = in.readDouble();
        Integer rpe = readInt(in);
        Double km = readDouble(in);
        RunIntensity intensity = readEnum(in, RunIntensity.class);
        Integer cadence = readInt(in);
        int n = in.readInt();
        List<StrengthExercise> exercises = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            exercises.add(new StrengthExercise(readText(in), readInt(in), readInt(in), readDouble(in), readInt(in)));
        }
        return new TrainingSession(eventId, sessionId, type, startedAt, minutes, rpe, km, intensity, cadence,
                exercises);
    }

    private static void writeSymptom(DataOutputStream out, SymptomReport r) throws IOException {
        out.writeUTF(r.eventId());
        writeInstant(out, r.observedAt());
        out.writeByte(r.pain());
        writeEnum(out, r.location());
        writeEnums(out, r.character());
        writeEnum(out, r.context());
        writeEnums(out, r.redFlags());
    }

    private static SymptomReport readSymptom(DataInputStream in) throws IOException {
        String eventId = in.readUTF();
        Instant observedAt = readInstant(in);
        int pain = in.readByte();
        PainLocation location = readEnum(in, PainLocation.class);
        Set<PainCharacter> character = readEnums(in, PainCharacter.class);
        SymptomContext context = readEnum(in, SymptomContext.class);
        Set<RedFlag> redFlags = readEnums(in, RedFlag.class);
        return new SymptomReport(eventId, observedAt, pain, location, character, context, redFlags);
    }

    private static void writeText(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private static String readText(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private static void writeEnum(DataOutputStream out, Enum<?> e) throws IOException {
        writeText(out, e == null ? null : e.name());
    }

    private static <E extends Enum<E>> E readEnum(DataInputStream in, Class<E> type) throws IOException {
        String name = readText(in);
        return name == null ? null : Enum.valueOf(type, name);
    }

    private static void writeEnums(DataOutputStream out, Set<? extends Enum<?>> set) throws IOException {
        out.writeByte(set.size());
        for (Enum<?> e : set) {
            out.writeUTF(e.name());
        }
    }

    private static <E extends Enum<E>> Set<E> readEnums(DataInputStream in, Class<E> type) throws IOException {
        int n = in.readByte();
        EnumSet<E> set = EnumSet.noneOf(type);
        for (int i = 0; i < n; i++) {
            set.add(Enum.valueOf(type, in.readUTF()));
        }
        return set;
    }

    private static void writeInt(DataOutputStream out, Integer v) throws IOException {
        out.writeBoolean(v != null);
        if (v != null) {
            out.writeInt(v);
        }
    }

    private static Integer readInt(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readInt() : null;
    }

    private static void writeDouble(DataOutputStream out, Double v) throws IOException {
        out.writeBoolean(v != null);
        if (v != null) {
            out.writeDouble(v);
        }
    }

    private static Double readDouble(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readDouble() : null;
    }

    private static void writeInstant(DataOutputStream out, Instant t) throws IOException {
        out.writeLong(t.getEpochSecond());
        out.writeInt(t.getNano());
    }

    private static Instant readInstant(DataInputStream in) throws IOException {
        return Instant.ofEpochSecond(in.readLong(), in.readInt());
    }
}
