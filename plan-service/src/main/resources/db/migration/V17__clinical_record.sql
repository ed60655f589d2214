-- Issue 17: what the FHIR export (GET /api/v1/athletes/{id}/fhir) needs beyond the plan, kept from the activity
-- topic by its own consumer group (ClinicalRecordConsumer). Rows are keyed by event id, so a redelivery changes
-- nothing and the order of arrival does not matter. athlete.erased deletes an athlete's rows.

-- The athlete as the clinic enrolled them: the export's Patient and Condition.
CREATE TABLE clinical_athlete (
    clinic_id    text        NOT NULL,
    athlete_id   text        NOT NULL,
    display_name text,
    diagnosis    text        NOT NULL,
    side         text        NOT NULL,
    injury_date  date        NOT NULL,
    enrolled_at  timestamptz NOT NULL,
    PRIMARY KEY (clinic_id, athlete_id)
);

-- Symptom reports, sessions and assessments (with OSTRC-O2 weekly checks), as their event data.
CREATE TABLE clinical_entry (
    clinic_id   text        NOT NULL,
    athlete_id  text        NOT NULL,
    event_id    text        NOT NULL,
    event_type  text        NOT NULL,
    occurred_at timestamptz NOT NULL,
    data        jsonb       NOT NULL,
    PRIMARY KEY (clinic_id, event_id)
);
CREATE INDEX clinical_entry_athlete ON clinical_entry (clinic_id, athlete_id, occurred_at);
