package io.strideback.plan.service;

import io.agroal.api.AgroalDataSource;
import io.strideback.plan.domain.PlanEvent;
import io.strideback.plan.domain.RehabPlan;
import io.strideback.plan.mapping.PlanView;
import io.strideback.plan.store.ErasedAthletes;
import io.strideback.plan.store.FreshPlanViews;
import io.strideback.plan.store.PlanEventStore;
import io.strideback.plan.store.PlanProjection.PlanRef;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Rebuilds the plan projection from the event store as one stream (issue 15 item 3).
 * <ol>
 * <li>One ordered scan of {@code plan_event} through a server-side cursor on a connection of its own,
 * each plan folded as its events go by and forgotten once its view is written.</li>
 * <li>The views go by COPY into fresh tables ({@link FreshPlanViews}), committed every {@code chunk}
 * plans; no JTA transaction, no statement or idle-in-transaction timeout, at any size.</li>
 * <li>Catch-up without a lock: plans whose live view is at another version than the fresh one moved on
 * during the scan (the live view is written with its events); they are folded again.</li>
 * <li>The swap, one short transaction: lock the live tables (a short lock timeout, retried), fold again
 * the plans that moved on since step 3, drop erased athletes' plans ({@link ErasedAthletes}), rename
 * the fresh tables in. A consumer that waited on the lock writes to the new tables after it.</li>
 * </ol>
 * The live consumers keep reading and writing the live tables throughout; only step 4 holds them up.
 */
@ApplicationScoped
public class PlanRebuild {

    private static final Logger LOG = Logger.getLogger(PlanRebuild.class);
    /** One rebuild at a time across every replica sharing the database (a second one is answered 409). */
    private static final String LOCK = "SELECT pg_try_advisory_lock(hashtextextended('strideback.plan-rebuild', 0))";
    private static final String UNLOCK = "SELECT pg_advisory_unlock(hashtextextended('strideback.plan-rebuild', 0))";
    private static final int CATCH_UP_ROUNDS = 3;
    private static final int SWAP_ATTEMPTS = 20;

    /** What a rebuild did. */
    public record Result(int plans, long events, int caughtUp, Duration took) {
    }

    /** Told after each committed chunk (progress logging; tests hold a rebuild mid-way with it). */
    @FunctionalInterface
    public interface Progress {
        void chunkCommitted(int plans, long events) throws SQLException;
    }

    /** Another rebuild holds the lock. */
    public static class AlreadyRunning extends RuntimeException {
        AlreadyRunning() {
            super("a plan rebuild is already running");
        }
    }

    @Inject
    AgroalDataSource dataSource;
    @Inject
    PlanEventStore store;
    @Inject
    ErasedAthletes erasedAthletes;

    /*
     * What the pipeline holds in flight is sized for the young generation, not for round trips (h3 round 17, GC log of
     * figure 6): with 500-plan chunks (up to three of them alive: folding, queued, being written, ~40 KB of objects a
     * plan) and 5,000-row fetches, what was alive at a young collection lived through the next ones and was promoted,
     * so G1 ran a concurrent cycle about every second of a rebuild and paused plan-service 1.0-1.5 s of each 7-12 s pass.
     * With 100 and 1,000 it dies young: 0.1-0.4 s of pauses a pass, and the chunks' extra commits and look-up round
     * trips cost less than that (README "Speed").
     */
    @ConfigProperty(name = "strideback.plan.rebuild.chunk", defaultValue = "100")
    int chunk;
    @ConfigProperty(name = "strideback.plan.rebuild.fetch-size", defaultValue = "1000")
    int fetchSize;
    /**
     * Round 17: how long one of the rebuild's statements may go unanswered (an index on the fresh tables, a large COPY's
     * end) before the rebuild fails and drops its fresh tables; the datasource's own bound (socketTimeout, 10 s) is for
     * the service's short statements. A hanging database then ends a rebuild, which otherwise waited for ever.
     */
    @ConfigProperty(name = "strideback.plan.rebuild.socket-timeout", defaultValue = "PT30M")
    Duration socketTimeout;
    /** How long the swap waits for the live tables before it lets the consumers go and tries again. */
    @ConfigProperty(name = "strideback.plan.rebuild.swap-lock-timeout", defaultValue = "PT1S")
    Duration swapLockTimeout;

