package io.strideback.loadmonitor.state;

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

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * One athlete's sessions and symptom reports packed for the load monitor's in-heap state: a fixed
 * 52-byte record per event in one growing byte array (event id as the two longs of its UUID, event
 * time, the numbers and enum ordinals the rules read), plus the session ids, the only free text the
 * rules need. The rules still see a plain {@link AthleteTimeline}: {@link #toTimeline()} unpacks it.
 *
 * <p>Why: the bench's memory figure (issue 7, goal under 10 KiB per athlete). The domain's objects
 * cost about 19 KiB for a 42-day history, mostly per-event headers, boxed numbers, enum sets and id
 * strings; this form costs about a third of that. Not thread-safe: the consumer thread owns it.
 */
public final class CompactTimeline {

    private static final int RECORD = 52;
    private static final int EXERCISE = 19;
    private static final byte SESSION = 0;
    private static final byte SYMPTOM = 1;
    /** Set on the kind byte when the event id is not a canonical UUID; it is kept as a string then. */
    private static final byte TEXT_ID = 2;
    private static final byte NONE = -1;

    private static final PainCharacter[] CHARACTERS = PainCharacter.values();
    private static final RedFlag[] RED_FLAGS = RedFlag.values();
    private static final PainLocation[] LOCATIONS = PainLocation.values();
    private static final SymptomContext[] CONTEXTS = SymptomContext.values();
    private static final SessionType[] TYPES = SessionType.values();
    private static final RunIntensity[] INTENSITIES = RunIntensity.values();

    private final AthleteProfile profile;
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);

    private byte[] records = new byte[0];
    /** Per record: the session id, null for symptoms. */
    private String[] texts = new String[0];
    /** Per record: the event id when it is not a canonical UUID (rare: intake mints UUIDs); null until one comes. */
    private String[] textIds;
    /**
     * Per record: a strength session's exercises, {@value #EXERCISE} bytes each (name as an index into
     * {@link #exerciseNames}, sets, reps, load, RPE); null until the first strength exercise comes. The "strength
     * under-dosed" pattern reads them (DOMAIN.md rules v2).
     */
    private byte[][] exercises;
    /** The distinct exercise names this athlete logged: a handful, so a name costs 2 bytes per exercise. */
    private String[] exerciseNames;
    private int size;

    public CompactTimeline(AthleteProfile profile) {
        this.profile = profile;
    }

    public static CompactTimeline of(AthleteTimeline timeline) {
        CompactTimeline compact = new CompactTimeline(timeline.profile());
        timeline.sessions().forEach(compact::add);
        timeline.symptoms().forEach(compact::add);
        return compact;
    }

    public AthleteProfile profile() {
        return profile;
    }

    public int size() {
        return size;
    }

    /** Adds a session; false when an event with its id is already held (a redelivery). */
    public boolean add(TrainingSession s) {
        if (contains(s.eventId())) {
            return false;
        }
        int at = append(SESSION, s.eventId(), s.startedAt());
        putDouble(at + 29, s.durationMin());
        records[at + 37] = s.rpe() == null ? NONE : s.rpe().byteValue();
        records[at + 38] = (byte) s.type().ordinal();
        records[at + 39] = s.intensity() == null ? NONE : (byte) s.intensity().ordinal();
        putInt(at + 40, s.cadenceSpm() == null ? Integer.MIN_VALUE : s.cadenceSpm());
        putDouble(at + 44, s.distanceKm() == null ? Double.NaN : s.distanceKm());
        if (s.sessionId() != null) {
            texts[size - 1] = s.sessionId();
        }
        if (!s.exercises().isEmpty()) {
            packExercises(size - 1, s.exercises());
        }
        return true;
    }

    /** Adds a symptom report; false when an event with its id is already held. */
    public boolean add(SymptomReport r) {
        if (contains(r.eventId())) {
            return false;
        }
        int at = append(SYMPTOM, r.eventId(), r.observedAt());
        records[at + 29] = (byte) r.pain();
        records[at + 30] = r.location() == null ? NONE : (byte) r.location().ordinal();
        records[at + 31] = r.context() == null ? NONE : (byte) r.context().ordinal();
        putInt(at + 32, mask(r.character()));
        putInt(at + 36, mask(r.redFlags()));
        return true;
    }

    public boolean contains(String eventId) {
        UUID uuid = canonicalUuid(eventId);
        for (int i = 0; i < size; i++) {
            int at = i * RECORD;
            boolean textId = (records[at] & TEXT_ID) != 0;
            if (uuid == null ? textId && eventId.equals(idText(i))
                    : !textId && getLong(at + 1) == uuid.getMostSignificantBits()
                    && getLong(at + 9) == uuid.getLeastSignificantBits()) {
                return true;
            }
        }
        return false;
    }

    /** The events as the rules read them. */
    public AthleteTimeline toTimeline() {
        List<TrainingSession> sessions = new ArrayList<>();
        List<SymptomReport> symptoms = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            int at = i * RECORD;
            String id = eventId(i);
            Instant time = Instant.ofEpochSecond(getLong(at + 17), getInt(at + 25));
            if ((records[at] & SYMPTOM) == 0) {
                byte rpe = records[at + 37];
                byte intensity = records[at + 39];
                int cadence = getInt(at + 40);
                double km = getDouble(at + 44);
                sessions.add(new TrainingSession(id, texts[i], TYPES[records[at + 38]], time,
                        getDouble(at + 29), rpe == NONE ? null : (int) rpe, Double.isNaN(km) ? null : km,
                        intensity == NONE ? null : INTENSITIES[intensity],
                        cadence == Integer.MIN_VALUE ? null : cadence, unpackExercises(i)));
            } else {
                byte location = records[at + 30];
                byte context = records[at + 31];
                symptoms.add(new SymptomReport(id, time, records[at + 29], location == NONE ? null : LOCATIONS[location],
                        unmask(getInt(at + 32), CHARACTERS, PainCharacter.class),
                        context == NONE ? null : CONTEXTS[context],
                        unmask(getInt(at + 36), RED_FLAGS, RedFlag.class)));
            }
        }
        return AthleteTimeline.of(profile, sessions, symptoms);
    }

    /** The heap this timeline holds, counted the way the JVM lays it out (compressed references). */
    public long approximateBytes() {
        long bytes = 12 + 4 * 4 + 4                              // this object: header, 4 refs, size
                + 16 + records.length + 16 + 4L * texts.length;  // the arrays
        for (String t : texts) {
            bytes += t == null ? 0 : 24 + 16 + t.length();
        }
        if (textIds != null) {
            bytes += 16 + 4L * textIds.length;
            for (String t : textIds) {
                bytes += t == null ? 0 : 24 + 16 + t.length();
            }
        }
        if (exercises != null) {
            bytes += 16 + 4L * exercises.length + 16 + 4L * exerciseNames.length; // names are interned
            for (byte[] packed : exercises) {
                bytes += packed == null ? 0 : 16 + packed.length;
            }
        }
        return bytes;
    }

    private int append(byte kind, String eventId, Instant time) {
        if ((size + 1) * RECORD > records.length) {
            // Grow by a quarter: a 42-day history wastes little, a long one is not copied often.
            int capacity = Math.max(size + 8, size + size / 4);
            records = Arrays.copyOf(records, capacity * RECORD);
            texts = Arrays.copyOf(texts, capacity);
            if (textIds != null) {
                textIds = Arrays.copyOf(textIds, capacity);
            }
            if (exercises != null) {
                exercises = Arrays.copyOf(exercises, capacity);
            }
        }
        int at = size * RECORD;
        UUID uuid = canonicalUuid(eventId);
        if (uuid == null) {
            records[at] = (byte) (kind | TEXT_ID);
            if (textIds == null) {
                textIds = new String[texts.length];
            }
            textIds[size] = eventId;
        } else {
            records[at] = kind;
            putLong(at + 1, uuid.getMostSignificantBits());
            putLong(at + 9, uuid.getLeastSignificantBits());
        }
        putLong(at + 17, time.getEpochSecond());
        putInt(at + 25, time.getNano());
        size++;
        return at;
    }

    private void packExercises(int i, List<StrengthExercise> list) {
        if (exercises == null) {
            exercises = new byte[texts.length][];
            exerciseNames = new String[0];
        }
        byte[] packed = new byte[list.size() * EXERCISE];
        for (int k = 0; k < list.size(); k++) {
            StrengthExercise e = list.get(k);
            int at = k * EXERCISE;
            SHORT.set(packed, at, nameIndex(e.name()));
            INT.set(packed, at + 2, e.sets() == null ? Integer.MIN_VALUE : e.sets());
            INT.set(packed, at + 6, e.reps() == null ? Integer.MIN_VALUE : e.reps());
            LONG.set(packed, at + 10, Double.doubleToRawLongBits(e.loadKg() == null ? Double.NaN : e.loadKg()));
            packed[at + 18] = e.rpe() == null ? NONE : e.rpe().byteValue();
        }
        exercises[i] = packed;
    }

    /** The name's index in {@link #exerciseNames}, added when new; -1 for no name. */
    private short nameIndex(String name) {
        if (name == null) {
            return -1;
        }
        for (int k = 0; k < exerciseNames.length; k++) {
            if (exerciseNames[k].equals(name)) {
                return (short) k;
            }
        }
        if (exerciseNames.length >= Short.MAX_VALUE) {
            throw new IllegalStateException("more than " + Short.MAX_VALUE + " exercise names for one athlete");
        }
        exerciseNames = Arrays.copyOf(exerciseNames, exerciseNames.length + 1);
        exerciseNames[exerciseNames.length - 1] = name.intern();
        return (short) (exerciseNames.length - 1);
    }

    private List<StrengthExercise> unpackExercises(int i) {
        if (exercises == null || exercises[i] == null) {
            return List.of();
        }
        byte[] packed = exercises[i];
        List<StrengthExercise> out = new ArrayList<>(packed.length / EXERCISE);
        for (int at = 0; at < packed.length; at += EXERCISE) {
            short name = (short) SHORT.get(packed, at);
            int sets = (int) INT.get(packed, at + 2);
            int reps = (int) INT.get(packed, at + 6);
            double load = Double.longBitsToDouble((long) LONG.get(packed, at + 10));
            byte rpe = packed[at + 18];
            out.add(new StrengthExercise(name < 0 ? null : exerciseNames[name], sets == Integer.MIN_VALUE ? null : sets,
                    reps == Integer.MIN_VALUE ? null : reps, Double.isNaN(load) ? null : load,
                    rpe == NONE ? null : (int) rpe));
        }
        return out;
    }

    private String eventId(int i) {
        int at = i * RECORD;
        return (records[at] & TEXT_ID) != 0 ? idText(i)
                : new UUID(getLong(at + 1), getLong(at + 9)).toString();
    }

    private String idText(int i) {
        return textIds[i];
    }

    private void putLong(int at, long v) {
        LONG.set(records, at, v);
    }

    private void putInt(int at, int v) {
        INT.set(records, at, v);
    }

    private void putDouble(int at, double v) {
        LONG.set(records, at, Double.doubleToRawLongBits(v));
    }

    private long getLong(int at) {
        return (long) LONG.get(records, at);
    }

    private int getInt(int at) {
        return (int) INT.get(records, at);
    }

    private double getDouble(int at) {
        return Double.longBitsToDouble(getLong(at));
    }

    /** The UUID when the id is one in its canonical form, so unpacking gives back the same string. */
    private static UUID canonicalUuid(String id) {
        if (id.length() != 36) {
            return null;
        }
        try {
            UUID uuid = UUID.fromString(id);
            return uuid.toString().equals(id) ? uuid : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static <E extends Enum<E>> int mask(Set<E> values) {
        int mask = 0;
        for (E v : values) {
            mask |= 1 << v.ordinal();
        }
        return mask;
    }

    private static <E extends Enum<E>> Set<E> unmask(int mask, E[] all, Class<E> type) {
        if (mask == 0) {
            return Set.of();
        }
        EnumSet<E> set = EnumSet.noneOf(type);
        for (E e : all) {
            if ((mask & (1 << e.ordinal())) != 0) {
                set.add(e);
            }
        }
        return set;
    }
}
