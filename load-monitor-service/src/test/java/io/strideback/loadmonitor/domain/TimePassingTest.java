package io.strideback.loadmonitor.domain;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static io.strideback.events.vocabulary.AdjustmentType.RELAX_RUN_CAP;
import static io.strideback.events.vocabulary.PainCharacter.ACHE;
import static io.strideback.events.vocabulary.PatternKind.SETTLED;
import static io.strideback.events.vocabulary.RedFlag.SWELLING;
import static io.strideback.events.vocabulary.RunIntensity.EASY;
import static io.strideback.events.vocabulary.SymptomContext.AT_REST;
import static io.strideback.events.vocabulary.SymptomContext.WALKING;
import static io.strideback.loadmonitor.domain.Story.day;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Findings that time alone makes due (round 16): the settled cap's relaxing and an episode's end come when their
 * time has passed, whether or not another event arrives, dated at their own due instant, never at the clock.
 */
class TimePassingTest {

    /**
     * Two running-triggered flare-ups (days 2 and 6) cap runs at 3.0 km; the second has settled by day 8, 10:30; five
     * runs under the cap up to day 18, and nothing after. Settled is due on day 22, 10:30 (SettledPatternTest).
     */
    static Story fiveCappedRunsAndThenNothing() {
        return SettledPatternTest.runningUnderTheCapEveryOtherDay(SettledPatternTest.cappedAt3km(), 10, 18);
    }

    static final Instant SETTLED_DUE = day(22, "10:30");

    @Test
    void settled_athlete_with_no_later_event_has_the_cap_relaxed_when_the_14_days_have_passed() {
        Story story = fiveCappedRunsAndThenNothing();

        // as of the latest event (the engine without a clock): not yet due, and said when it will be
        assertThat(story.adjustments(RELAX_RUN_CAP)).isEmpty();
        assertThat(story.findingsAsOf(day(18, "07:00")).nextChangeAt()).isEqualTo(SETTLED_DUE);
        // a minute before: nothing changes
        FindingsAsOf before = story.findingsAsOf(SETTLED_DUE.minusSeconds(60));
        assertThat(before.findings()).isEqualTo(story.findings());
        assertThat(before.nextChangeAt()).isEqualTo(SETTLED_DUE);

        // once the clock has passed it: relaxed, proposed at its due time, and the settled pattern holds
        FindingsAsOf due = story.findingsAsOf(SETTLED_DUE);
        assertThat(Story.of(due.findings(), RELAX_RUN_CAP)).singleElement().satisfies(relax -> {
            assertThat(relax.proposedAt()).isEqualTo(SETTLED_DUE);
            assertThat(relax.evidenceEventIds()).containsExactly("capped-10", "capped-12", "capped-14", "capped-16",
                    "capped-18");
        });
        assertThat(Story.pattern(due.findings(), SETTLED))
                .hasValueSatisfying(p -> assertThat(p.since()).isEqualTo(SETTLED_DUE));
        assertThat(due.asOf()).isEqualTo(SETTLED_DUE);
        // no more runs: nothing further is due without a new event
        assertThat(due.nextChangeAt()).isNull();
    }

    @Test
    void the_relaxing_is_the_one_a_later_event_brings_with_the_same_id() {
        Story withLaterRun = fiveCappedRunsAndThenNothing().run("capped-24", day(24, "07:00"), 3.0, EASY);

        assertThat(fiveCappedRunsAndThenNothing().findingsAsOf(SETTLED_DUE).findings().adjustments())
                .isEqualTo(withLaterRun.findings().adjustments());
    }

    @Test
    void a_late_clock_takes_each_change_at_its_due_time_not_at_the_clock() {
        // the instance was down for months: the same proposal, dated day 22, and no second relaxing (no runs since)
        FindingsAsOf late = fiveCappedRunsAndThenNothing().findingsAsOf(day(200, "00:00"));

        assertThat(late.findings()).isEqualTo(fiveCappedRunsAndThenNothing().findingsAsOf(SETTLED_DUE).findings());
        assertThat(late.asOf()).isEqualTo(SETTLED_DUE);
    }

    @Test
    void a_red_flag_is_no_quiet_day_so_the_clock_relaxes_only_14_days_after_it() {
        // DOMAIN.md: while a referral is in force nothing loosens; the monitor counts quiet days from the red flag
        // (the plan refuses a RELAX_RUN_CAP while the referral stands)
        Story story = fiveCappedRunsAndThenNothing().redFlag("swollen", day(15, "09:00"), 1, SWELLING)
                .run("capped-19", day(19, "07:00"), 3.0, EASY);

        assertThat(Story.of(story.findingsAsOf(day(29, "08:59")).findings(), RELAX_RUN_CAP)).isEmpty();
        assertThat(Story.of(story.findingsAsOf(day(29, "09:00")).findings(), RELAX_RUN_CAP)).singleElement()
                .satisfies(relax -> assertThat(relax.proposedAt()).isEqualTo(day(29, "09:00")));
    }