    public Result rebuildAll() throws SQLException {
        return rebuildAll(chunk, (plans, events) -> LOG.debugf("plan rebuild: %d plans, %d events", plans, events));
    }

    public Result rebuildAll(int chunkPlans, Progress progress) throws SQLException {
        long start = System.nanoTime();
        try (Connection scan = dataSource.getConnection(); Connection write = dataSource.getConnection();
             Connection queue = dataSource.getConnection()) {
            if (!locked(scan)) {
                throw new AlreadyRunning();
            }
            FreshPlanViews fresh = null;
            int pooledSocketTimeout = scan.getNetworkTimeout();
            try {
                for (Connection c : List.of(scan, write, queue)) {
                    sessionTimeouts(c, "0");
                    c.setNetworkTimeout(Runnable::run, (int) socketTimeout.toMillis());
                }
                write.setAutoCommit(false);
                queue.setAutoCommit(false);
                fresh = new FreshPlanViews(write, queue);
                fresh.create();
                Set<PlanRef> erased = erasedAthletes.erased(write);
                write.commit();

                // 1-2. The scan, folded and copied into the fresh tables chunk by chunk.
                long[] decodeNanos = new long[1];
                Fold fold = stream(scan, (c, visitor) -> store.scanAll(c, fetchSize, visitor, decodeNanos), decodeNanos,
                        fresh, write, queue, erased, chunkPlans, progress);
                scan.commit();
                long events = fold.events;
                long scanned = System.nanoTime();

                // Indexes and statistics first: the catch-up's joins on the fresh tables use and are planned with them.
                fresh.finishLoading();
                write.commit();
                long loaded = System.nanoTime();

                // 3. Catch up on what committed meanwhile, without a lock. A difference already folded again
                // (same plan, same live version) is not folded twice: a plan whose live view is missing or
                // stale stays different, and its fresh view is already its events' fold.
                Set<FreshPlanViews.Difference> done = new HashSet<>();
                int caughtUp = 0;
                for (int round = 0; round < CATCH_UP_ROUNDS; round++) {
                    List<FreshPlanViews.Difference> differences = fresh.differingFromLive().stream()
                            .filter(d -> !done.contains(d)).toList();
                    if (differences.isEmpty()) {
                        break;
                    }
                    caughtUp += foldAgain(write, fresh, plans(differences), erased);
                    done.addAll(differences);
                    write.commit();
                }
                long caughtUpAt = System.nanoTime();

                // 4. The swap.
                for (int attempt = 1; ; attempt++) {
                    if (fresh.lockLive(swapLockTimeout.toMillis())) {
                        break;
                    }
                    write.rollback();
                    if (attempt >= SWAP_ATTEMPTS) {
                        throw new SQLException("the plan views stayed busy for " + SWAP_ATTEMPTS + " swap attempts");
                    }
                }
                // Only plans that moved on since they were last folded.
                List<FreshPlanViews.Difference> moved = fresh.differingFromLive().stream()
                        .filter(d -> !done.contains(d)).toList();
                Set<PlanRef> erasedNow = erasedAthletes.erased(write);
                List<PlanRef> again = plans(moved);
                caughtUp += foldAgain(write, fresh, again, erasedNow);
                fresh.drop(erasedNow);
                fresh.swap();
                write.commit();
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                LOG.infof("plan rebuild: %d plans from %d events in %d ms (%.0f events/s; scan %d ms, indexes %d ms,"
                                + " catch-up %d ms, swap %d ms), %d plans caught up", fold.plans, events, took.toMillis(),
                        events / Math.max(took.toNanos() / 1e9, 1e-9), (scanned - start) / 1_000_000,
                        (loaded - scanned) / 1_000_000, (caughtUpAt - loaded) / 1_000_000,
                        (System.nanoTime() - caughtUpAt) / 1_000_000, caughtUp);
                // Where the scan's time went, stage by stage (h2 round 13): the slowest stage is the one whose
                // predecessor waited to hand it batches while it was busy for about the whole scan.
                LOG.infof("plan rebuild's scan: %s", fold.split);
                return new Result(fold.plans, events, caughtUp, took);
            } catch (SQLException | RuntimeException e) {
                // The live tables are untouched: only the fresh ones go.
                try {
                    if (!scan.getAutoCommit()) {
                        scan.rollback();
                    }
                    if (fresh != null) {
                        queue.rollback(); // its open COPY transaction would hold up the drop
                        write.rollback();
                        fresh.discard();
                        write.commit();
                    }
                } catch (SQLException cleanup) {
                    e.addSuppressed(cleanup);
                }
                throw e;
            } finally {
                write.setAutoCommit(true);
                queue.setAutoCommit(true);
                scan.setAutoCommit(true);
                for (Connection c : List.of(scan, write, queue)) {
                    sessionTimeouts(c, null);
                    c.setNetworkTimeout(Runnable::run, pooledSocketTimeout); // the pool's connections as they were
                }
                try (Statement st = scan.createStatement()) {
                    st.execute(UNLOCK);
                }
            }
        }
    }

