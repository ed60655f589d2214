package io.strideback.loadmonitor.streams;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Readiness reads whether the monitor is analysing (round 9). With several stream threads (round 11) each thread's
 * athletes are judged by that thread's own steps: another thread's steps must not hide a stalled one.
 */
class AnalysisProgressTest {

    private final AnalysisProgress progress = new AnalysisProgress();

    @Test
    void a_thread_whose_athletes_wait_without_a_step_is_stalled_while_another_thread_steps() throws Exception {
        // the first stream thread: two athletes marked at t=1,000, never analysed; it stays alive meanwhile
        CountDownLatch done = new CountDownLatch(1);
        Thread stuck = on(() -> progress.awaiting(2, 1_000), done);
        // the second: one athlete marked at 20,000 (still waiting) and a step at 30,000
        Thread stepping = on(() -> {
            progress.awaiting(1, 20_000);
            progress.stepped(30_000);
        }, done);

        assertThat(progress.stalledFor(31_000)).isEqualTo(Duration.ofMillis(30_000));
        assertThat(progress.awaiting()).isEqualTo(3);
        assertThat(progress.lastStep()).isEqualTo(30_000);
        done.countDown();
        stuck.join();
        stepping.join();
    }

    @Test
    void a_live_thread_is_stalled_since_its_own_last_step_and_an_ended_thread_is_forgotten()
            throws Exception {
        on(() -> {
            progress.awaiting(1, 1_000);
            progress.stepped(5_000);
        }, null).join();
        CountDownLatch done = new CountDownLatch(1);
        Thread alive = on(() -> {
            progress.awaiting(4, 2_000);
            progress.stepped(6_000);
        }, done);
        // the first thread ended (a replaced stream thread) and is forgotten; the live one waits since its own step
        assertThat(progress.stalledFor(6_500)).isEqualTo(Duration.ofMillis(500));
        done.countDown();
        alive.join();
    }

    @Test
    void the_overdue_timers_of_a_thread_that_died_are_not_counted() throws Exception {
        // round 17: a replaced stream thread's tasks may not get to report their timers gone; its replacement reports
        // them anew, so counting the dead thread's would show them twice and hold the alert on
        on(() -> progress.overdue(7), null).join();
        CountDownLatch done = new CountDownLatch(1);
        Thread alive = on(() -> progress.overdue(5), done);

        assertThat(progress.overdue()).isEqualTo(5);
        done.countDown();
        alive.join();
    }

    @Test
    void nobody_waiting_is_no_stall() {
        progress.awaiting(3, 1_000);
        progress.awaiting(-3, 2_000);
        assertThat(progress.stalledFor(100_000)).isEqualTo(Duration.ZERO);
        assertThat(progress.awaiting()).isZero();
        assertThat(progress.lastStep()).isZero();
    }

    /** Runs the action on a thread of its own, which stays alive until {@code release} (if any) counts down. */
    private static Thread on(Runnable action, CountDownLatch release) throws InterruptedException {
        CountDownLatch acted = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            action.run();
            acted.countDown();
            if (release != null) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        t.start();
        acted.await();
        return t;
    }
}
