-- Athletes whose analysis failed for good (the rules or the database refuse their data or their
-- clinic's settings, issue 12): recorded with the reason and no longer retried, so one athlete
-- cannot stop the analysis of the others. A new event for the athlete marks them again; a later
-- successful analysis removes the row.
CREATE TABLE analysis_failure (
    clinic_id  text        NOT NULL,
    athlete_id text        NOT NULL,
    failed_at  timestamptz NOT NULL DEFAULT now(),
    reason     text        NOT NULL,
    PRIMARY KEY (clinic_id, athlete_id)
);
