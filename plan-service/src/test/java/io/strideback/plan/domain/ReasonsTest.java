package io.strideback.plan.domain;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Every event's reason is one plain sentence a clinician and an athlete can read. */
class ReasonsTest {

    @Test
    void every_reason_is_one_sentence_without_codes_leaking_as_nulls() {
        for (PlanEvent e : FoldTest.aPlansLife()) {
            String r = e.reason();
            assertNotNull(r, e.toString());
            assertTrue(Character.isUpperCase(r.charAt(0)), r);
            assertTrue(r.endsWith("."), r);
            assertFalse(r.substring(0, r.length() - 1).matches(".*[.!?]\\s.*"), "more than one sentence: " + r);
            assertFalse(r.contains("null"), r);
            assertFalse(r.contains("\n"), r);
        }
    }
}
