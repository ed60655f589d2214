package io.strideback.events.vocabulary;

/** Where in the calf it hurts; MEDIAL_CALF_ALONG_SHIN points at tibialis posterior (seed 000). */
public enum PainLocation {
    UPPER_CALF, MID_CALF, LOWER_CALF, MEDIAL_CALF_ALONG_SHIN, ACHILLES, WHOLE_CALF
}
