package io.strideback.loadmonitor.domain;

import io.strideback.events.vocabulary.AdjustmentType;
import io.strideback.events.vocabulary.PainCharacter;
import io.strideback.events.vocabulary.PainLocation;
import io.strideback.events.vocabulary.PatternKind;
import io.strideback.events.vocabulary.RedFlag;
import io.strideback.events.vocabulary.RunIntensity;
import io.strideback.events.vocabulary.SymptomContext;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * DOMAIN.md's pattern table, evaluated as the timeline unfolds: at every distinct event time, as of that time,
 * over the trailing 42 days. Emission follows one principle: <b>an adjustment is proposed when its pattern starts
 * to hold, and again only when what it asks of the plan changes</b>; while a pattern keeps holding, later events
 * do not repeat it. Specifically:
 * <ul>
 *   <li>distance: the cap is decided when new evidence arrives (an episode joins the pattern) and proposed only
 *       if it differs from the cap in force; LIMIT_PROGRESSION goes with every cap;</li>
 *   <li>repeated: a pause ends, so an episode that newly makes the pattern hold after the last pause is over
 *       proposes a new one; GAIT_RETRAINING goes with a pause when the cadence target changed;</li>
 *   <li>settled: every further 14 quiet days with runs relaxes the cap again, proposed at the moment it became
 *       due (shown by a later event, or by the clock passing that moment: {@link #passTime});</li>
 *   <li>red flag: proposed at once for every report carrying one (rules v2: red flags always escalate);</li>
 *   <li>everything else: once per stretch of time the pattern holds, and not when another pattern that holds has
 *       already proposed exactly the same thing (mixed and random both add the same exercise only once).</li>
 * </ul>
 */
final class PatternWatch {

    static final Set<PainCharacter> NEURAL_SIGNS =
            EnumSet.of(PainCharacter.TINGLING, PainCharacter.NUMBNESS, PainCharacter.HEAT);

    static final String NEURAL_GLIDES = "NEURAL_GLIDES";
    static final String MODIFIED_HEEL_RAISE_WITH_BALL = "MODIFIED_HEEL_RAISE_WITH_BALL";
    static final String TIBIALIS_POSTERIOR = "TIBIALIS_POSTERIOR";
    static final String RED_FLAG_REPORTED = "RED_FLAG_REPORTED";
    static final String CALF_ISOMETRIC_HOLD = "CALF_ISOMETRIC_HOLD";
    static final String BONE_STRESS = "BONE_STRESS";

    private final History history;
    private final ClinicRules rules;
    /** The episodes begun so far, growing as the timeline unfolds. */
    private final FlareUpDetector detector;
    private final SymptomFreeDistance symptomFree;
    private final Reasons say;

    /** What a checkpoint's memory had proposed, in {@link #adjustments} order, and their ids: shared, never changed. */
    private final List<ProposedAdjustment> earlierProposals;
    /** Sorted: found by binary search, 4 bytes an id (the strings are the proposals'). */
    private final String[] earlierIds;
    /** What this watch proposed since, in the order proposed. */
    private final List<ProposedAdjustment> proposals = new ArrayList<>();
    private final Set<String> proposalIds = new HashSet<>();
    private final EnumMap<PatternKind, Streak> streaks = new EnumMap<>(PatternKind.class);
    private final EnumMap<PatternKind, Shown> shown = new EnumMap<>(PatternKind.class);
    /** True while evaluating the latest event time, the only moment whose patterns are shown. */
    private boolean latest;

    /** The run cap this engine proposed and that is in force, when it was proposed, and when it last changed. */
    private Double capInForce;
    private Instant capProposedAt;
    private Instant capChangedAt;
    private final Set<String> distanceSeen = new HashSet<>();
    private final Set<String> mixedDistanceSeen = new HashSet<>();
    private final Set<String> repeatedSeen = new HashSet<>();
    private Instant pauseEndsAt;
    private Map<String, Object> lastGait;

    /** While a pattern holds: since when, and what it proposed (slot to parameters). */
    private static final class Streak {
        final Instant since;
        final Map<String, Map<String, Object>> proposed = new HashMap<>();

        Streak(Instant since) {
            this.since = since;
        }

        Streak copy() {
            Streak c = new Streak(since);
            c.proposed.putAll(proposed);
            return c;
        }
    }

    /**
     * What the watch remembers between event times, as of a checkpoint: everything the next event time's
     * evaluation reads besides the timeline and the episodes. Immutable once taken: a resumed watch copies it.
     */
    static final class Memory {
        private final List<ProposedAdjustment> proposals;
        private final String[] proposalIds;
        private final EnumMap<PatternKind, Streak> streaks;
        private final Double capInForce;
        private final Instant capProposedAt;
        private final Instant capChangedAt;
        private final Set<String> distanceSeen;
        private final Set<String> mixedDistanceSeen;
        private final Set<String> repeatedSeen;
        private final Instant pauseEndsAt;
        private final Map<String, Object> lastGait;

        /** @param cut the checkpoint: every later window starts after {@code cut} minus the pattern window */
        private Memory(PatternWatch w, Instant cut) {
            proposals = w.adjustments();
            if (w.proposalIds.isEmpty()) {
                proposalIds = w.earlierIds; // nothing new: share, so a checkpoint costs no hashing of old ids
            } else {
                String[] ids = java.util.Arrays.copyOf(w.earlierIds, w.earlierIds.length + w.proposalIds.size());
                int k = w.earlierIds.length;
                for (String id : w.proposalIds) {
                    ids[k++] = id;
                }
                java.util.Arrays.sort(ids);
                proposalIds = ids;
            }
            streaks = new EnumMap<>(PatternKind.class);
            w.streaks.forEach((k, v) -> streaks.put(k, v.copy()));
            capInForce = w.capInForce;
            capProposedAt = w.capProposedAt;
            capChangedAt = w.capChangedAt;
            // An episode that began before every later window can never be counted again: forget it, so what is
            // remembered stays the size of a window however long the history.
            Set<String> inLaterWindows = new HashSet<>();
            for (ClassifiedEpisode e : w.detector.withOnsetThrough(cut.minus(w.rules.patternWindow()), Instant.MAX)) {
                inLaterWindows.add(e.episodeId());
            }
            distanceSeen = retained(w.distanceSeen, inLaterWindows);
            mixedDistanceSeen = retained(w.mixedDistanceSeen, inLaterWindows);
            repeatedSeen = retained(w.repeatedSeen, inLaterWindows);
            pauseEndsAt = w.pauseEndsAt;
            lastGait = w.lastGait;
        }

        private static Set<String> retained(Set<String> seen, Set<String> keep) {
            Set<String> out = new HashSet<>(seen);
            out.retainAll(keep);
            return out;
        }

        /** A rough count of the heap held beyond the proposals themselves (which are the findings'). */
        long approximateBytes() {
            long bytes = 64 + 16 + 4L * proposals.size() + 16 + 4L * proposalIds.length + 64 + 96L * streaks.size();
            for (Set<String> seen : List.of(distanceSeen, mixedDistanceSeen, repeatedSeen)) {
                bytes += 48 + 48L * seen.size() + 40L * seen.size(); // ids of episodes: "ep-" and 12 hex digits
            }
            return bytes;
        }
    }

    /** What a holding pattern rests on, for {@link DetectedPattern}; only built as of the latest event. */
    private record Shown(List<ClassifiedEpisode> episodes, Collection<String> evidence) {
    }

    /** A watch from the first event on ({@code memory} null), or resuming from a checkpoint's memory. */
    PatternWatch(History history, FlareUpDetector detector, SymptomFreeDistance symptomFree, Memory memory) {
        this.history = history;
        this.rules = history.rules;
        this.detector = detector;
        this.symptomFree = symptomFree;
        this.say = new Reasons(history);
        this.earlierProposals = memory == null ? List.of() : memory.proposals;
        this.earlierIds = memory == null ? new String[0] : memory.proposalIds;
        if (memory != null) {
            memory.streaks.forEach((k, v) -> streaks.put(k, v.copy()));
            capInForce = memory.capInForce;
            capProposedAt = memory.capProposedAt;
            capChangedAt = memory.capChangedAt;
            distanceSeen.addAll(memory.distanceSeen);
            mixedDistanceSeen.addAll(memory.mixedDistanceSeen);
            repeatedSeen.addAll(memory.repeatedSeen);
            pauseEndsAt = memory.pauseEndsAt;
            lastGait = memory.lastGait;
        }
    }

    /** What this watch remembers now, to resume from later. */
    Memory memory(Instant cut) {
        return new Memory(this, cut);
    }

    /** The watch at event time {@code t}, after the detector took in the events at {@code t}. */
    void advanceTo(Instant t, boolean latestMoment) {
        relaxSettledCap(t);
        evaluate(t, latestMoment);
    }

    /**
     * Time passing to {@code t} with no event at it (after the latest event): the timers only, as an event at
     * {@code t} would run them: the settled cap relaxes when due, and the settled pattern starts to hold. The other
     * patterns stay as of the latest event; what time alone changes in them proposes nothing.
     */
    void passTime(Instant t) {
        this.latest = true;
        relaxSettledCap(t);
        holdSettled(t);
    }

    /**
     * The first instant after {@code t} at which {@link #passTime} would change something with no new event: the
     * settled cap's relaxing or the settled pattern's start, 14 quiet days after the last flare-up (or the third run
     * since, when later). Null while an episode is open (its end comes first, and is a due instant of its own) or
     * without the runs or the cap.
     */
    Instant nextDueAfter(Instant t) {
        Instant next = null;
        if (capInForce != null) {
            // relaxSettledCap at a later instant u: quiet since the cap changed, the runs started before u
            next = settledDue(capChangedAt, t, true);
            if (!streaks.containsKey(PatternKind.SETTLED)) {
                // holdSettled at u: quiet since the cap was proposed, the runs started at or before u
                Instant shown = settledDue(capProposedAt, t, false);
                next = next == null || (shown != null && shown.isBefore(next)) ? shown : next;
            }
        }
        return next == null || !next.isAfter(t) ? null : next;
    }

    private Instant settledDue(Instant since, Instant t, boolean runsBefore) {
        Instant quiet = detector.quietSince(since, t, true);
        if (quiet == null) {
            return null;
        }
        return dueFrom(withinThePlanSince(quiet, t, runsBefore), t, runsBefore);
    }

    /**
     * When a quiet stretch from {@code from} is settled, as far as the runs through {@code t} tell: 14 days on, or
     * the third run's start if later (with {@code runsBefore}, just after it); null with fewer runs.
     */
    private Instant dueFrom(Instant from, Instant t, boolean runsBefore) {
        Instant nthRun = history.nthRunStartThrough(from, t, rules.settledMinRuns());
        return nthRun == null ? null
                : later(from.plus(rules.settledWindow()), runsBefore ? nthRun.plusNanos(1) : nthRun);
    }

    List<ProposedAdjustment> adjustments() {
        List<ProposedAdjustment> own = new ArrayList<>(proposals);
        own.sort(Comparator.comparing(ProposedAdjustment::proposedAt)); // stable: same time keeps emission order
        if (earlierProposals.isEmpty()) {
            return own;
        }
        if (own.isEmpty()) {
            return earlierProposals;
        }
        // The earlier ones are sorted already and were proposed first: merging, earlier first on equal times,
        // is the stable sort of everything in the order proposed.
        List<ProposedAdjustment> out = new ArrayList<>(earlierProposals.size() + own.size());
        if (!own.get(0).proposedAt().isBefore(earlierProposals.get(earlierProposals.size() - 1).proposedAt())) {
            // the usual case (events in time): all of these after all of those, a copy and not a merge (issue #14)
            out.addAll(earlierProposals);
            out.addAll(own);
            return out;
        }
        int i = 0;
        int j = 0;
        while (i < earlierProposals.size() || j < own.size()) {
            if (j == own.size() || (i < earlierProposals.size()
                    && !earlierProposals.get(i).proposedAt().isAfter(own.get(j).proposedAt()))) {
                out.add(earlierProposals.get(i++));
            } else {
                out.add(own.get(j++));
            }
        }
        return out;
    }

    /** The patterns holding as of the latest event. */
    List<DetectedPattern> patterns() {
        List<DetectedPattern> out = new ArrayList<>();
        for (Map.Entry<PatternKind, Streak> e : streaks.entrySet()) {
            Shown s = shown.get(e.getKey());
            List<String> episodeIds = new ArrayList<>();
            for (ClassifiedEpisode ep : s.episodes()) {
                episodeIds.add(ep.episodeId());
            }
            out.add(new DetectedPattern(e.getKey(), e.getValue().since, episodeIds,
                    history.inEventOrder(s.evidence())));
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------------------

    private void evaluate(Instant t, boolean latestMoment) {
        this.latest = latestMoment;
        Instant from = t.minus(rules.patternWindow());
        List<ClassifiedEpisode> window = new ArrayList<>(detector.withOnsetThrough(from, t));
        SymptomFreeDistance.Measured sfd = symptomFree.asOf(t);
        List<ClassifiedEpisode> running = filter(window, true);
        List<ClassifiedEpisode> random = filter(window, false);
        List<SymptomReport> neural = new ArrayList<>();
        List<SymptomReport> medial = new ArrayList<>();
        List<SymptomReport> flagged = new ArrayList<>();
        for (SymptomReport r : history.reportsThrough(from, t)) {
            if (!Collections.disjoint(r.character(), NEURAL_SIGNS)) {
                neural.add(r);
            }
            if (r.location() == PainLocation.MEDIAL_CALF_ALONG_SHIN) {
                medial.add(r);
            }
            if (r.hasRedFlag()) {
                flagged.add(r);
            }
        }

        // Red flag (seed 004): any report in the window.
        hold(PatternKind.RED_FLAG, !flagged.isEmpty(), t, latest ? episodesHolding(flagged) : List.of(),
                () -> ids(flagged));

        // Running-triggered, distance: triggering runs longer than the symptom-free distance as it stands now.
        List<ClassifiedEpisode> beyond = new ArrayList<>();
        for (ClassifiedEpisode e : running) {
            if (e.triggeringRunKm() != null && SymptomFreeDistance.longerThan(e.triggeringRunKm(), sfd)) {
                beyond.add(e);
            }
        }
        boolean distance = beyond.size() >= rules.distanceMinEpisodes();
        hold(PatternKind.RUNNING_TRIGGERED_DISTANCE, distance, t, beyond, () -> capEvidence(beyond, sfd, t));

        // Running-triggered, intensity: faster runs triggered it while easy runs of similar length did not.
        List<ClassifiedEpisode> fasterThanEasy = new ArrayList<>();
        for (ClassifiedEpisode e : running) {
            if (e.triggeringRun() != null && e.triggeringRun().fasterThanEasy() && e.triggeringRunKm() != null) {
                fasterThanEasy.add(e);
            }
        }
        List<ClassifiedEpisode> faster = new ArrayList<>();
        Set<TrainingSession> easyContrast = new LinkedHashSet<>();
        if (!fasterThanEasy.isEmpty()) {
            List<TrainingSession> easyShownFree = new ArrayList<>();
            for (TrainingSession run : history.runsStartingThrough(from, t)) {
                if (run.intensity() == RunIntensity.EASY && run.runKm() != null
                        && symptomFree.shownSymptomFree(run, t)) {
                    easyShownFree.add(run);
                }
            }
            for (ClassifiedEpisode e : fasterThanEasy) {
                double km = e.triggeringRunKm();
                List<TrainingSession> similar = new ArrayList<>();
                for (TrainingSession easy : easyShownFree) {
                    if (Math.abs(easy.runKm() - km) <= rules.similarRunLength() * km + Km.EPSILON) {
                        similar.add(easy);
                    }
                }
                if (!similar.isEmpty()) {
                    faster.add(e);
                    easyContrast.addAll(similar);
                }
            }
        }
        boolean intensity = faster.size() >= rules.intensityMinEpisodes();
        hold(PatternKind.RUNNING_TRIGGERED_INTENSITY, intensity, t, faster,
                () -> concat(evidence(faster, t), runIds(easyContrast)));

        // Running-triggered, repeated: 3 within 14 days, or any at pain 7 or more.
        Set<ClassifiedEpisode> cluster = new LinkedHashSet<>();
        for (int i = 0; i < running.size(); i++) {
            for (int j = i + rules.repeatedMinEpisodes() - 1; j < running.size(); j++) {
                if (!running.get(j).onsetAt().isAfter(running.get(i).onsetAt().plus(rules.repeatedWindow()))) {
                    cluster.addAll(running.subList(i, j + 1));
                }
            }
        }
        List<ClassifiedEpisode> severe = new ArrayList<>();
        for (ClassifiedEpisode e : running) {
            if (e.trace().peakPainAsOf(t) >= rules.severePain()) {
                severe.add(e);
            }
        }
        List<ClassifiedEpisode> repeatedEpisodes = inOnsetOrder(cluster, severe);
        boolean repeated = !repeatedEpisodes.isEmpty();
        hold(PatternKind.RUNNING_TRIGGERED_REPEATED, repeated, t, repeatedEpisodes,
                () -> evidence(repeatedEpisodes, t));

        // Random: at least 2 episodes no run explains.
        boolean randomHolds = random.size() >= rules.randomMinEpisodes();
        hold(PatternKind.RANDOM, randomHolds, t, random,
                () -> concat(evidence(random, t), concat(ids(neural), ids(medial))));

        // Mixed: both kinds, at least 3 episodes.
        boolean mixed = !running.isEmpty() && !random.isEmpty() && window.size() >= rules.mixedMinEpisodes();
        hold(PatternKind.MIXED, mixed, t, window, () -> evidence(window, t));

        // Settled (shown as a pattern; the relaxing itself runs as a timer, see relaxSettledCap).
        holdSettled(t);

        // Flare-up while loading (seed 000: "isometrics if you get a flare up"): every episode asks for isometric
        // holds in place of loaded raises for 72 h; the plan applies it only in RESTORE_CAPACITY or later, the phase
        // the monitor does not know (shared design for issue 13). Shown while an episode began in the last 72 h.
        List<ClassifiedEpisode> loading = new ArrayList<>();
        for (ClassifiedEpisode e : window) {
            if (!e.onsetAt().isBefore(t.minus(rules.isometricsAfterFlareUp()))) {
                loading.add(e);
            }
        }
        hold(PatternKind.FLARE_UP_WHILE_LOADING, !loading.isEmpty(), t, loading, () -> evidence(loading, t));

        // Medial shin, bone stress (seed 003: a stress fracture hurts at night and at rest, "seek medical advice").
        List<SymptomReport> boneStress = new ArrayList<>();
        for (SymptomReport r : medial) {
            boolean atRest = r.context() == SymptomContext.NIGHT || r.context() == SymptomContext.AT_REST;
            if ((atRest && r.pain() > 0) || r.redFlags().contains(RedFlag.GRADUAL_ONSET)) {
                boneStress.add(r);
            }
        }
        hold(PatternKind.MEDIAL_SHIN_BONE_STRESS, !boneStress.isEmpty(), t,
                latest ? episodesHolding(boneStress) : List.of(), () -> ids(boneStress));

        // Strength under-dosed (seed 000: calf strength wants "<12 reps and RPE >7"): a finding, no plan change.
        List<TrainingSession> underDosed = underDosedCalfWork(t);
        hold(PatternKind.STRENGTH_UNDER_DOSED, !underDosed.isEmpty(), t, List.of(), () -> runIds(underDosed));

        if (!distance) {
            distanceSeen.clear();
        }
        if (!mixed) {
            mixedDistanceSeen.clear();
        }

        proposeUrgentReferrals(t);
        for (ClassifiedEpisode e : loading) {
            if (e.onsetAt().equals(t)) {
                proposeIsometrics(e, t);
            }
        }
        if (!boneStress.isEmpty()) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("concern", BONE_STRESS);
            p.put("screen", BONE_STRESS);
            propose(PatternKind.MEDIAL_SHIN_BONE_STRESS, AdjustmentType.CLINICIAN_REVIEW, boneStressRule(), p,
                    () -> ids(boneStress), () -> say.boneStressScreen(boneStress), t, true);
        }
        if (distance && grew(distanceSeen, beyond)) {
            proposeCap(PatternKind.RUNNING_TRIGGERED_DISTANCE, distanceRule(), beyond, sfd, t);
        }
        if (intensity) {
            proposeIntensity(PatternKind.RUNNING_TRIGGERED_INTENSITY, intensityRule(), faster,
                    new ArrayList<>(easyContrast), t);
        }
        if (repeated) {
            proposePause(cluster, severe, t);
        }
        if (randomHolds) {
            proposeExercises(PatternKind.RANDOM, randomRule(), neural, medial, t);
            propose(PatternKind.RANDOM, AdjustmentType.CLINICIAN_REVIEW, randomRule(),
                    params("concern", "FLARE_UPS_NOT_FROM_RUNNING"), () -> onsets(random),
                    () -> say.reviewRandom(random), t, true);
        }
        if (mixed) {
            // "Both sets": the running set for the running-triggered episodes there are, the random set, a review.
            if (!beyond.isEmpty() && grew(mixedDistanceSeen, beyond)) {
                proposeCap(PatternKind.MIXED, mixedRule(), beyond, sfd, t);
            }
            if (!fasterThanEasy.isEmpty()) {
                proposeIntensity(PatternKind.MIXED, mixedRule(), fasterThanEasy, List.of(), t);
            }
            proposeExercises(PatternKind.MIXED, mixedRule(), neural, medial, t);
            propose(PatternKind.MIXED, AdjustmentType.CLINICIAN_REVIEW, mixedRule(),
                    params("concern", "MIXED_FLARE_UPS"), () -> onsets(window),
                    () -> say.reviewMixed(window.size(), running.size(), random.size()), t, true);
        }
    }

    /** Starts or ends a pattern's streak; as of the latest event, remembers what it rests on. */
    private void hold(PatternKind kind, boolean holds, Instant since, List<ClassifiedEpisode> on,
                      Supplier<Collection<String>> evidence) {
        if (!holds) {
            streaks.remove(kind);
            shown.remove(kind);
            return;
        }
        streaks.computeIfAbsent(kind, k -> new Streak(since));
        if (latest) {
            shown.put(kind, new Shown(List.copyOf(on), List.copyOf(evidence.get())));
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Proposals

    private void proposeUrgentReferrals(Instant t) {
        for (SymptomReport r : history.reportsThrough(t, t)) {
            if (!r.hasRedFlag()) {
                continue;
            }
            // DOMAIN.md rules v2 "Red flags always escalate": one referral per red-flag report, its id from that
            // report, however recent the last one; whether a referral is already in force is the plan's to know.
            List<String> flags = new ArrayList<>();
            for (RedFlag f : r.redFlags()) {
                flags.add(f.name());
            }
            // Seed 004: discolouration, shiny skin, severe tenderness, swelling or a gradual onset need a doctor.
            propose(PatternKind.RED_FLAG, AdjustmentType.URGENT_REFERRAL, RED_FLAG_REPORTED,
                    params("redFlags", List.copyOf(flags)), () -> List.of(r.eventId()), () -> say.urgentReferral(r),
                    t, false);
        }
    }

    /**
     * CAP_RUN_DISTANCE to the symptom-free distance, or 80% of the shortest triggering run when there is none, and
     * LIMIT_PROGRESSION to +10% over the longest run of 30 days (seed 001: use the symptom-free distance for the
     * longest run and increase gradually). Only proposed when the cap differs from the one in force.
     */
    private void proposeCap(PatternKind pattern, String rule, List<ClassifiedEpisode> beyond,
                            SymptomFreeDistance.Measured sfd, Instant t) {
        double cap;
        if (sfd != null) {
            cap = Km.round(sfd.km());
        } else {
            double shortest = Double.MAX_VALUE;
            for (ClassifiedEpisode e : beyond) {
                shortest = Math.min(shortest, e.triggeringRunKm());
            }
            cap = Km.round(rules.capFallbackFraction() * shortest);
        }
        if (capInForce != null && Math.abs(cap - capInForce) < Km.EPSILON) {
            return;
        }
        List<String> evidence = capBasis(beyond, sfd);
        propose(pattern, AdjustmentType.CAP_RUN_DISTANCE, rule, params("maxDistanceKm", cap), () -> evidence,
                () -> say.cap(beyond, sfd, cap), t, false);
        capInForce = cap;
        capProposedAt = t;
        capChangedAt = t;

        Double longest = history.longestRunKm(t.minus(rules.progressionWindow()), t);
        if (longest != null) {
            double max = Km.round(longest * (100 + rules.progressionPercent()) / 100.0);
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("maxIncreasePercent", rules.progressionPercent());
            p.put("longestRun30dKm", Km.round(longest));
            p.put("maxDistanceKm", max);
            // The flare-ups, not the symptom-free run: the limit's number is the longest run's (its parameters).
            propose(pattern, AdjustmentType.LIMIT_PROGRESSION, rule, p, () -> onsetsAndRuns(beyond),
                    () -> say.limitProgression(longest, max), t, true);
        }
    }

    /** Seed 001: "reducing the running intensity whilst maintaining the running volume", recovery day before. */
    private void proposeIntensity(PatternKind pattern, String rule, List<ClassifiedEpisode> faster,
                                  List<TrainingSession> easyContrast, Instant t) {
        // The faster flare-ups by first report and triggering run; the easy runs that make the contrast stay in the
        // pattern's evidence (RUNNING_TRIGGERED_INTENSITY): an easy run that syncs late adds to them without changing
        // what is asked, and in the adjustment's id it withdrew and re-proposed it (round 19, DOMAIN "Convergence").
        Supplier<Collection<String>> evidence = () -> onsetsAndRuns(faster);
        propose(pattern, AdjustmentType.REDUCE_RUN_INTENSITY, rule, params("maxIntensity", RunIntensity.EASY.name()),
                evidence, () -> say.reduceIntensity(faster, !easyContrast.isEmpty()), t, true);
        propose(pattern, AdjustmentType.ADD_RECOVERY_DAY_BEFORE_INTENSE, rule, Map.of(), evidence,
                say::recoveryDay, t, true);
    }

    /**
     * PAUSE_RUNNING and strength first (seed 001: only remove running when calf pain is highly irritable), and
     * GAIT_RETRAINING +5% step rate when cadence is known and low (Heiderscheit 2011; seed 001).
     */
    private void proposePause(Set<ClassifiedEpisode> cluster, List<ClassifiedEpisode> severe, Instant t) {
        List<ClassifiedEpisode> all = inOnsetOrder(cluster, severe);
        List<ClassifiedEpisode> newcomers = new ArrayList<>();
        for (ClassifiedEpisode e : all) {
            if (repeatedSeen.add(e.episodeId())) {
                newcomers.add(e);
            }
        }
        if (newcomers.isEmpty() || (pauseEndsAt != null && t.isBefore(pauseEndsAt))) {
            return;
        }
        boolean byCluster = newcomers.stream().anyMatch(cluster::contains);
        String rule = byCluster ? repeatedClusterRule() : repeatedSevereRule();
        List<ClassifiedEpisode> basis = byCluster ? new ArrayList<>(cluster) : severe;
        String reason = byCluster ? say.pauseAfterRepeated(basis)
                : say.pauseAfterSevere(newcomers.get(newcomers.size() - 1), t);
        // DOMAIN.md "Time-bound adjustments live in event time": the pause runs from its latest evidence, so a
        // pause derived from data that synced late is dated when it happened, not when it arrived.
        List<String> reports = history.inEventOrder(reportsOf(basis, t));
        Instant startsAt = latestTimeOf(reports);
        // It rests on the flare-ups by their first reports, and on the report it is dated from; not on their runs:
        // the repeated rule counts running-triggered flare-ups, and a report DURING_RUN or AFTER_RUN is one before
        // its run syncs. With the runs in its id, a watch syncing after the phone withdrew the pause and proposed it
        // again, unchanged (round 19, DOMAIN "Convergence").
        List<String> evidence = onsets(basis);
        String datedBy = reports.get(reports.size() - 1);
        if (!evidence.contains(datedBy)) {
            evidence.add(datedBy);
        }
        Map<String, Object> pause = new LinkedHashMap<>();
        pause.put("days", rules.pauseRunningDays());
        pause.put("startsAt", startsAt.toString());
        propose(PatternKind.RUNNING_TRIGGERED_REPEATED, AdjustmentType.PAUSE_RUNNING, rule, pause, () -> evidence,
                () -> reason, t, false);
        pauseEndsAt = startsAt.plus(Duration.ofDays(rules.pauseRunningDays()));

        List<TrainingSession> withCadence = new ArrayList<>();
        for (TrainingSession run : history.runsStartingThrough(t.minus(rules.patternWindow()), t)) {
            if (run.cadenceSpm() != null) {
                withCadence.add(run);
            }
        }
        if (withCadence.isEmpty()) {
            return;
        }
        int current = medianCadence(withCadence);
        if (current >= rules.lowCadenceSpm()) {
            return;
        }
        int target = (int) Math.round(current * (100 + rules.cadenceIncreasePercent()) / 100.0);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("cadenceTargetSpm", target);
        p.put("currentCadenceSpm", current);
        if (p.equals(lastGait)) {
            return;
        }
        lastGait = p;
        // The pause's flare-ups; the runs' cadence is in the parameters (its median), not their ids: any run of 42
        // days that syncs late would otherwise move the id while the target stays.
        List<String> gaitEvidence = evidence;
        propose(PatternKind.RUNNING_TRIGGERED_REPEATED, AdjustmentType.GAIT_RETRAINING, rule + "_WITH_LOW_CADENCE",
                p, () -> gaitEvidence, () -> say.gaitRetraining(current, target), t, false);
    }

    /**
     * ADD_EXERCISE calf isometric holds for 72 h, from RESTORE_CAPACITY on (shared design for issue 13). One per
     * episode, its evidence the episode's first report, so its id stays as the episode grows.
     */
    private void proposeIsometrics(ClassifiedEpisode episode, Instant t) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("exercise", CALF_ISOMETRIC_HOLD);
        p.put("hours", rules.isometricsAfterFlareUp().toHours());
        p.put("fromPhase", "RESTORE_CAPACITY");
        propose(PatternKind.FLARE_UP_WHILE_LOADING, AdjustmentType.ADD_EXERCISE, isometricsRule(), p,
                () -> List.of(episode.trace().onset.eventId()), () -> say.isometrics(episode), t, false);
    }

    /**
     * The strength sessions of the last 3 weeks when they hold calf work in each of the 3 weeks and every calf
     * exercise logged in them was under-dosed: more than 12 reps, or an RPE under 7 (the exercise's RPE, else the
     * session's). An exercise logged without reps or RPE shows nothing either way, so it keeps the pattern from
     * holding. Empty when the pattern does not hold.
     */
    private List<TrainingSession> underDosedCalfWork(Instant t) {
        Duration window = rules.strengthDoseWindow();
        Instant from = t.minus(window);
        Duration week = window.dividedBy(3);
        boolean[] weeks = new boolean[3];
        List<TrainingSession> calfSessions = new ArrayList<>();
        for (TrainingSession s : history.sessionsStartingThrough(from, t)) {
            boolean calf = false;
            for (StrengthExercise e : s.exercises()) {
                if (!e.calfWork()) {
                    continue;
                }
                Integer rpe = e.rpe() != null ? e.rpe() : s.rpe();
                boolean highReps = e.reps() != null && e.reps() > rules.strengthMaxReps();
                boolean easy = rpe != null && rpe < rules.strengthMinRpe();
                if (!highReps && !easy) {
                    return List.of();
                }
                calf = true;
            }
            if (calf) {
                calfSessions.add(s);
                weeks[(int) Math.min(2, Duration.between(from, s.startedAt()).dividedBy(week))] = true;
            }
        }
        return weeks[0] && weeks[1] && weeks[2] ? calfSessions : List.of();
    }

    /** Seed 002: neural glides for neural tension; seed 000: heel raises with a ball, tibialis posterior. */
    private void proposeExercises(PatternKind pattern, String rule, List<SymptomReport> neural,
                                  List<SymptomReport> medial, Instant t) {
        if (!neural.isEmpty()) {
            propose(pattern, AdjustmentType.ADD_EXERCISE, rule + "_WITH_TINGLING_NUMBNESS_OR_HEAT",
                    params("exercise", NEURAL_GLIDES), () -> ids(neural), () -> say.neuralGlides(neural), t, true);
        }
        if (!medial.isEmpty()) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("exercise", MODIFIED_HEEL_RAISE_WITH_BALL);
            p.put("screen", TIBIALIS_POSTERIOR);
            propose(pattern, AdjustmentType.ADD_EXERCISE, rule + "_WITH_MEDIAL_CALF_ALONG_SHIN", p,
                    () -> ids(medial), () -> say.heelRaiseWithBall(medial), t, true);
        }
    }

    /**
     * Settled: 14 days with no episode while running under a cap this engine proposed, with runs logged in that
     * time, relaxes the cap by 10%, and again after every further 14 such days. Checked before the events at
     * {@code t}: the quiet days lie before them, and {@code t} shows that the time has passed.
     */
    private void relaxSettledCap(Instant t) {
        while (capInForce != null) {
            Instant quiet = detector.quietSince(capChangedAt, t, false);
            if (quiet == null) {
                return;
            }
            Instant quietFrom = withinThePlanSince(quiet, t, true);
            Instant nthRun = history.nthRunStartThrough(quietFrom, t, rules.settledMinRuns());
            if (nthRun == null || !nthRun.isBefore(t)) {
                return; // runs that started before t: the quiet days lie before the events at t
            }
            Instant due = later(quietFrom.plus(rules.settledWindow()), nthRun);
            if (due.isAfter(t)) {
                return;
            }
            List<TrainingSession> inPeriod = history.runsStartingThrough(quietFrom, due);
            // Shared design for issue 13 (DOMAIN.md "settled"): relative to the plan's CURRENT cap, which only the
            // plan knows (a clinician may have set another), with a ceiling of 110% of the longest run of the
            // previous 30 days (Frandsen 2025: beyond +10% is a spike); never an absolute target.
            Double longest = history.longestRunKm(due.minus(rules.progressionWindow()), due);
            double ceiling = Km.roundToTenth((longest != null ? longest : capInForce)
                    * (100 + rules.relaxCapPercent()) / 100.0);
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("percent", rules.relaxCapPercent());
            p.put("ceilingKm", ceiling);
            propose(PatternKind.SETTLED, AdjustmentType.RELAX_RUN_CAP, settledRule(), p, () -> runIds(inPeriod),
                    () -> say.relaxCap(ceiling, inPeriod.size()), due, false);
            // What the plan will have done, as far as this engine can tell: for the next cap decision only.
            capInForce = Math.min(Km.round(capInForce * (100 + rules.relaxCapPercent()) / 100.0), ceiling);
            capChangedAt = due;
        }
    }

    /** Settled as a pattern: quiet under a cap since the cap was proposed, the last episode or a red flag. */
    /**
     * DOMAIN.md "settled": 14 days with no flare-up and >= 3 runs, <b>none over the cap or during a pause</b>. The
     * quiet stretch that counts starts again when each such run that started before the stretch was due ended (a run
     * after it does not undo a relax already due). The cap is this engine's view of it ({@link #capInForce}), as for
     * the relax itself; the pause, the latest one it proposed. With {@code runsBefore}, the third run must start
     * before the due instant (as {@link #relaxSettledCap} reads them), else at it ({@link #holdSettled}).
     */
    private Instant withinThePlanSince(Instant quietFrom, Instant t, boolean runsBefore) {
        Instant from = quietFrom;
        for (TrainingSession run : history.runsStartingThrough(quietFrom, t)) {
            Instant due = dueFrom(from, t, runsBefore);
            if (due != null && !run.startedAt().isBefore(due)) {
                break;
            }
            if (outsideThePlan(run)) {
                from = later(run.endedAt(), run.startedAt().plusNanos(1));
            }
        }
        return from;
    }

    private boolean outsideThePlan(TrainingSession run) {
        boolean overTheCap = capInForce != null && run.distanceKm() != null
                && run.distanceKm() > capInForce + Km.EPSILON;
        boolean duringAPause = pauseEndsAt != null && run.startedAt().isBefore(pauseEndsAt)
                && !run.startedAt().isBefore(pauseEndsAt.minus(Duration.ofDays(rules.pauseRunningDays())));
        return overTheCap || duringAPause;
    }

    private void holdSettled(Instant t) {
        Instant quiet = capInForce == null ? null : detector.quietSince(capProposedAt, t, true);
        Instant quietFrom = quiet == null ? null : withinThePlanSince(quiet, t, false);
        Instant nthRun = quietFrom == null ? null : history.nthRunStartThrough(quietFrom, t, rules.settledMinRuns());
        if (nthRun == null) {
            hold(PatternKind.SETTLED, false, t, List.of(), List::of);
            return;
        }
        Instant since = later(quietFrom.plus(rules.settledWindow()), nthRun);
        Instant shownFrom = later(quietFrom, t.minus(rules.patternWindow()));
        hold(PatternKind.SETTLED, !since.isAfter(t), since, List.of(),
                () -> runIds(history.runsStartingThrough(shownFrom, t)));
    }

    /**
     * Records a proposal unless it repeats one still current: with {@code oncePerStreak}, an identical request
     * (type, exercise or concern, parameters) already proposed by a pattern that still holds. Evidence and reason
     * are only built for proposals that are made.
     */
    private void propose(PatternKind pattern, AdjustmentType type, String rule, Map<String, Object> parameters,
                         Supplier<Collection<String>> evidence, Supplier<String> reason, Instant at,
                         boolean oncePerStreak) {
        String slot = slot(type, parameters);
        if (oncePerStreak) {
            for (Streak s : streaks.values()) {
                if (parameters.equals(s.proposed.get(slot))) {
                    return;
                }
            }
        }
        Collection<String> evidenceIds = evidence.get();
        String id = DeterministicIds.adjustmentId(history.profile.athleteId(), history.profile.clinicId(), type,
                rule, evidenceIds, parameters);
        if (java.util.Arrays.binarySearch(earlierIds, id) >= 0 || !proposalIds.add(id)) {
            return;
        }
        proposals.add(new ProposedAdjustment(id, type, pattern, rule, parameters,
                history.inEventOrder(evidenceIds), reason.get(), at));
        Streak own = streaks.get(pattern);
        if (own != null) {
            own.proposed.put(slot, parameters);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Rule names: the "when" column of DOMAIN.md's table, with the clinic's numbers.

    private String distanceRule() {
        return "AT_LEAST_" + rules.distanceMinEpisodes() + "_RUNNING_TRIGGERED_BEYOND_SYMPTOM_FREE_DISTANCE";
    }

    private String intensityRule() {
        return "FASTER_THAN_EASY_TRIGGERED_WHILE_SIMILAR_EASY_RUNS_SYMPTOM_FREE";
    }

    private String repeatedClusterRule() {
        return "AT_LEAST_" + rules.repeatedMinEpisodes() + "_RUNNING_TRIGGERED_IN_"
                + rules.repeatedWindow().toDays() + "_DAYS";
    }

    private String repeatedSevereRule() {
        return "RUNNING_TRIGGERED_AT_PAIN_AT_LEAST_" + rules.severePain();
    }

    private String randomRule() {
        return "AT_LEAST_" + rules.randomMinEpisodes() + "_RANDOM";
    }

    private String mixedRule() {
        return "RUNNING_TRIGGERED_AND_RANDOM_AT_LEAST_" + rules.mixedMinEpisodes();
    }

    private String isometricsRule() {
        return "FLARE_UP_IN_RESTORE_CAPACITY_OR_LATER";
    }

    private String boneStressRule() {
        return "MEDIAL_SHIN_PAIN_AT_NIGHT_OR_AT_REST_OR_GRADUAL_ONSET";
    }

    private String settledRule() {
        return "NO_FLARE_UP_FOR_" + rules.settledWindow().toDays() + "_DAYS_UNDER_CAP";
    }

    // ---------------------------------------------------------------------------------------------------------
    // Helpers

    private static String slot(AdjustmentType type, Map<String, Object> parameters) {
        return switch (type) {
            case ADD_EXERCISE -> type + ":" + parameters.get("exercise");
            case CLINICIAN_REVIEW -> type + ":" + parameters.get("concern");
            default -> type.name();
        };
    }

    private static Map<String, Object> params(String key, Object value) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(key, value);
        return p;
    }

    private static boolean grew(Set<String> seen, List<ClassifiedEpisode> now) {
        boolean grew = false;
        for (ClassifiedEpisode e : now) {
            grew |= seen.add(e.episodeId());
        }
        return grew;
    }

    private static List<ClassifiedEpisode> filter(List<ClassifiedEpisode> episodes, boolean runningTriggered) {
        List<ClassifiedEpisode> out = new ArrayList<>();
        for (ClassifiedEpisode e : episodes) {
            if (e.runningTriggered() == runningTriggered) {
                out.add(e);
            }
        }
        return out;
    }

    private static List<ClassifiedEpisode> inOnsetOrder(Collection<ClassifiedEpisode> a,
                                                        Collection<ClassifiedEpisode> b) {
        Set<ClassifiedEpisode> all = new LinkedHashSet<>(a);
        all.addAll(b);
        List<ClassifiedEpisode> out = new ArrayList<>(all);
        out.sort(Comparator.comparing(ClassifiedEpisode::onsetAt).thenComparing(ClassifiedEpisode::episodeId));
        return out;
    }

    private List<ClassifiedEpisode> episodesHolding(List<SymptomReport> reports) {
        Set<String> ids = new HashSet<>(ids(reports));
        List<ClassifiedEpisode> out = new ArrayList<>();
        if (reports.isEmpty()) {
            return out;
        }
        Instant earliest = reports.get(0).observedAt();
        for (SymptomReport r : reports) {
            earliest = r.observedAt().isBefore(earliest) ? r.observedAt() : earliest;
        }
        for (ClassifiedEpisode e : detector.episodes()) {
            // an episode whose last report came before the earliest of these reports cannot hold one of them
            if (e.trace().lastReportAt().isBefore(earliest)) {
                continue;
            }
            if (e.trace().reports().stream().anyMatch(r -> ids.contains(r.eventId()))) {
                out.add(e);
            }
        }
        return out;
    }



    private List<String> capEvidence(List<ClassifiedEpisode> beyond, SymptomFreeDistance.Measured sfd, Instant t) {
        List<String> evidence = evidence(beyond, t);
        if (sfd != null && sfd.run() != null) {
            evidence.add(sfd.run().eventId());
        }
        return evidence;
    }

    /**
     * What a cap rests on: each flare-up by its first report and the run that brought it on (what the distance rule
     * reads of it), and the symptom-free run that sets the number. Not the reports that joined the flare-ups later:
     * whether a report joins depends on its class, which a run syncing late can change without changing the cap.
     */
    private static List<String> capBasis(List<ClassifiedEpisode> beyond, SymptomFreeDistance.Measured sfd) {
        List<String> evidence = onsetsAndRuns(beyond);
        if (sfd != null && sfd.run() != null) {
            evidence.add(sfd.run().eventId());
        }
        return evidence;
    }

    /** Each flare-up's first report and the run that brought it on, if known. */
    private static List<String> onsetsAndRuns(Collection<ClassifiedEpisode> episodes) {
        List<String> ids = new ArrayList<>();
        for (ClassifiedEpisode e : episodes) {
            ids.add(e.trace().onset.eventId());
            if (e.triggeringRun() != null) {
                ids.add(e.triggeringRun().eventId());
            }
        }
        return ids;
    }

    /** The flare-ups' symptom reports up to {@code t}, without their runs. */
    private static List<String> reportsOf(Collection<ClassifiedEpisode> episodes, Instant t) {
        List<String> ids = new ArrayList<>();
        for (ClassifiedEpisode e : episodes) {
            for (SymptomReport r : e.trace().reportsAsOf(t)) {
                ids.add(r.eventId());
            }
        }
        return ids;
    }

    private static List<String> evidence(Collection<ClassifiedEpisode> episodes, Instant t) {
        List<String> ids = new ArrayList<>();
        for (ClassifiedEpisode e : episodes) {
            ids.addAll(e.evidenceAsOf(t));
        }
        return ids;
    }

    /**
     * The flare-ups a clinician review is about, by their first reports, in onset order. Not {@link #evidence}: a
     * review flags episodes, and what arrives later without changing them (the run behind a DURING_RUN report,
     * synced after it; a report joining an open episode) belongs to the episode's own evidence. With it in the
     * review's evidence (and so in its content-derived id), the seed-000 demo withdrew its MIXED review and proposed
     * it again, unchanged, when the watch's runs arrived after the reports (round 18; DOMAIN.md "Convergence").
     */
    private static List<String> onsets(Collection<ClassifiedEpisode> episodes) {
        List<String> ids = new ArrayList<>();
        for (ClassifiedEpisode e : episodes) {
            ids.add(e.trace().onset.eventId());
        }
        return ids;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static List<String> ids(List<SymptomReport> reports) {
        List<String> ids = new ArrayList<>();
        for (SymptomReport r : reports) {
            ids.add(r.eventId());
        }
        return ids;
    }

    private static List<String> runIds(Collection<TrainingSession> runs) {
        List<String> ids = new ArrayList<>();
        for (TrainingSession r : runs) {
            ids.add(r.eventId());
        }
        return ids;
    }

    private static int medianCadence(List<TrainingSession> runs) {
        List<Integer> c = new ArrayList<>();
        for (TrainingSession r : runs) {
            c.add(r.cadenceSpm());
        }
        c.sort(null);
        int n = c.size();
        return n % 2 == 1 ? c.get(n / 2) : (int) Math.round((c.get(n / 2 - 1) + c.get(n / 2)) / 2.0);
    }

    private Instant latestTimeOf(Collection<String> eventIds) {
        Instant latest = null;
        for (String id : eventIds) {
            Instant at = history.timeOf(id);
            if (at != null && (latest == null || at.isAfter(latest))) {
                latest = at;
            }
        }
        return latest;
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
