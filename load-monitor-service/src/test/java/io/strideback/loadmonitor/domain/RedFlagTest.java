package io.strideback.loadmonitor.domain;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.strideback.events.vocabulary.AdjustmentType.URGENT_REFERRAL;
import static io.strideback.events.vocabulary.PatternKind.RED_FLAG;
import static io.strideback.events.vocabulary.RedFlag.DISCOLOURATION;
import static io.strideback.events.vocabulary.RedFlag.SHINY_SKIN;
import static io.strideback.events.vocabulary.RedFlag.SWELLING;
import static io.strideback.loadmonitor.domain.Story.day;
import static org.assertj.core.api.Assertions.assertThat;

/** Pattern "red flag" (seed 004): URGENT_REFERRAL at once, even with no episode. */
class RedFlagTest {

    @Test
    void a_swollen_discoloured_calf_at_pain_1_is_referred_at_once_without_any_flare_up() {
        Findings findings = Story.athlete()
                .redFlag("swollen", day(0, "09:00"), 1, SWELLING, DISCOLOURATION)
                .findings();

        assertThat(findings.episodes()).isEmpty();
        assertThat(findings.adjustments()).singleElement().satisfies(referral -> {
            assertThat(referral.type()).isEqualTo(URGENT_REFERRAL);
            assertThat(referral.pattern()).isEqualTo(RED_FLAG);
            assertThat(referral.rule()).isEqualTo("RED_FLAG_REPORTED");
            assertThat(referral.parameters()).isEqualTo(Map.of("redFlags", List.of("DISCOLOURATION", "SWELLING")));
            assertThat(referral.evidenceEventIds()).containsExactly("swollen");
            assertThat(referral.proposedAt()).isEqualTo(day(0, "09:00"));
            assertThat(referral.reason()).isEqualTo("Discolouration and calf swelling reported on 2 Mar: see a doctor "
                    + "urgently, and stop running and calf loading until a clinician clears it.");
        });
        assertThat(Story.pattern(findings, RED_FLAG)).hasValueSatisfying(p -> {
            assertThat(p.since()).isEqualTo(day(0, "09:00"));
            assertThat(p.episodeIds()).isEmpty();
            assertThat(p.evidenceEventIds()).containsExactly("swollen");
        });
    }

    @Test
    void rules_v2_every_red_flag_report_is_a_referral_of_its_own_however_recent_the_last_one() {
        // DOMAIN.md rules v2: red flags always escalate; the plan decides whether a referral is already in force
        Story story = Story.athlete()
                .redFlag("swollen", day(0, "09:00"), 1, SWELLING)
                .redFlag("still-swollen", day(3, "09:00"), 1, SWELLING)
                .redFlag("shiny", day(5, "09:00"), 2, SWELLING, SHINY_SKIN)
                .redFlag("swollen-again", day(50, "09:00"), 1, SWELLING);

        List<ProposedAdjustment> referrals = story.adjustments(URGENT_REFERRAL);
        assertThat(referrals).extracting(a -> a.evidenceEventIds().get(0))
                .containsExactly("swollen", "still-swollen", "shiny", "swollen-again");
        assertThat(referrals).extracting(ProposedAdjustment::adjustmentId).doesNotHaveDuplicates();
    }

    @Test
    void a_referrals_id_comes_from_its_report_so_later_events_never_change_it() {
        Story story = Story.athlete().redFlag("swollen", day(0, "09:00"), 1, SWELLING);
        String id = story.adjustments(URGENT_REFERRAL).get(0).adjustmentId();

        story.redFlag("swollen-again", day(1, "09:00"), 1, SWELLING)
                .report("walking", day(2, "09:00"), 6, io.strideback.events.vocabulary.SymptomContext.WALKING);

        assertThat(story.adjustments(URGENT_REFERRAL).get(0).adjustmentId()).isEqualTo(id);
    }
}
