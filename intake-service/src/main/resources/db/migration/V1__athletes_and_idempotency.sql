-- The athlete registry: who is enrolled, in which clinic. (clinic_id, athlete_id) is the identity:
-- two clinics may use the same athlete id without ever seeing each other's athlete.
CREATE TABLE athlete (
    clinic_id    text        NOT NULL,
    athlete_id   text        NOT NULL,
    display_name text        NOT NULL,
    diagnosis    text        NOT NULL,
    side         text        NOT NULL,
    injury_date  date        NOT NULL,
    enrolled_at  timestamptz NOT NULL,
    PRIMARY KEY (clinic_id, athlete_id)
);

-- First answers to keyed requests (Idempotency-Key header, or a wearable's provider + externalId),
-- kept at least 7 days. event_id is derived from the key, so a retry after a crash between
-- publishing and writing this row re-publishes the same ce_id, which consumers drop.
CREATE TABLE idempotency_key (
    clinic_id    text        NOT NULL,
    idem_key     text        NOT NULL,
    request_hash text        NOT NULL,
    status       int         NOT NULL,
    response     text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (clinic_id, idem_key)
);
CREATE INDEX idempotency_key_created_at ON idempotency_key (created_at);
