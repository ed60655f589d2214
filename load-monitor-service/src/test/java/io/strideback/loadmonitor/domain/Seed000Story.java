package io.strideback.loadmonitor.domain;

import io.strideback.events.vocabulary.Diagnosis;
import io.strideback.events.vocabulary.PainCharacter;
import io.strideback.events.vocabulary.PainLocation;
import io.strideback.events.vocabulary.SessionType;
import io.strideback.events.vocabulary.SymptomContext;

import static io.strideback.events.vocabulary.PainCharacter.ACHE;
import static io.strideback.events.vocabulary.PainCharacter.CRAMP;
import static io.strideback.events.vocabulary.PainCharacter.HEAT;
import static io.strideback.events.vocabulary.PainCharacter.PULLING;
import static io.strideback.events.vocabulary.PainCharacter.TIGHTNESS;
import static io.strideback.events.vocabulary.PainCharacter.TINGLING;
import static io.strideback.events.vocabulary.PainLocation.MEDIAL_CALF_ALONG_SHIN;
import static io.strideback.events.vocabulary.PainLocation.MID_CALF;
import static io.strideback.events.vocabulary.RunIntensity.EASY;
import static io.strideback.events.vocabulary.SymptomContext.AFTER_RUN;
import static io.strideback.events.vocabulary.SymptomContext.AT_REST;
import static io.strideback.events.vocabulary.SymptomContext.DURING_RUN;
import static io.strideback.events.vocabulary.SymptomContext.MORNING;
import static io.strideback.events.vocabulary.SymptomContext.NIGHT;
import static io.strideback.events.vocabulary.SymptomContext.WALKING;
import static io.strideback.loadmonitor.domain.Story.day;

/**
 * The runner of seed 000 ("Reoccurring Calf Injury", T Nation), told as events: "I'll jog about a mile or less
 * and continue the calf strengthening exercises after that ... about every other day"; "one night I woke up in
 * the middle of the night with an intense calf cramp. I tried running about a day later and felt another slight
 * pulling sensation"; "the calf just flares up on a random day when I'm walking around"; "the area that hurts is
 * the inside of the calf right along the shin bone"; "I'll get tingling heat sensations from time to time".
 *
 * <p>Told in its real order (rules v2 split episodes by class): the night cramp, then the pulling on the next
 * day's run, which is a running flare-up of its own and not hidden in the cramp's random episode.
 */
final class Seed000Story {

    static final String NIGHT_CRAMP = "night-cramp";
    static final String RUN_AFTER_THE_CRAMP = "run-after-the-cramp";
    static final String PULLING_ON_THE_RUN = "pulling-on-the-run";
    static final String WALKING_FLARE_UP = "walking-flare-up";
    static final String TINGLING_HEAT = "tingling-heat";

    static final AthleteProfile RUNNER = new AthleteProfile("seed-000", "clinic-1", Diagnosis.CALF_PAIN_UNSPECIFIED,
            Story.DAY_0.minusMonths(6), 1.6);

    private final Story story = Story.enrol(RUNNER);
    private final int lastDay;

    private Seed000Story(int lastDay) {
        this.lastDay = lastDay;
    }

    /** The whole story, to the tingling heat on day 24. */
    static Story told() {
        return toldUntilDay(30);
    }

    /** The story as the clinic knew it at the end of {@code lastDay}. */
    static Story toldUntilDay(int lastDay) {
        Seed000Story s = new Seed000Story(lastDay);
        s.tell();
        return s.story;
    }

    private void tell() {
        // Back to light jogging: a mile or less, easy, every other day; bodyweight calf raises in between.
        for (int d = 0; d <= 10; d += 2) {
            mileEasy(d);
        }
        for (int d = 1; d <= 9; d += 2) {
            calfRaises(d);
        }

        // The night cramp, with no run that day (the last run was the morning before).
        report(11, NIGHT_CRAMP, "03:00", 6, NIGHT, MID_CALF, CRAMP);
        report(11, "tender-evening", "19:00", 2, AT_REST, MID_CALF, ACHE);

        // Tries running about a day later: the slight pulling sensation, and a sore calf that evening.
        if (12 <= lastDay) {
            story.run(RUN_AFTER_THE_CRAMP, day(12, "07:00"), 1.6, EASY, 164);
        }
        report(12, PULLING_ON_THE_RUN, "07:06", 4, DURING_RUN, MID_CALF, PULLING);
        report(12, "sore-evening", "19:00", 3, AFTER_RUN, MID_CALF, ACHE);
        report(13, "easier-evening", "19:00", 1, AT_REST, MID_CALF);
        // "3-4 days resting the calf maybe doing a couple small walks", swimming and biking meanwhile.
        session(14, "small-walk", "12:00", SessionType.WALK, 20, 2);
        report(14, "on-the-walk", "12:20", 2, WALKING, MID_CALF);
        session(15, "swim", "18:00", SessionType.CROSS_TRAINING, 30, 4);
        report(15, "after-the-swim", "19:00", 1, AT_REST, MID_CALF);
        session(16, "bike", "18:00", SessionType.CROSS_TRAINING, 40, 4);

        // Light jogging again, every other day.
        for (int d = 17; d <= 21; d += 2) {
            mileEasy(d);
        }
        calfRaises(18);
        calfRaises(20);

        // A random flare-up while walking around, on the inside of the calf along the shin bone.
        report(22, WALKING_FLARE_UP, "17:00", 5, WALKING, MEDIAL_CALF_ALONG_SHIN, ACHE);
        report(23, "next-evening", "19:00", 3, AT_REST, MEDIAL_CALF_ALONG_SHIN, ACHE);
        // Tingling heat sensations from time to time.
        report(24, TINGLING_HEAT, "21:00", 2, AT_REST, MEDIAL_CALF_ALONG_SHIN, TINGLING, HEAT);
        report(25, "settled-again", "20:00", 1, AT_REST, MEDIAL_CALF_ALONG_SHIN);
    }

    private void mileEasy(int d) {
        if (d <= lastDay) {
            story.run("mile-d" + d, day(d, "07:00"), 1.6, EASY, 164)
                    .report("after-mile-d" + d, day(d, "08:00"), 1, AFTER_RUN, MID_CALF, TIGHTNESS);
        }
    }

    private void calfRaises(int d) {
        session(d, "calf-raises-d" + d, "18:00", SessionType.STRENGTH, 20, 4);
    }

    private void session(int d, String id, String hhmm, SessionType type, double minutes, int rpe) {
        if (d <= lastDay) {
            story.session(new TrainingSession(id, "session-" + id, type, day(d, hhmm), minutes, rpe, null, null,
                    null));
        }
    }

    private void report(int d, String id, String hhmm, int pain, SymptomContext context, PainLocation location,
                        PainCharacter... character) {
        if (d <= lastDay) {
            story.report(id, day(d, hhmm), pain, context, location, character);
        }
    }
}
