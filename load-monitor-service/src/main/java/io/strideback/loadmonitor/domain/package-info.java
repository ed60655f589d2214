/**
 * The clinical engine of load-monitor-service: DOMAIN.md "Rules v2" as plain Java. Nothing here knows about
 * Quarkus, Kafka, JSON or SQL; of the events module it uses only the shared vocabulary enums
 * ({@code DomainArchitectureTest} keeps it so).
 *
 * <p>Entry point: {@link io.strideback.loadmonitor.domain.LoadMonitor#analyse}, a pure function of an
 * {@link io.strideback.loadmonitor.domain.AthleteTimeline} (a set of events by event id) and the clinic's
 * {@link io.strideback.loadmonitor.domain.ClinicRules}. Same set, any arrival order: equal findings, equal ids.
 *
 * <h2>Decisions where DOMAIN.md is silent</h2>
 * <ul>
 *   <li><b>No clock.</b> Time passes only as events show it. An episode's end (48 h after its last report above
 *       pain 2) is recorded once a report at pain &lt;= 2 at least 48 h later, or any event more than 72 h after
 *       its latest report, shows it; otherwise it stays open. Silence is not a report at pain &lt;= 2, so a report
 *       71 h after the last one still joins. A settled cap is relaxed at the moment it became due, once a later
 *       event shows that moment has passed.</li>
 *   <li><b>Onset rule order</b> when several triggers hold: pain, baseline, pulling/sharp, morning (DOMAIN.md's
 *       order); the baseline is the median of reports strictly before, in the 7 days before; "the day before" of
 *       the MORNING rule is the athlete's previous calendar day. Rules v2: the baseline and morning triggers need
 *       pain 3 or more.</li>
 *   <li><b>Days</b> are the athlete's calendar days in the zone given at enrolment, else the clinic's, else UTC
 *       (NIGHT and MORNING rules, daily loads, the dates in reasons).</li>
 *   <li><b>Episodes split by class</b> (rules v2): a report meeting a trigger is classified on its own and joins
 *       the open episode of its class, else starts one; at most one episode per class is open. A report meeting no
 *       trigger joins no episode and counts towards ending every open one (above pain 2 it keeps them going); an
 *       episode lists only its triggering reports. Same-instant reports: running context first, then higher pain,
 *       then the rest of their content; the event id only between reports equal in every clinical field.</li>
 *   <li><b>Episode rule fields.</b> {@code FlareUpEpisode.rule} is the classification rule (what CONTRACT.md's
 *       {@code rule} shows); the onset trigger is in the added {@code onsetRule}.</li>
 *   <li><b>Triggering run.</b> DURING_RUN / AFTER_RUN: the latest run started before the report and ended at most
 *       24 h before it (may be absent if not synced yet). Other contexts: the latest run that ended in the 24 h
 *       before (inclusive) and qualifies; its reason, in order: longer than the symptom-free distance as it stood
 *       at the run's start, faster than EASY, spike. NIGHT: the run must have started the same calendar day, the
 *       athlete's, so a cramp after midnight does not count the evening run before it (seed 000).</li>
 *   <li><b>Symptom-free distance</b> as of a moment: runs of the last 42 days whose 24 h follow-up is over with no
 *       report meeting a trigger (an onset or a report joining an episode, either class) from their start; the
 *       longest of them. When none, the distance
 *       declared at enrolment (before any run history, and also when every recent run flared); with nothing
 *       declared, none, and then any run counts as longer than it (no distance has been shown safe).</li>
 *   <li><b>Spike</b>: ratio to the longest run that started in the 30 days before; "more than 10%" is strict.</li>
 *   <li><b>Loads</b>: EWMAs start at 0 the day before the first session; a session without RPE adds 0; days run
 *       from the first session to the latest event.</li>
 *   <li><b>Patterns</b> are evaluated at every distinct event time over episodes whose onset is in the trailing
 *       42 days; {@code Findings.patterns} are those holding as of the latest event, {@code since} being when the
 *       current unbroken stretch began; {@code Findings.adjustments} is the whole history of proposals.</li>
 *   <li><b>Emission</b>: a proposal is made when its pattern starts to hold, and again only when what it asks
 *       changes; identical requests from two holding patterns (mixed and random) are made once. The distance cap is
 *       decided when an episode newly joins the pattern and proposed only if it differs from the cap in force
 *       (which RELAX_RUN_CAP also sets, as far as the monitor can tell); LIMIT_PROGRESSION goes with each cap. A new
 *       PAUSE_RUNNING needs an episode newly in the repeated pattern after the previous pause is over.</li>
 *   <li><b>Wire format</b> (shared design for issue 13): RELAX_RUN_CAP {@code percent} and {@code ceilingKm} (110%
 *       of the longest run of the 30 days before it became due, to 0.1 km), never an absolute cap; PAUSE_RUNNING
 *       {@code days} and {@code startsAt}, the event time of its latest evidence; URGENT_REFERRAL one per red-flag
 *       report, however recent the last; ADD_EXERCISE CALF_ISOMETRIC_HOLD {@code hours} 72 and {@code fromPhase}
 *       RESTORE_CAPACITY, one per episode (its first report the evidence).</li>
 *   <li><b>New patterns</b>: medial shin bone stress: a MEDIAL_CALF_ALONG_SHIN report at NIGHT or AT_REST with any
 *       pain, or with GRADUAL_ONSET; strength under-dosed: strength sessions with calf work (raises, soleus, heel
 *       raises by name) in each of the last three 7-day spans, every calf exercise above 12 reps or below RPE 7 (an
 *       exercise with neither known keeps it from holding); flare-up while loading: shown 72 h after each onset.
 *       "Over the plan" is not evaluated: it needs the plan's constraints, which the monitor does not read.</li>
 *   <li><b>Intensity</b>: one episode after a faster-than-easy run suffices when an EASY run within +/-20% of its
 *       distance was shown symptom-free in the window (the contrast is the second piece of evidence).</li>
 *   <li><b>Repeated</b>: 3 running-triggered onsets within 14 days, or a running-triggered episode whose peak
 *       reached 7; PAUSE_RUNNING 7 days; GAIT_RETRAINING when the median logged cadence of the window is below 170,
 *       target +5% rounded.</li>
 *   <li><b>Random / mixed</b>: neural signs and a medial shin location are looked for in every report of the window,
 *       not only in flare-ups ("tingling heat sensations from time to time", seed 000). Mixed's running set: the cap
 *       (and progression limit) for running-triggered episodes beyond the symptom-free distance, reduced intensity
 *       and a recovery day for those after faster-than-easy runs, with no thresholds of their own.</li>
 *   <li><b>Settled</b>: 14 days from the later of the last cap change, the last episode's end and the last red-flag
 *       report, with at least 2 runs logged since; due at the later of the 14 days and the second run.</li>
 *   <li><b>Ids</b>: episode "ep-" + 12 hex of SHA-256 of the first report's event id; adjustment: name-based UUID of
 *       athlete, clinic, type, rule without the clinic's numbers, sorted evidence ids and canonical parameters, so
 *       a setting that does not change an adjustment keeps its id.</li>
 * </ul>
 */
package io.strideback.loadmonitor.domain;
