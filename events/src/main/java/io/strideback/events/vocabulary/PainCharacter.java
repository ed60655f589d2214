package io.strideback.events.vocabulary;

/** How it feels; TINGLING, NUMBNESS and HEAT point at neural tension (seed 002). */
public enum PainCharacter {
    PULLING, SHARP, CRAMP, TIGHTNESS, ACHE, TINGLING, NUMBNESS, HEAT
}
