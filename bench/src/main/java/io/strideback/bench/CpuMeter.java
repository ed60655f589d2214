package io.strideback.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time per process of the local stack, read from {@code /proc/<pid>/stat} (issue 15: CPU ms per
 * accepted event per process, so the next bottleneck is visible). A process counts with all its
 * descendants, live ones by their own utime + stime, exited ones through their parent's cutime +
 * cstime. PostgreSQL is the launcher's JVM plus the postmaster named in its data directory's
 * {@code postmaster.pid}: pg_ctl starts the postmaster detached, so its backends are not the JVM's
 * descendants (the last run counted "postgres 0.00").
 */
final class CpuMeter {

    /** Clock ticks per second of /proc's counters (USER_HZ: 100 on Linux unless built otherwise). */
    private static final double TICKS_PER_SECOND = ticksPerSecond();

    /**
     * CPU milliseconds per named process at one moment, and how much of it the processes' JIT compiler threads
     * spent (their own counters in {@code /proc/<pid>/task}): round 9's per-thread profile of figure 4 found the
     * C1/C2 compilers of the freshly started JVMs using 0.5-0.75 of the two cores at every rate, a warm-up cost
     * that the per-event figure otherwise shows as work per event.
     */
    record Sample(long nanoTime, Map<String, Double> cpuMillis, double jitMillis) {
        Sample(long nanoTime, Map<String, Double> cpuMillis) {
            this(nanoTime, cpuMillis, 0);
        }
    }

    private final Map<String, List<Long>> roots = new LinkedHashMap<>();

    /**
     * The launcher's processes (the pid files under {@code home/pids}), the postmaster of
     * {@code home/postgres}, and this bench JVM, the load generator.
     */
    CpuMeter(Path home) {
        for (String name : List.of("intake-service", "plan-service", "load-monitor-service", "kafka", "postgres")) {
            readPid(home.resolve("pids").resolve(name + ".pid"))
                    .ifPresent(pid -> roots.computeIfAbsent(name, n -> new ArrayList<>()).add(pid));
        }
        postmaster(home.resolve("postgres"))
                .ifPresent(pid -> roots.computeIfAbsent("postgres", n -> new ArrayList<>()).add(pid));
        roots.put("bench (load generator)", List.of(ProcessHandle.current().pid()));
    }

    /** The postmaster's pid: the first line of {@code postmaster.pid} in a PostgreSQL data directory. */
    static java.util.Optional<Long> postmaster(Path dataDir) {
        return readPid(dataDir.resolve("postmaster.pid"));
    }

    private static java.util.Optional<Long> readPid(Path file) {
        try {
            String first = Files.readAllLines(file).stream().findFirst().orElse("").trim();
            return java.util.Optional.of(Long.parseLong(first));
        } catch (IOException | NumberFormatException e) {
            return java.util.Optional.empty(); // not started by the launcher: not measured
        }
    }

    boolean available() {
        return Files.isReadable(Path.of("/proc/self/stat"));
    }

