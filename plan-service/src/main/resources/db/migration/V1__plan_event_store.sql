-- The event store: a plan is the fold of its events, nothing else. (clinic, athlete, sequence) is
-- the optimistic-concurrency guard: two writers that read version n both try sequence n+1; one wins,
-- the other retries on the new history.
CREATE TABLE plan_event (
    clinic_id   text        NOT NULL,
    athlete_id  text        NOT NULL,
    sequence    bigint      NOT NULL,
    event_type  text        NOT NULL,
    occurred_at timestamptz NOT NULL,
    payload     jsonb       NOT NULL,
    caused_by   text,
    PRIMARY KEY (clinic_id, athlete_id, sequence)
);

-- Read model: the current plan as the API serves it, updated in the same transaction as the events.
CREATE TABLE plan_view (
    clinic_id   text        NOT NULL,
    athlete_id  text        NOT NULL,
    version     bigint      NOT NULL,
    view        jsonb       NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (clinic_id, athlete_id)
);

-- Read model: every adjustment a plan has seen, for the clinic's approval queue.
CREATE TABLE plan_adjustment_view (
    clinic_id     text        NOT NULL,
    adjustment_id text        NOT NULL,
    athlete_id    text        NOT NULL,
    status        text        NOT NULL,
    view          jsonb       NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (clinic_id, adjustment_id)
);
CREATE INDEX plan_adjustment_view_status ON plan_adjustment_view (clinic_id, status);

-- Exactly-once effect: the ce_id of every consumed event, written in the transaction of its effect.
CREATE TABLE processed_message (
    message_id   text        PRIMARY KEY,
    processed_at timestamptz NOT NULL DEFAULT now()
);

-- Adjustments that arrived before their plan existed (two topics, no order between them).
CREATE TABLE deferred_adjustment (
    clinic_id     text        NOT NULL,
    athlete_id    text        NOT NULL,
    adjustment_id text        NOT NULL,
    payload       jsonb       NOT NULL,
    received_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (clinic_id, athlete_id, adjustment_id)
);

-- AUTO_APPLY (the default, no row) or REVIEW, per clinic.
CREATE TABLE clinic_policy (
    clinic_id  text PRIMARY KEY,
    policy     text NOT NULL
);

-- The transactional outbox is defined once for both services in service-support (Flyway location
-- db/outbox, V4); until issue 12 it was created here. See FlywayHistoryRealignment.
