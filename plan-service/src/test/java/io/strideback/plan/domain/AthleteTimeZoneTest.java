package io.strideback.plan.domain;

import io.strideback.events.vocabulary.AdjustmentType;
import io.strideback.events.vocabulary.Diagnosis;
import io.strideback.events.vocabulary.Phase;
import io.strideback.events.vocabulary.Side;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static io.strideback.plan.domain.PlanFixtures.*;
import static io.strideback.plan.domain.PlanScenario.given;
import static org.junit.jupiter.api.Assertions.*;

/**
 * DOMAIN.md "Rules v2": a day is the athlete's calendar day in the time zone given at enrolment, else UTC.
 * The plan counts a pause's days and PROTECT's week in it (72 h windows are hours and need no zone).
 */
class AthleteTimeZoneTest {

    private static PlanCreated enrolled(String timeZone, Instant at) {
        return (PlanCreated) RehabPlan.empty().decide(new CreatePlan(ATHLETE, CLINIC, Diagnosis.CALF_STRAIN_GASTROCNEMIUS,
                Side.LEFT, INJURY, 5.0, at, timeZone)).get(0);
    }

    private static List<PlanEvent> then(List<PlanEvent> history, PlanCommand command) {
        List<PlanEvent> all = new ArrayList<>(history);
        all.addAll(RehabPlan.fold(history).decide(command));
        return all;
    }

    @Test
    void the_plan_keeps_the_athletes_time_zone_from_enrolment_and_counts_in_utc_without_one() {
        assertEquals(ZoneId.of("Australia/Brisbane"), RehabPlan.fold(List.of(enrolled("Australia/Brisbane", ENROLLED))).zone());
        assertEquals("Australia/Brisbane", enrolled("Australia/Brisbane", ENROLLED).timeZone());
        assertEquals(ZoneOffset.UTC, RehabPlan.fold(List.of(enrolled(null, ENROLLED))).zone());
        assertNull(enrolled("Not/AZone", ENROLLED).timeZone(), "a name that is no zone is not kept");
        assertEquals(ZoneOffset.UTC, RehabPlan.fold(List.of(enrolled("Not/AZone", ENROLLED))).zone());
    }

    @Test
    void a_running_pause_counts_the_athletes_days() {
        // 20:00 UTC on 10 April is already 06:00 on 11 April in Brisbane (UTC+10): the pause's first day is the 11th.
        Adjustment pause = adjustment("adj-pause", AdjustmentType.PAUSE_RUNNING,
                params("days", 2, "startsAt", "2026-04-10T20:00:00Z"));
        Instant arrives = Instant.parse("2026-04-10T20:30:00Z");
        List<PlanEvent> brisbane = List.of(enrolled("Australia/Brisbane", ENROLLED));
        brisbane = then(then(brisbane, overriding(Phase.RETURN_TO_RUN, day(5))), autoApply(pause, arrives));
        List<PlanEvent> utc = List.of(enrolled(null, ENROLLED));
        utc = then(then(utc, overriding(Phase.RETURN_TO_RUN, day(5))), autoApply(pause, arrives));

        assertEquals(LocalDate.parse("2026-04-13"), RehabPlan.fold(brisbane).constraints().pausedUntil());
        assertEquals(LocalDate.parse("2026-04-12"), RehabPlan.fold(utc).constraints().pausedUntil());
        assertTrue(RehabPlan.fold(brisbane).constraintsOn(LocalDate.parse("2026-04-12")).runningPaused());
        assertFalse(RehabPlan.fold(utc).constraintsOn(LocalDate.parse("2026-04-12")).runningPaused());
    }

    @Test
    void protect_lasts_a_week_of_the_athletes_days_across_a_daylight_saving_change() {
        // Enrolled at noon in London on 25 March 2026; the clocks go forward on 29 March, so a week later noon
        // in London is 11:00 UTC on 1 April, an hour before 7 x 24 h have passed.
        Instant noonInLondon = Instant.parse("2026-03-25T12:00:00Z");
        Instant weekLaterLondon = Instant.parse("2026-04-01T11:00:00Z");
        given(enrolled("Europe/London", noonInLondon))
                .when(new EndProtectIfDue(weekLaterLondon))
                .thenOne(PhaseChanged.class, e -> assertEquals(Phase.RESTORE_CAPACITY, e.to()));
        given(enrolled("Europe/London", noonInLondon))
                .when(new EndProtectIfDue(weekLaterLondon.minusSeconds(60)))
                .thenNothing();
        given(enrolled(null, noonInLondon))
                .when(new EndProtectIfDue(weekLaterLondon))
                .thenNothing();
    }

    @Test
    void a_day_by_arithmetic_on_a_fixed_offset_is_the_calendar_day_java_time_gives() {
        // dayOf takes a shortcut for fixed offsets (issue 15 item 3: atZone allocated on every call of a rebuild).
        List<Instant> instants = List.of(Instant.EPOCH, Instant.EPOCH.minusSeconds(1), Instant.parse("2026-03-29T00:59:59Z"),
                Instant.parse("2026-03-29T01:00:00Z"), Instant.parse("1969-12-31T23:59:59.999999999Z"),
                Instant.parse("2026-12-31T23:30:00Z"), Instant.ofEpochSecond(-62_167_219_200L), Instant.ofEpochSecond(253_402_300_799L));
        List<ZoneId> zones = new ArrayList<>(List.of(ZoneOffset.UTC, ZoneOffset.ofHours(14), ZoneOffset.ofHoursMinutes(-9, -30),
                ZoneOffset.MIN, ZoneOffset.MAX, ZoneId.of("Europe/Oslo"), ZoneId.of("Australia/Brisbane"), ZoneId.of("UTC")));
        for (Instant at : instants) {
            for (ZoneId zone : zones) {
                assertEquals(at.atZone(zone).toLocalDate(), RehabPlan.dayOf(at, zone), at + " in " + zone);
            }
            assertEquals(at.atZone(ZoneOffset.UTC).toLocalDate(), RehabPlan.dayOf(at, null), at + " without a zone");
        }
        // Out of LocalDate's range both ways fail alike.
        assertThrows(java.time.DateTimeException.class, () -> Instant.MIN.atZone(ZoneOffset.UTC).toLocalDate());
        assertThrows(java.time.DateTimeException.class, () -> RehabPlan.dayOf(Instant.MIN, ZoneOffset.UTC));
    }
}