    Sample sample() {
        Map<Long, Long> parentOf = new HashMap<>();
        Map<Long, Long> ticksOf = new HashMap<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    // After the command name's closing parenthesis: state ppid ... utime(11) stime(12) cutime(13) cstime(14)
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long pid = Long.parseLong(p.getFileName().toString());
                    parentOf.put(pid, Long.parseLong(f[1]));
                    ticksOf.put(pid, Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13])
                            + Long.parseLong(f[14]));
                } catch (IOException | RuntimeException gone) {
                    // exited meanwhile
                }
            });
        } catch (IOException e) {
            return new Sample(System.nanoTime(), Map.of());
        }
        Map<String, Double> millis = new LinkedHashMap<>();
        long jitTicks = 0;
        for (Map.Entry<String, List<Long>> root : roots.entrySet()) {
            long ticks = 0;
            for (Map.Entry<Long, Long> e : ticksOf.entrySet()) {
                // Counted once even if one root descends from another.
                if (root.getValue().stream().anyMatch(r -> descends(e.getKey(), r, parentOf))) {
                    ticks += e.getValue();
                    jitTicks += compilerTicks(e.getKey());
                }
            }
            millis.put(root.getKey(), ticks * 1000.0 / TICKS_PER_SECOND);
        }
        return new Sample(System.nanoTime(), millis, jitTicks * 1000.0 / TICKS_PER_SECOND);
    }

    /** utime + stime of a process's JIT compiler threads ("C1 CompilerThre", "C2 CompilerThre": comm is 15 bytes). */
    private static long compilerTicks(long pid) {
        long ticks = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    }
                } catch (IOException | RuntimeException gone) {
                    // the thread ended meanwhile (compiler threads come and go with the queue)
                }
            }
        } catch (IOException | RuntimeException gone) {
            // the process ended meanwhile
        }
        return ticks;
    }

    private static boolean descends(long pid, long root, Map<Long, Long> parentOf) {
        for (int depth = 0; depth < 32 && pid > 1; depth++) {
            if (pid == root) {
                return true;
            }
            Long parent = parentOf.get(pid);
            if (parent == null) {
                return false;
            }
            pid = parent;
        }
        return pid == root;
    }

    /**
     * "intake-service 0.41, ...; all 2.10 ms per event (cores busy: 1.6 of 2)": the CPU each process
     * spent between the samples, divided by the events accepted meanwhile.
     */
    static String perEvent(Sample before, Sample after, long events) {
        if (events <= 0 || before.cpuMillis().isEmpty()) {
            return "n/a";
        }
        List<String> parts = new ArrayList<>();
        double total = 0;
        for (Map.Entry<String, Double> e : after.cpuMillis().entrySet()) {
            double spent = e.getValue() - before.cpuMillis().getOrDefault(e.getKey(), e.getValue());
            total += spent;
            parts.add(String.format("%s %.2f", e.getKey(), spent / events));
        }
        double wallMillis = (after.nanoTime() - before.nanoTime()) / 1e6;
        // A compiler thread that ended took its counters with it: never below zero.
        double jit = Math.max(0, after.jitMillis() - before.jitMillis());
        return String.join(", ", parts) + String.format("; all %.2f ms per event (cores busy: %.1f of %d), of which"
                        + " the JIT compilers %.2f ms (%.1f cores)", total / events, total / wallMillis,
                Runtime.getRuntime().availableProcessors(), jit / events, jit / wallMillis);
    }

    /** The JIT compilers' share of the whole stack's CPU between the samples (NaN if none was spent). */
    static double jitShare(Sample before, Sample after) {
        double total = totalMillis(before, after);
        return total > 0 ? Math.max(0, after.jitMillis() - before.jitMillis()) / total : Double.NaN;
    }

    /** The JIT compilers' CPU ms per event between the samples. */
    static double jitPerEvent(Sample before, Sample after, long events) {
        return events <= 0 ? Double.NaN : Math.max(0, after.jitMillis() - before.jitMillis()) / events;
    }

    /** The whole stack's CPU ms per event between the samples (for budgets). */
    static double totalPerEvent(Sample before, Sample after, long events) {
        return events <= 0 ? Double.NaN : totalMillis(before, after) / events;
    }

    /** One process's CPU ms per event between the samples (NaN without events). */
    static double processPerEvent(Sample before, Sample after, String process, long events) {
        return events <= 0 ? Double.NaN
                : (after.cpuMillis().getOrDefault(process, 0.0) - before.cpuMillis().getOrDefault(process, 0.0)) / events;
    }

    private static double totalMillis(Sample before, Sample after) {
        double total = 0;
        for (Map.Entry<String, Double> e : after.cpuMillis().entrySet()) {
            total += e.getValue() - before.cpuMillis().getOrDefault(e.getKey(), e.getValue());
        }
        return total;
    }

    private static double ticksPerSecond() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor() == 0 ? Double.parseDouble(out) : 100;
        } catch (Exception e) {
            return 100;
        }
    }
}
