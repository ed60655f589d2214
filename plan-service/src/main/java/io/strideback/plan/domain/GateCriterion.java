package io.strideback.plan.domain;

/** One gate criterion: its name, what it requires, and what the latest assessment showed. */
public record GateCriterion(String name, String requirement, String observed) {
}