    /** A scan of stored events on the scan's connection. */
    @FunctionalInterface
    private interface Scan {
        void scan(Connection c, PlanEventStore.EventVisitor visitor) throws SQLException;
    }

    /**
     * Steps 1-2: a pipeline of three threads, each handing the next one batches through a short queue: this one
     * scans and reads the events (autocommit off: PgJDBC streams with a fetch size only inside a transaction), a
     * second folds them into views, a third writes and commits the chunks on two connections (the views and the
     * approval queue load side by side on two PostgreSQL backends). The scan's transaction is the caller's;
     * {@code decodeNanos} is where {@code source} adds up its decoding time, for the log's split.
     */
    private Fold stream(Connection scan, Scan source, long[] decodeNanos, FreshPlanViews into, Connection write,
                        Connection queue, Set<PlanRef> erased, int chunkPlans, Progress progress) throws SQLException {
        scan.setAutoCommit(false);
        long from = System.nanoTime();
        Fold fold;
        // One chunk waits for the writer (with the one it writes and the one being folded, three in the
        // heap): every chunk of views held is live data each young collection copies.
        try (HandOff<Chunk> writer = new HandOff<>("plan-rebuild-writer", 1, c -> {
            into.copy(c.views());
            queue.commit();
            write.commit();
            progress.chunkCommitted(c.plans(), c.events());
        })) {
            fold = new Fold(erased, (views, plans, events) -> writer.hand(new Chunk(views, plans, events)),
                    chunkPlans);
            try (HandOff<List<ScannedEvent>> folder = new HandOff<>("plan-rebuild-fold", 4, batch -> {
                for (ScannedEvent e : batch) {
                    fold.add(e.clinicId(), e.athleteId(), e.event());
                }
            })) {
                Batcher batcher = new Batcher(folder);
                source.scan(scan, batcher);
                batcher.flush();
                folder.finish();
                fold.split.append("scan thread ").append((System.nanoTime() - from) / 1_000_000).append(" ms, of which decoding ")
                        .append(decodeNanos[0] / 1_000_000).append(" ms; fold thread ").append(folder.times());
            }
            fold.finish();
            writer.finish();
            fold.split.append("; writer thread ").append(writer.times()).append(" (look-ups ").append(into.probeMillis())
                    .append(" ms, COPY ").append(into.copyMillis()).append(" ms)");
        }
        return fold;
    }

