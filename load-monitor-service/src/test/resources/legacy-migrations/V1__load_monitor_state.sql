-- The load monitor's state, rebuilt from strideback.athlete-activity.v1 if lost.

CREATE TABLE athlete (
    clinic_id           text        NOT NULL,
    athlete_id          text        NOT NULL,
    diagnosis           text        NOT NULL,
    injury_date         date        NOT NULL,
    symptom_free_run_km double precision,
    PRIMARY KEY (clinic_id, athlete_id)
);

-- Every session and symptom, by event id: the set the rules are a pure function of. The primary
-- key is also the exactly-once guard: a redelivered event inserts nothing and changes nothing.
CREATE TABLE activity_event (
    event_id    text        PRIMARY KEY,
    clinic_id   text        NOT NULL,
    athlete_id  text        NOT NULL,
    kind        text        NOT NULL,
    occurred_at timestamptz NOT NULL,
    payload     jsonb       NOT NULL
);
CREATE INDEX activity_event_athlete ON activity_event (clinic_id, athlete_id, occurred_at);

-- What has been announced, to announce only what is new or changed.
CREATE TABLE episode (
    clinic_id      text        NOT NULL,
    athlete_id     text        NOT NULL,
    episode_id     text        NOT NULL,
    classification text        NOT NULL,
    rule           text        NOT NULL,
    started_at     timestamptz NOT NULL,
    PRIMARY KEY (clinic_id, athlete_id, episode_id)
);

CREATE TABLE pattern_seen (
    clinic_id  text        NOT NULL,
    athlete_id text        NOT NULL,
    kind       text        NOT NULL,
    since      timestamptz NOT NULL,
    PRIMARY KEY (clinic_id, athlete_id, kind, since)
);

CREATE TABLE proposed_adjustment (
    adjustment_id text        PRIMARY KEY,
    clinic_id     text        NOT NULL,
    athlete_id    text        NOT NULL,
    type          text        NOT NULL,
    proposed_at   timestamptz NOT NULL
);
CREATE INDEX proposed_adjustment_clinic ON proposed_adjustment (clinic_id, type);

-- The latest findings per athlete as the read API serves them.
CREATE TABLE athlete_findings (
    clinic_id  text        NOT NULL,
    athlete_id text        NOT NULL,
    findings   jsonb       NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (clinic_id, athlete_id)
);

-- Per-clinic overrides of the rules' numbers (DOMAIN.md: every number is a per-clinic setting).
CREATE TABLE clinic_rules (
    clinic_id text  PRIMARY KEY,
    overrides jsonb NOT NULL
);

-- Transactional outbox (see io.strideback.support.outbox.Outbox).
CREATE TABLE outbox (
    id             bigserial   PRIMARY KEY,
    event_id       text        NOT NULL,
    ce_type        text        NOT NULL,
    ce_source      text        NOT NULL,
    ce_time        timestamptz NOT NULL,
    ce_subject     text        NOT NULL,
    ce_clinic      text        NOT NULL,
    schema_version int         NOT NULL,
    payload        bytea       NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    published_at   timestamptz
);
CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL;