    /** A flare-up on day 0, 10:30 (pain 6), calm the next morning (pain 1), and nothing after. */
    static Story flareUpThatCalmedAndThenNothing() {
        return Story.athlete()
                .report("flare", day(0, "10:30"), 6, WALKING, ACHE)
                .report("calm", day(1, "09:00"), 1, AT_REST);
    }

    @Test
    void an_episode_that_calmed_is_shown_ended_once_nothing_can_join_it_with_no_later_event() {
        Story story = flareUpThatCalmedAndThenNothing();
        // nothing can join it 72 h after its latest report (the join window); its end is 48 h after its last pain
        Instant shown = day(1, "09:00").plus(Duration.ofHours(72)).plusNanos(1);

        assertThat(story.episodeStartedBy("flare").endedAt()).isNull();
        FindingsAsOf before = story.findingsAsOf(day(4, "09:00"));
        assertThat(before.findings().episodes().get(0).endedAt()).isNull();
        assertThat(before.nextChangeAt()).isEqualTo(shown);

        FindingsAsOf after = story.findingsAsOf(day(4, "09:01"));
        assertThat(after.findings().episodes().get(0).endedAt()).isEqualTo(day(2, "10:30"));
        assertThat(after.nextChangeAt()).isNull();
    }

    @Test
    void the_episode_ends_as_a_later_event_would_end_it() {
        Story withLaterRun = flareUpThatCalmedAndThenNothing().run("5k", day(6, "07:00"), 5.0, EASY);

        assertThat(flareUpThatCalmedAndThenNothing().findingsAsOf(day(5, "00:00")).findings().episodes())
                .isEqualTo(withLaterRun.findings().episodes());
    }

    @Test
    void a_report_within_the_join_window_still_joins_the_episode_whatever_the_clock_said_meanwhile() {
        // the clock may not end an episode early: a report 71 h after the last one joins it, as without a clock
        Story story = flareUpThatCalmedAndThenNothing().report("again", day(4, "08:00"), 6, WALKING, ACHE);

        FindingsAsOf now = story.findingsAsOf(day(4, "09:01"));
        assertThat(now.findings().episodes()).singleElement()
                .satisfies(e -> assertThat(e.eventIds()).containsExactly("flare", "again"));
        assertThat(now.findings()).isEqualTo(story.findings());
    }

    @Test
    void a_later_event_arriving_after_the_timer_fired_gives_the_findings_it_would_have_given_before() {
        IncrementalAnalysis analysis = new IncrementalAnalysis();
        Story story = fiveCappedRunsAndThenNothing();
        Instant clock = day(23, "00:00");
        FindingsAsOf fired = analysis.next(story.timeline(), null, story.rules(), clock);
        assertThat(Story.of(fired.findings(), RELAX_RUN_CAP)).hasSize(1);

        // a report synced late, from before the due time: the 14 quiet days start again, the relaxing is no more
        story.report("walking", day(16, "10:00"), 5, WALKING, ACHE);
        FindingsAsOf afterLate = analysis.next(story.timeline(), day(16, "10:00"), story.rules(), clock);

        assertThat(Story.of(afterLate.findings(), RELAX_RUN_CAP)).isEmpty();
        assertThat(afterLate).isEqualTo(story.findingsAsOf(clock));
        assertThat(afterLate).isEqualTo(new IncrementalAnalysis().next(story.timeline(), null, story.rules(), clock));
    }

    @Test
    void a_timer_not_yet_due_changes_nothing() {
        Story story = fiveCappedRunsAndThenNothing();
        IncrementalAnalysis analysis = new IncrementalAnalysis();
        Instant latest = story.timeline().latestEventTime().orElseThrow();

        FindingsAsOf atLatest = analysis.next(story.timeline(), null, story.rules(), latest);
        // a call with no new event (a timer) before the due time: the same findings, the same due time
        FindingsAsOf early = analysis.next(story.timeline(), Instant.MAX, story.rules(), SETTLED_DUE.minusMillis(1));

        assertThat(atLatest.findings()).isEqualTo(story.findings());
        assertThat(early).isEqualTo(atLatest);
        assertThat(analysis.lastWasFull()).isFalse();
    }
}
