package io.strideback.loadmonitor.domain;

import io.strideback.events.vocabulary.PainCharacter;
import io.strideback.events.vocabulary.PainLocation;
import io.strideback.events.vocabulary.RedFlag;
import io.strideback.events.vocabulary.SymptomContext;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What the athlete felt, when (event time), on the 0-10 numeric pain scale. Sets are copied into ordered,
 * unmodifiable enum sets so that iteration order never depends on how the report was built.
 */
public record SymptomReport(String eventId, Instant observedAt, int pain, PainLocation location,
                            Set<PainCharacter> character, SymptomContext context, Set<RedFlag> redFlags) {

    /** The top of the 0-10 numeric pain scale. */
    public static final int MAX_PAIN = 10;

    public SymptomReport {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(observedAt, "observedAt");
        if (pain < 0 || pain > MAX_PAIN) {
            throw new IllegalArgumentException("pain must be 0-10: " + pain);
        }
        character = enumSet(character, PainCharacter.class);
        redFlags = enumSet(redFlags, RedFlag.class);
    }

    public boolean has(PainCharacter c) {
        return character.contains(c);
    }

    public boolean hasRedFlag() {
        return !redFlags.isEmpty();
    }

    /**
     * The values in their vocabulary's order, unmodifiable, never null: a report's sets and the views made of them
     * (a forwarded read's sets come back from JSON as hash sets, whose order is each JVM's own: round 18).
     */
    public static <E extends Enum<E>> Set<E> enumSet(Set<E> values, Class<E> type) {
        EnumSet<E> copy = EnumSet.noneOf(type);
        if (values != null) {
            for (E v : values) {
                if (v != null) {
                    copy.add(v);
                }
            }
        }
        return Collections.unmodifiableSet(copy);
    }
}
