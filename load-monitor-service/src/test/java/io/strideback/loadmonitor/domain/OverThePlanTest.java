package io.strideback.loadmonitor.domain;

import io.strideback.events.vocabulary.RunIntensity;
import io.strideback.events.vocabulary.SessionType;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import static io.strideback.events.vocabulary.RunIntensity.EASY;
import static io.strideback.events.vocabulary.RunIntensity.INTERVALS;
import static io.strideback.events.vocabulary.RunIntensity.STEADY;
import static io.strideback.events.vocabulary.RunIntensity.TEMPO;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * DOMAIN.md patterns table, "over the plan": "a logged run longer than the cap, faster than the allowed intensity, or
 * during a pause -> an adherence finding for the clinician, no plan change". Each run is judged against the plan's
 * limits in force at its start.
 */
class OverThePlanTest {

    private static final String CLINIC = "clinic-1";
    private static final String ATHLETE = "ath-1";
    private static final Instant PLAN_MADE = Instant.parse("2026-05-01T08:00:00Z");
    private static final Instant CAPPED = Instant.parse("2026-05-03T18:00:00Z");

    /** Enrolled on 1 May (PROTECT: running paused), running from 2 May up to 5 km easy, capped at 4 km on 3 May. */
    private static final ConstraintSchedule PLAN = new ConstraintSchedule(7, List.of(
            new ConstraintSchedule.Period(PLAN_MADE, new PlanLimits(5.0, EASY, true)),
            new ConstraintSchedule.Period(Instant.parse("2026-05-02T09:00:00Z"), new PlanLimits(5.0, EASY, false)),
            new ConstraintSchedule.Period(CAPPED, new PlanLimits(4.0, EASY, false))));

    private static TrainingSession run(String id, String at, double km, RunIntensity intensity) {
        return new TrainingSession(id, "s-" + id, SessionType.RUN, Instant.parse(at), 40, 4, km, intensity, null);
    }

    private static List<AdherenceFinding> judge(ConstraintSchedule plan, TrainingSession... sessions) {
        return OverThePlan.findings(CLINIC, ATHLETE, ZoneId.of("UTC"), List.of(sessions), plan);
    }

