package io.strideback.events.vocabulary;

/** Signs that need a doctor, not a plan change (seed 004). */
public enum RedFlag {
    DISCOLOURATION, SHINY_SKIN, SEVERE_TENDERNESS, SWELLING, GRADUAL_ONSET
}
