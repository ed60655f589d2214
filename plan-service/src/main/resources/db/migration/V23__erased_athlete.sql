-- Issue 16 item 3 (CONTRACT v2 erasure): the athletes a clinic erased. athlete.erased drops everything
-- plan-service holds for the athlete in one transaction (AthleteErasure); this row, with no personal data,
-- is what stays, so a late event, a replay of the activity topic or a rebuild never makes the athlete again.
CREATE TABLE erased_athlete (
    clinic_id   text        NOT NULL,
    athlete_id  text        NOT NULL,
    erased_at   timestamptz NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (clinic_id, athlete_id)
);
-- The runner's page (/me/{athleteId}) has no clinic to scope by.
CREATE INDEX erased_athlete_athlete ON erased_athlete (athlete_id);