    @Test
    void given_a_4km_cap_when_a_run_of_6_2km_is_logged_then_one_finding_over_the_cap() {
        List<AdherenceFinding> findings = judge(PLAN, run("r1", "2026-05-05T07:00:00Z", 6.2, EASY));

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.breach()).isEqualTo(Breach.OVER_DISTANCE_CAP);
            assertThat(f.runKm()).isEqualTo(6.2);
            assertThat(f.capKm()).isEqualTo(4.0);
            assertThat(f.inForceSince()).isEqualTo(CAPPED);
            assertThat(f.planVersion()).isEqualTo(7);
            assertThat(f.sessionEventId()).isEqualTo("r1");
            assertThat(f.reason()).isEqualTo("Ran 6.2 km easy on 5 May, over the 4.0 km cap in force since 3 May.");
        });
    }

    @Test
    void given_a_4km_cap_when_a_run_of_exactly_4km_is_logged_then_no_finding() {
        assertThat(judge(PLAN, run("r1", "2026-05-05T07:00:00Z", 4.0, EASY))).isEmpty();
    }

    @Test
    void given_the_cap_set_in_the_evening_when_a_longer_run_was_that_morning_then_it_is_judged_by_the_earlier_cap() {
        // 4.5 km at 07:00 on 3 May: the 5 km limit stood then; the 4 km cap came at 18:00.
        assertThat(judge(PLAN, run("r1", "2026-05-03T07:00:00Z", 4.5, EASY))).isEmpty();
    }

    @Test
    void given_easy_running_allowed_when_a_tempo_run_is_logged_then_one_finding_over_the_intensity() {
        assertThat(judge(PLAN, run("r1", "2026-05-06T07:00:00Z", 3.0, TEMPO))).singleElement().satisfies(f -> {
            assertThat(f.breach()).isEqualTo(Breach.OVER_INTENSITY);
            assertThat(f.intensity()).isEqualTo(TEMPO);
            assertThat(f.allowed()).isEqualTo(EASY);
            assertThat(f.reason()).isEqualTo("Ran 3.0 km tempo on 6 May, harder than the easy running allowed since"
                    + " 2 May.");
        });
    }

    @Test
    void given_intervals_allowed_when_a_steady_run_is_logged_then_no_finding() {
        ConstraintSchedule build = new ConstraintSchedule(9, List.of(
                new ConstraintSchedule.Period(PLAN_MADE, new PlanLimits(8.0, INTERVALS, false))));
        assertThat(judge(build, run("r1", "2026-05-06T07:00:00Z", 6.0, STEADY))).isEmpty();
    }

    @Test
    void given_a_run_both_too_long_and_too_hard_then_two_findings_with_their_own_ids() {
        List<AdherenceFinding> findings = judge(PLAN, run("r1", "2026-05-06T07:00:00Z", 5.0, TEMPO));
        assertThat(findings).extracting(AdherenceFinding::breach)
                .containsExactly(Breach.OVER_DISTANCE_CAP, Breach.OVER_INTENSITY);
        assertThat(findings.get(0).adherenceId()).isNotEqualTo(findings.get(1).adherenceId());
    }

    @Test
    void given_running_paused_when_any_run_is_logged_then_one_finding_during_the_pause() {
        // A short easy run on the day of enrolment: within every limit but the pause, which is the one that counts.
        assertThat(judge(PLAN, run("r1", "2026-05-01T17:00:00Z", 2.0, EASY))).singleElement().satisfies(f -> {
            assertThat(f.breach()).isEqualTo(Breach.DURING_PAUSE);
            assertThat(f.reason()).isEqualTo("Ran 2.0 km easy on 1 May, while running was paused (since 1 May).");
        });
    }

    @Test
    void given_no_plan_yet_then_no_run_is_judged() {
        assertThat(judge(null, run("r1", "2026-05-05T07:00:00Z", 20.0, TEMPO))).isEmpty();
    }

    @Test
    void given_a_run_before_the_plan_existed_then_it_is_not_judged() {
        assertThat(judge(PLAN, run("r1", "2026-04-20T07:00:00Z", 20.0, TEMPO))).isEmpty();
    }

    @Test
    void given_a_strength_session_or_a_walk_then_nothing_is_judged() {
        TrainingSession walk = new TrainingSession("w1", null, SessionType.WALK, Instant.parse("2026-05-05T07:00:00Z"),
                90, 2, 9.0, null, null);
        assertThat(judge(PLAN, walk)).isEmpty();
    }

    @Test
    void the_same_breach_keeps_its_id_and_the_findings_do_not_depend_on_the_sessions_order() {
        TrainingSession a = run("r1", "2026-05-05T07:00:00Z", 6.2, EASY);
        TrainingSession b = run("r2", "2026-05-06T07:00:00Z", 3.0, TEMPO);
        assertThat(judge(PLAN, a, b)).isEqualTo(judge(PLAN, b, a));
        assertThat(judge(PLAN, a).get(0).adherenceId())
                .isEqualTo(OverThePlan.adherenceId(CLINIC, ATHLETE, "r1", Breach.OVER_DISTANCE_CAP));
    }

    @Test
    void days_are_the_athletes_own() {
        // 23:30 UTC on 4 May is 5 May in Auckland.
        List<AdherenceFinding> findings = OverThePlan.findings(CLINIC, ATHLETE, ZoneId.of("Pacific/Auckland"),
                List.of(run("r1", "2026-05-04T23:30:00Z", 6.2, EASY)), PLAN);
        assertThat(findings.get(0).reason()).startsWith("Ran 6.2 km easy on 5 May");
    }

    @Test
    void given_breaches_within_and_beyond_42_days_when_read_as_a_pattern_then_it_starts_at_the_earliest_recent_one() {
        List<AdherenceFinding> findings = judge(PLAN, run("old", "2026-05-05T07:00:00Z", 6.2, EASY),
                run("r1", "2026-07-01T07:00:00Z", 6.0, EASY), run("r2", "2026-07-10T07:00:00Z", 5.0, EASY),
                run("fine", "2026-07-12T07:00:00Z", 3.0, EASY));

        OverThePlan.Pattern pattern = OverThePlan.pattern(findings).orElseThrow();

        assertThat(pattern.since()).isEqualTo(Instant.parse("2026-07-01T07:00:00Z"));
        assertThat(pattern.runEventIds()).containsExactly("r1", "r2");
        assertThat(OverThePlan.pattern(List.of())).isEmpty();
    }
}
