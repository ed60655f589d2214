package io.strideback.plan.domain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * given(past events) / when(command) / then(expected events or expected plan), in plain Java, after
 * AxonIQ giftcard-demo's GiftCardTest. The plan under test is always the fold of the given events.
 */
final class PlanScenario {

    private final List<PlanEvent> history;
    private List<PlanEvent> decided;
    private PlanRuleViolation violation;

    private PlanScenario(List<PlanEvent> history) {
        this.history = List.copyOf(history);
    }

    static PlanScenario given(PlanEvent... history) {
        return new PlanScenario(Arrays.asList(history));
    }

    static PlanScenario given(List<PlanEvent> history) {
        return new PlanScenario(history);
    }

    static PlanScenario givenNoPlan() {
        return new PlanScenario(List.of());
    }

    /** Decide the command against the fold of the given events; a violation is kept for thenViolation. */
    PlanScenario when(PlanCommand command) {
        try {
            decided = RehabPlan.fold(history).decide(command);
        } catch (PlanRuleViolation v) {
            violation = v;
        }
        return this;
    }

    /** Exactly these events, equal field by field (reasons included). */
    PlanScenario then(PlanEvent... expected) {
        assertNoViolation();
        assertEquals(List.of(expected), decided);
        return this;
    }

    /** No event: the command changed nothing (e.g. an adjustment already known). */
    PlanScenario thenNothing() {
        assertNoViolation();
        assertEquals(List.of(), decided, "expected no events");
        return this;
    }

    /** Exactly one event, of this type, checked by the consumer. */
    <T extends PlanEvent> PlanScenario thenOne(Class<T> type, Consumer<T> check) {
        assertNoViolation();
        assertEquals(1, decided.size(), () -> "expected one event, got " + decided);
        check.accept(assertInstanceOf(type, decided.get(0)));
        return this;
    }

    /** Every decided event, in order, checked together. */
    PlanScenario thenEvents(Consumer<List<PlanEvent>> check) {
        assertNoViolation();
        check.accept(decided);
        return this;
    }

    /** The plan after the given events and the decided ones. */
    PlanScenario thenPlan(Consumer<RehabPlan> check) {
        assertNoViolation();
        check.accept(planAfter());
        return this;
    }

    PlanScenario thenViolation(PlanRuleViolation.Kind kind, String messagePart) {
        assertNull(decided, () -> "expected a violation, got events " + decided);
        assertNotNull(violation, "expected a violation");
        assertEquals(kind, violation.kind(), violation::getMessage);
        assertTrue(violation.getMessage().contains(messagePart),
                () -> "message \"" + violation.getMessage() + "\" does not mention \"" + messagePart + "\"");
        return this;
    }

    /** The fold of the given events and, after a when, the decided ones. */
    RehabPlan planAfter() {
        List<PlanEvent> all = new ArrayList<>(history);
        if (decided != null) {
            all.addAll(decided);
        }
        return RehabPlan.fold(all);
    }

    List<PlanEvent> decided() {
        assertNoViolation();
        return decided;
    }

    private void assertNoViolation() {
        if (violation != null) {
            fail("expected events, got violation: " + violation.getMessage());
        }
    }
}
