package io.strideback.events.vocabulary;

/** Diagnosis an athlete is enrolled with (CONTRACT.md enrolment body). */
public enum Diagnosis {
    CALF_STRAIN_GASTROCNEMIUS, CALF_STRAIN_SOLEUS, SILENT_SOLEUS_STRAIN, NEURAL_TENSION, TIBIALIS_POSTERIOR, CALF_PAIN_UNSPECIFIED
}
