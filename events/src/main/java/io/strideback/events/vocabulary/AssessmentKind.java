package io.strideback.events.vocabulary;

/**
 * What an assessment records (issue 17). {@code CLINICAL_TESTS}, the default, is the clinic's calf tests (raise
 * counts, hops, loaded raises: the gate measures of DOMAIN.md); {@code OSTRC_O2} is the athlete's weekly OSTRC
 * overuse questionnaire for the calf (Clarsen et al., BJSM 2013; the 2020 OSTRC-O2 update).
 */
public enum AssessmentKind {
    CLINICAL_TESTS,
    OSTRC_O2
}
