package io.strideback.loadmonitor.streams;

/**
 * What the topology counts, for {@code /q/metrics} (the names the SmallRye consumers used, so dashboards and the
 * bench's replay figure read the same counters). The TopologyTestDriver tests count nothing.
 */
public interface MonitorMeters {

    MonitorMeters NONE = new MonitorMeters() {
    };

    /** An activity record taken in (applied, or a redelivery that changed nothing). */
    default void eventIn(String ceType) {
    }

    /**
     * A record parked on the DLQ of the topic it was read from (unreadable, refused, or an athlete's failed analysis),
     * by that topic's name (the settings topic is the monitor's own, not a {@link io.strideback.events.Topic}).
     */
    default void deadLettered(String sourceTopic) {
    }

    /** An athlete's analysis that failed (also dead-lettered). */
    default void analysisFailed() {
    }

    /** One analysis step ran (an athlete, or a slice of a long history): the monitor is analysing. */
    default void analysisStep() {
    }

    /** Athletes waiting for analysis: {@code change} more (or fewer, negative) on this instance. */
    default void awaitingAnalysis(int change) {
    }

    /**
     * Round 17: athletes whose timer is due and not yet analysed, {@code change} more (or fewer) on this instance: a
     * tick takes them only with the time the athletes marked by events leave it, so a backlog of them shows here.
     */
    default void timersOverdue(int change) {
    }

    /** A flare-up announced for the first time (FlareUpDetected), by its classification. */
    default void flareUpDetected(String classification) {
    }

    /** An adjustment proposed to the clinician (AdjustmentProposed), by its type. */
    default void adjustmentProposed(String type) {
    }

    /** A flare-up whose classification a late event changed (FlareUpReclassified), by its new classification. */
    default void flareUpReclassified(String classification) {
    }
}
