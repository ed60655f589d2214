-- Issue 18 item 3: the clinician pages show the athlete's display name from enrolment, the id as a
-- secondary line. A read model of its own: personal data stays out of the plan's event store, and a
-- rebuild of plan_view (which clears it) keeps the names. Removed when the athlete is erased.
CREATE TABLE athlete_name (
    clinic_id    text        NOT NULL,
    athlete_id   text        NOT NULL,
    display_name text        NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (clinic_id, athlete_id)
);
