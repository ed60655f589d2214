package io.strideback.events.vocabulary;

/** How hard a run was, from easiest to hardest; anything above EASY counts as "faster than EASY". */
public enum RunIntensity {
    EASY, STEADY, TEMPO, INTERVALS, SPRINT;

    public boolean fasterThanEasy() {
        return this != EASY;
    }
}
