-- Athletes with events stored but not yet analysed. Marked in the transaction that stores the
-- event, cleared in the transaction that announces the findings: a crash in between leaves the
-- mark, and the next batch analyses the athlete.
CREATE TABLE athlete_to_analyse (
    clinic_id  text NOT NULL,
    athlete_id text NOT NULL,
    PRIMARY KEY (clinic_id, athlete_id)
);
