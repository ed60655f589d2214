package io.strideback.loadmonitor.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Session-RPE load (Foster 2001: RPE 0-10 x minutes) per calendar day in the clinic's zone, with acute and
 * chronic exponentially weighted moving averages, lambda = 2 / (N + 1), N = 7 and 28 (Williams 2017):
 * {@code ewma(d) = load(d) * lambda + ewma(d - 1) * (1 - lambda)}, starting from 0 the day before the first
 * session. Days without sessions have load 0. ACWR = acute / chronic, null while chronic is 0. It is context
 * for the clinician and never triggers anything (Impellizzeri 2020; Frandsen 2025).
 */
final class TrainingLoad {

    private TrainingLoad() {
    }

    static LoadSummary summarise(History history, SymptomFreeDistance symptomFree) {
        return summarise(history, symptomFree, DaysOfLoad.none(), null);
    }

    /**
     * The summary, resuming from the days before {@code fromDay} already worked out ({@code before}: every day
     * from the first session through the day before {@code fromDay}, empty when no session came before it); a
     * null {@code fromDay} starts from the first session. The averages carry on from the last day of
     * {@code before}, the same sums in the same order, so the figures are exactly those of a run from the start.
     */
    static LoadSummary summarise(History history, SymptomFreeDistance symptomFree, DaysOfLoad before,
                                 LocalDate fromDay) {
        ClinicRules rules = history.rules;
        Instant asOf = history.latestEventTime().orElse(null);
        Double sfdKm = null;
        Double longest30 = null;
        if (asOf != null) {
            SymptomFreeDistance.Measured sfd = symptomFree.asOf(asOf);
            sfdKm = sfd == null ? null : sfd.km();
            longest30 = history.longestRunKm(asOf.minus(rules.progressionWindow()), asOf);
        } else {
            sfdKm = history.profile.declaredSymptomFreeRunKm();
        }
        if (history.sessions.isEmpty()) {
            return new LoadSummary(DaysOfLoad.none(), 0.0, 0.0, null, sfdKm, longest30);
        }

        TreeMap<LocalDate, double[]> perDay = new TreeMap<>();
        Instant from = fromDay == null ? Instant.MIN : history.startOf(fromDay);
        for (TrainingSession s : history.sessionsStartingThrough(from, Instant.MAX)) {
            double[] day = perDay.computeIfAbsent(history.dateOf(s.startedAt()), d -> new double[2]);
            day[0] += s.sessionRpeLoad();
            Double km = s.runKm();
            day[1] += km == null ? 0.0 : km;
        }

        double acuteLambda = rules.acuteLambda();
        double chronicLambda = rules.chronicLambda();
        double acute = 0.0;
        double chronic = 0.0;
        List<DailyLoad> days = new ArrayList<>();
        LocalDate first;
        if (before.isEmpty()) {
            first = perDay.firstKey();
        } else {
            DailyLoad last = before.get(before.size() - 1);
            acute = last.acuteEwma();
            chronic = last.chronicEwma();
            first = last.date().plusDays(1);
        }
        LocalDate last = history.dateOf(asOf);
        for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
            double[] day = perDay.getOrDefault(d, new double[2]);
            acute = day[0] * acuteLambda + acute * (1 - acuteLambda);
            chronic = day[0] * chronicLambda + chronic * (1 - chronicLambda);
            days.add(new DailyLoad(d, day[0], day[1], acute, chronic, ratio(acute, chronic)));
        }
        return new LoadSummary(before.followedBy(days), acute, chronic, ratio(acute, chronic), sfdKm, longest30);
    }

    private static Double ratio(double acute, double chronic) {
        return chronic > 0 ? acute / chronic : null;
    }
}
