package io.strideback.bench;

import io.strideback.events.vocabulary.Diagnosis;
import io.strideback.events.vocabulary.PainCharacter;
import io.strideback.events.vocabulary.PainLocation;
import io.strideback.events.vocabulary.RunIntensity;
import io.strideback.events.vocabulary.SessionType;
import io.strideback.events.vocabulary.SymptomContext;
import io.strideback.loadmonitor.domain.AthleteProfile;
import io.strideback.loadmonitor.domain.AthleteTimeline;
import io.strideback.loadmonitor.domain.ClinicRules;
import io.strideback.loadmonitor.domain.Findings;
import io.strideback.loadmonitor.domain.IncrementalAnalysis;
import io.strideback.loadmonitor.domain.LoadMonitor;
import io.strideback.loadmonitor.domain.StrengthExercise;
import io.strideback.loadmonitor.domain.SymptomReport;
import io.strideback.loadmonitor.domain.TrainingSession;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * The figure "analysis cost per event vs history" (issue #14), on the domain code alone, without the stack:
 * {@code ./strideback analysis-cost}, or {@code java -cp bench/target/classes:$(cat bench/target/bench.classpath)
 * io.strideback.bench.AnalysisCost}. For athletes with 100, 1,000 and 5,000 events of history it measures what one
 * more event costs the load monitor's rules through {@link IncrementalAnalysis#next} (resumed from its
 * checkpoint), next to a full {@link LoadMonitor#analyse} of the same timeline (what every event cost before);
 * then the heap an {@link IncrementalAnalysis} keeps per athlete with 100,000 athletes held. Prints the table and
 * writes {@code bench/results/analysis-cost.md}. Misses are printed as misses.
 *
 * <p>Properties: {@code bench.history.sizes} (100,1000,5000), {@code bench.history.added} (events timed per
 * size and runner, 200), {@code bench.history.runners} (runners per size, 8), {@code bench.history.athletes}
 * (100000), {@code bench.repo} (where results/ is).
 */
public final class AnalysisCost {

    private static final ClinicRules RULES = ClinicRules.defaults();
    /**
     * CPU time of the measuring thread, not wall time: eight engineers' builds share this machine's two cores, so a
     * wall clock measures the queue for a core; CPU time measures the work (GC threads' time is not in it).
     */
    private static final java.lang.management.ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    /** The longest history measured: every size's timed events follow the same recent past. */
    private static int LONGEST = 5000;
    private static final Instant DAY_0 = Instant.parse("2020-01-06T00:00:00Z");

    public static void main(String[] args) throws Exception {
        int added = Integer.getInteger("bench.history.added", 200);
        List<Integer> sizes = new ArrayList<>();
        for (String s : System.getProperty("bench.history.sizes", "100,1000,5000").split(",")) {
            sizes.add(Integer.parseInt(s.trim()));
        }
        int athletes = Integer.getInteger("bench.history.athletes", 100_000);
        LONGEST = sizes.stream().mapToInt(Integer::intValue).max().orElse(5000);
        List<String[]> rows = new ArrayList<>();
        List<String> notes = new ArrayList<>();

        say("warming up (JIT): every size once, not measured");
        for (int size : sizes) {
            measure(size, Math.min(added, 100), 1, 1);
        }
        // Sizes in turn for each runner, so a busy spell of the machine falls on all of them alike.
        int runners = Integer.getInteger("bench.history.runners", 8);
        Cost[][] measured = new Cost[sizes.size()][runners];
        for (int a = 0; a < runners; a++) {
            for (int i = 0; i < sizes.size(); i++) {
                say("runner " + (a + 1) + " of " + runners + ", history of " + sizes.get(i) + " events: adding "
                        + added + " more, one at a time");
                measured[i][a] = measure(sizes.get(i), added, 3, 31L + a);
            }
        }
        double[] perEvent = new double[sizes.size()];
        for (int i = 0; i < sizes.size(); i++) {
            int size = sizes.get(i);
            Cost c = mean(measured[i]);
            perEvent[i] = c.incrementalMicros;
            rows.add(new String[]{String.format(Locale.ROOT, "analysis cost per event, %,d events of history (%,d days)",
                    size, c.days), String.format(Locale.ROOT, "%.0f µs CPU", c.incrementalMicros),
                    String.format(Locale.ROOT, "full analysis of the same timeline: %.2f ms CPU", c.fullMillis),
                    String.format(Locale.ROOT, "%.0fx", c.fullMillis * 1000 / c.incrementalMicros),
                    String.format(Locale.ROOT, "%d of %d resumed", c.resumed, c.steps)});
            notes.add(String.format(Locale.ROOT, "%,d events: appending one event to the plain AthleteTimeline "
                    + "(copying its lists) took %.0f µs, not counted above; findings held %d episodes, %d "
                    + "adjustments, %d days of load", size, c.appendMicros, c.episodes, c.adjustments, c.days));
        }
        double min = Double.MAX_VALUE;
        double max = 0;
        for (double v : perEvent) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double ratio = max / min;
        rows.add(new String[]{"ratio, most to least costly per event", String.format(Locale.ROOT, "%.2fx", ratio),
                "", "goal <= 1.5x", ratio <= 1.5 ? "met" : "**missed**"});

        say("heap: " + athletes + " athletes' incremental analyses (42-day histories) held in heap");
        Heap heap = heap(athletes);
        rows.add(new String[]{String.format(Locale.ROOT, "heap per athlete of the incremental analysis, %,d athletes "
                        + "(%d events each)", athletes, heap.events),
                String.format(Locale.ROOT, "%.2f KiB", heap.bytesPerAthlete / 1024.0),
                String.format(Locale.ROOT, "its own estimate: %.2f KiB", heap.estimatePerAthlete / 1024.0), "< 10 KiB",
                heap.bytesPerAthlete < 10 * 1024 ? "met" : "**missed**"});
        notes.add("The heap figure is the IncrementalAnalysis alone: its checkpoint and the findings' objects it "
                + "shares (episodes, proposals with their sentences, days of load). The packed timeline "
                + "(CompactTimeline) is figure 5 of bench/results/latest.md and comes on top.");
        write(rows, notes);
    }

    record Cost(double incrementalMicros, double fullMillis, double appendMicros, int steps, int resumed, long days,
                int episodes, int adjustments) {
    }

    /**
     * The mean over several runners (each its own random history) of {@link #measure(int, int, int, long)}:
     * what the next events cost depends on what they are (a flare-up proposes more than a quiet morning), so
     * several histories of the same shape even that out and leave the length of the history as the difference.
     */
    static Cost mean(Cost[] runs) {
        double incremental = 0;
        double full = 0;
        double append = 0;
        int steps = 0;
        int resumed = 0;
        for (Cost c : runs) {
            incremental += c.incrementalMicros / runs.length;
            full += c.fullMillis / runs.length;
            append += c.appendMicros / runs.length;
            steps += c.steps;
            resumed += c.resumed;
        }
        Cost last = runs[runs.length - 1];
        return new Cost(incremental, full, append, steps, resumed, last.days, last.episodes, last.adjustments);
    }

    /** Primes an analysis with {@code size} events, then times {@code added} more, one at a time, in time order. */
    static Cost measure(int size, int added, int rounds, long seed) {
        // Every size times the same next events on top of the same recent past, only reaching further back: what
        // differs is the length of the history, not what the timed events are.
        List<Object> all = history(new Random(seed), LONGEST + added);
        List<Object> events = all.subList(LONGEST - size, LONGEST + added);
        AthleteProfile profile = profile("cost-" + seed);
        List<TrainingSession> sessions = new ArrayList<>();
        List<SymptomReport> reports = new ArrayList<>();
        for (Object e : events.subList(0, size)) {
            if (e instanceof TrainingSession s) {
                sessions.add(s);
            } else {
                reports.add((SymptomReport) e);
            }
        }
        AthleteTimeline primed = AthleteTimeline.of(profile, sessions, reports);
        // The timelines after each added event, built before timing: appending to the plain AthleteTimeline copies
        // its lists (the adapter's cost, reported apart), and doing it in between would also measure that copy
        // pushing the analysis' data out of the CPU caches.
        List<AthleteTimeline> steps = new ArrayList<>();
        AthleteTimeline timeline = primed;
        long appending = CPU.getCurrentThreadCpuTime();
        for (Object e : events.subList(size, size + added)) {
            timeline = e instanceof TrainingSession s ? timeline.with(s) : timeline.with((SymptomReport) e);
            steps.add(timeline);
        }
        long append = CPU.getCurrentThreadCpuTime() - appending;
        long incremental = Long.MAX_VALUE;
        int resumed = 0;
        Findings last = null;
        for (int round = 0; round < rounds; round++) {
            IncrementalAnalysis analysis = new IncrementalAnalysis();
            analysis.next(primed, null, RULES);
            long spent = 0;
            resumed = 0;
            for (int i = 0; i < added; i++) {
                long b = CPU.getCurrentThreadCpuTime();
                last = analysis.next(steps.get(i), timeOf(events.get(size + i)), RULES);
                spent += CPU.getCurrentThreadCpuTime() - b;
                resumed += analysis.lastWasFull() ? 0 : 1;
            }
            incremental = Math.min(incremental, spent);
        }
        if (!last.equals(LoadMonitor.analyse(timeline, RULES))) {
            throw new IllegalStateException("incremental findings differ from a full analysis at " + size + " events");
        }
        // the full analysis of a timeline of this size, as every event paid before issue #14
        long full = Long.MAX_VALUE;
        for (int i = 0; i < Math.max(3, 2000 / size); i++) {
            long a = CPU.getCurrentThreadCpuTime();
            LoadMonitor.analyse(primed, RULES);
            full = Math.min(full, CPU.getCurrentThreadCpuTime() - a);
        }
        return new Cost(incremental / 1e3 / added, full / 1e6, append / 1e3 / added, added, resumed,
                last.load().days().size(), last.episodes().size(), last.adjustments().size());
    }

    record Heap(long bytesPerAthlete, long estimatePerAthlete, int events) {
    }

    static Heap heap(int athletes) {
        long before = usedAfterGc();
        IncrementalAnalysis[] held = new IncrementalAnalysis[athletes];
        long estimate = 0;
        int events = 0;
        for (int a = 0; a < athletes; a++) {
            List<Object> history = history(new Random(a), -42);
            List<TrainingSession> sessions = new ArrayList<>();
            List<SymptomReport> reports = new ArrayList<>();
            for (Object e : history) {
                if (e instanceof TrainingSession s) {
                    sessions.add(s);
                } else {
                    reports.add((SymptomReport) e);
                }
            }
            events = history.size();
            AthleteTimeline timeline = AthleteTimeline.of(profile("mem-" + a), sessions, reports);
            held[a] = new IncrementalAnalysis();
            held[a].next(timeline, null, RULES);
            estimate += held[a].approximateBytes();
            if (a % 20_000 == 19_999) {
                say("  " + (a + 1) + " athletes");
            }
        }
        long after = usedAfterGc();
        if (held[athletes - 1].approximateBytes() <= 0) {
            throw new IllegalStateException();
        }
        return new Heap((after - before) / athletes, estimate / athletes, events);
    }

    /**
     * A runner's history in time order, {@code count} events long (or, negative, -{@code count} days long): runs
     * every other day, strength twice a week with calf work, a morning report most days, a pulling pain after a
     * run now and then (the shape of the memory figure's 42-day athlete, continued for as long as asked).
     */
    static List<Object> history(Random random, int count) {
        List<Object> out = new ArrayList<>();
        int maxDays = count < 0 ? -count : Integer.MAX_VALUE;
        for (int d = 0; d < maxDays && (count < 0 || out.size() < count); d++) {
            Instant day = DAY_0.plus(Duration.ofDays(d));
            List<Object> today = new ArrayList<>();
            if (random.nextInt(10) < 7) {
                today.add(new SymptomReport(uuid(random), day.plusSeconds(25_000), random.nextInt(3),
                        PainLocation.MID_CALF, Set.of(), SymptomContext.MORNING, Set.of()));
            }
            if (d % 2 == 0) {
                today.add(new TrainingSession(uuid(random), "garmin-" + (9_000_000_000L + random.nextInt(1 << 30)),
                        SessionType.RUN, day.plusSeconds(25_200), 30, 4, 3 + random.nextInt(5) + 0.5,
                        random.nextInt(5) == 0 ? RunIntensity.TEMPO : RunIntensity.EASY, 160 + random.nextInt(10)));
            }
            if (random.nextInt(10) == 0) {
                today.add(new SymptomReport(uuid(random), day.plusSeconds(30_000), 5, PainLocation.MID_CALF,
                        EnumSet.of(PainCharacter.PULLING), SymptomContext.AFTER_RUN, Set.of()));
            }
            if (d % 7 == 1 || d % 7 == 4) {
                today.add(new TrainingSession(uuid(random), "strength-" + d, SessionType.STRENGTH,
                        day.plusSeconds(64_800), 25, 6, null, null, null,
                        List.of(new StrengthExercise("SINGLE_LEG_CALF_RAISE_STRAIGHT_KNEE", 3, 12, 10.0, 7))));
            }
            for (Object e : today) {
                if (count < 0 || out.size() < count) {
                    out.add(e);
                }
            }
        }
        return out;
    }

    private static AthleteProfile profile(String id) {
        return new AthleteProfile(id, "bench-clinic", Diagnosis.CALF_STRAIN_SOLEUS,
                LocalDate.ofInstant(DAY_0, java.time.ZoneOffset.UTC).minusDays(30), 3.0);
    }

    private static Instant timeOf(Object e) {
        return e instanceof TrainingSession s ? s.startedAt() : ((SymptomReport) e).observedAt();
    }

    private static String uuid(Random random) {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void write(List<String[]> rows, List<String> notes) throws Exception {
        StringBuilder md = new StringBuilder("# Analysis cost per event vs history (issue #14)\n\n");
        md.append("Run ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append(" with `./strideback analysis-cost` ")
                .append("(domain code only, no stack), ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores, Java ").append(System.getProperty("java.version")).append(".\n\n");
        md.append("| figure | measured | for comparison | factor | verdict |\n|---|---|---|---|---|\n");
        for (String[] r : rows) {
            md.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        md.append("\nBefore issue #14 every event cost a full analysis: 3.7 ms with 100 events of history, 22.5 ms "
                + "with 1,000, 147 ms with 5,000 (40x).\n\nNotes:\n\n");
        for (String n : notes) {
            md.append("- ").append(n).append('\n');
        }
        System.out.println();
        System.out.println(md);
        Path out = Path.of(System.getProperty("bench.repo", ".")).resolve("bench/results/analysis-cost.md");
        if (Files.isDirectory(out.getParent())) {
            Files.writeString(out, md.toString());
            say("written to " + out);
        }
    }

    private static void say(String s) {
        System.out.println("[analysis-cost] " + s);
    }
}