    /** Folds these plans again from their events into the fresh tables (a plan with no events left has no view). */
    private int foldAgain(Connection c, FreshPlanViews fresh, List<PlanRef> plans, Set<PlanRef> erased)
            throws SQLException {
        // In chunks, as the scan: a large catch-up (many live views missing) must not hold every view at once.
        for (int from = 0; from < plans.size(); from += chunk) {
            List<PlanRef> some = plans.subList(from, Math.min(plans.size(), from + chunk));
            List<PlanView> views = new ArrayList<>();
            Fold fold = new Fold(erased, (folded, p, e) -> views.addAll(folded), Integer.MAX_VALUE);
            store.scanPlans(c, some, (clinicId, athleteId, sequence, event) -> fold.add(clinicId, athleteId, event));
            fold.finish();
            fresh.replace(some, views);
        }
        return plans.size();
    }

    private static List<PlanRef> plans(List<FreshPlanViews.Difference> differences) {
        Set<PlanRef> out = new LinkedHashSet<>();
        differences.forEach(d -> out.add(d.plan()));
        return new ArrayList<>(out);
    }

    private static boolean locked(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); var rs = st.executeQuery(LOCK)) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    /** No timeout cuts a rebuild short at any size; the pool gets its connections back as they were. */
    private static void sessionTimeouts(Connection c, String value) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String setting : List.of("statement_timeout", "idle_in_transaction_session_timeout")) {
                st.execute(value == null ? "RESET " + setting : "SET " + setting + " = " + value);
            }
        }
    }

    /** Where a fold's chunks go, with the plans and events folded so far. */
    @FunctionalInterface
    interface Sink {
        void accept(List<PlanView> views, int plans, long events) throws SQLException;
    }

    /** Events handed from the scan to the fold at a time. */
    private static final int SCANNED_BATCH = 500;

    /** An event as the scan read it, with its plan's key. */
    private record ScannedEvent(String clinicId, String athleteId, PlanEvent event) {
    }

    /** Groups the scanned events into batches for the fold's thread. */
    private static final class Batcher implements PlanEventStore.EventVisitor {
        private final HandOff<List<ScannedEvent>> to;
        private List<ScannedEvent> batch = new ArrayList<>(SCANNED_BATCH);

        Batcher(HandOff<List<ScannedEvent>> to) {
            this.to = to;
        }

        @Override
        public void visit(String clinicId, String athleteId, long sequence, PlanEvent event) throws SQLException {
            batch.add(new ScannedEvent(clinicId, athleteId, event));
            if (batch.size() == SCANNED_BATCH) {
                flush();
            }
        }

        void flush() throws SQLException {
            to.hand(batch);
            batch = new ArrayList<>(SCANNED_BATCH);
        }
    }

    /** Views folded and handed to the writer, with the plans and events folded so far. */
    private record Chunk(List<PlanView> views, int plans, long events) {
    }

    /** What a stage of the pipeline does with each batch handed to it. */
    @FunctionalInterface
    interface Stage<T> {
        void accept(T batch) throws SQLException;
    }

    /**
     * A stage of the rebuild's pipeline on a thread of its own (issue 15 item 3: the scan's reading of the events,
     * the fold and the writing of the views each took a good part of a core, one after the other, in the round 5
     * and 6 profiles). A bounded queue: the stage before waits when this one is {@code capacity} batches behind,
     * so the heap holds at most that many. A failure here stops the stage before at its next hand-over; the
     * resources the stage uses (a connection) are its own until {@link #close}.
     */
    private static final class HandOff<T> implements AutoCloseable {
        private static final Object END = new Object();

        private final Stage<T> stage;
        private final BlockingQueue<Object> queue;
        private final Thread thread;
        private volatile Throwable failure;
        private boolean ended;
        /** Nanoseconds this stage spent on its batches, and the stage before spent waiting to hand them over. */
        private long busyNanos;
        private long waitNanos;

        HandOff(String name, int capacity, Stage<T> stage) {
            this.stage = stage;
            this.queue = new ArrayBlockingQueue<>(capacity);
            this.thread = new Thread(this::run, name);
            thread.setDaemon(true);
            thread.start();
        }

        @SuppressWarnings("unchecked")
        private void run() {
            try {
                for (Object batch = queue.take(); batch != END; batch = queue.take()) {
                    long t = System.nanoTime();
                    stage.accept((T) batch);
                    busyNanos += System.nanoTime() - t;
                }
            } catch (Throwable t) {
                failure = t;
                queue.clear(); // a stage waiting to hand over sees the failure
            }
        }

        /** Hands a batch over (it is this stage's from now on), waiting while the queue is full. */
        void hand(T batch) throws SQLException {
            long t = System.nanoTime();
            try {
                while (!queue.offer(batch, 100, TimeUnit.MILLISECONDS)) {
                    rethrowFailure();
                }
                waitNanos += System.nanoTime() - t;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("plan rebuild interrupted", e);
            }
            rethrowFailure();
        }

        /** This stage's busy time and the stage before's wait for it (read after {@link #finish}: the join orders it). */
        String times() {
            return "busy " + busyNanos / 1_000_000 + " ms, handed to after " + waitNanos / 1_000_000 + " ms of waiting";
        }

        /** Waits until every batch handed over is done; throws what stopped the stage, if anything did. */
        void finish() throws SQLException {
            end();
            rethrowFailure();
        }

        /** The stage stopped: after the last batch, or at once when the stage before failed (what is queued is dropped). */
        @Override
        public void close() {
            if (!ended) {
                queue.clear();
                end();
            }
        }

        private void end() {
            ended = true;
            boolean interrupted = false;
            while (failure == null && !queue.offer(END)) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            while (true) {
                try {
                    thread.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        private void rethrowFailure() throws SQLException {
            Throwable t = failure;
            if (t instanceof SQLException e) {
                throw e;
            }
            if (t instanceof RuntimeException e) {
                throw e;
            }
            if (t instanceof Error e) {
                throw e;
            }
            if (t != null) {
                throw new SQLException("the plan rebuild's " + thread.getName() + " failed", t);
            }
        }
    }

    /** Folds the events of an ordered scan plan by plan, handing the views on in chunks. */
    private static final class Fold {
        private final Set<PlanRef> erased;
        private final Sink sink;
        private final int chunk;
        private List<PlanView> pending = new ArrayList<>();
        private String clinic;
        private String athlete;
        private RehabPlan plan;
        /** The scan's split by stage, for the log. */
        final StringBuilder split = new StringBuilder();
        int plans;
        long events;

        Fold(Set<PlanRef> erased, Sink sink, int chunk) {
            this.erased = erased;
            this.sink = sink;
            this.chunk = chunk;
        }

        void add(String clinicId, String athleteId, PlanEvent event) throws SQLException {
            if (!athleteId.equals(athlete) || !clinicId.equals(clinic)) {
                done();
                clinic = clinicId;
                athlete = athleteId;
                plan = erased.contains(new PlanRef(clinicId, athleteId)) ? null : RehabPlan.empty();
            }
            events++;
            if (plan != null) {
                plan = plan.apply(event);
            }
        }

        void finish() throws SQLException {
            done();
            flush();
        }

        private void done() throws SQLException {
            if (plan != null) {
                pending.add(PlanView.of(plan));
                plans++;
                plan = null;
                if (pending.size() >= chunk) {
                    flush();
                }
            }
        }

        private void flush() throws SQLException {
            if (!pending.isEmpty()) {
                List<PlanView> views = pending;
                pending = new ArrayList<>();
                sink.accept(views, plans, events);
            }
        }
    }
}
