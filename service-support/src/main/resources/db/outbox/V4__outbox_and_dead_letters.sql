-- The transactional outbox of the load monitor and plan-service, defined once (service-support,
-- Flyway location db/outbox; io.strideback.support.outbox). Until issue 12 each service's V1 and V2
-- created it: IF NOT EXISTS gives those databases and fresh ones the same schema.
CREATE TABLE IF NOT EXISTS outbox (
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
    published_at   timestamptz,
    -- The W3C traceparent of the transaction that wrote the row (the consumer's or the request's
    -- span), so the record the relay sends later continues the same trace. Null when tracing is off.
    traceparent    text
);
CREATE INDEX IF NOT EXISTS outbox_unpublished ON outbox (id) WHERE published_at IS NULL;

-- Rows the relay can never publish (larger than the producer's max.request.size, unserialisable),
-- moved here with the reason so the rows after them are published in order (issue 12). Shown in
-- GET /api/v1/ops/status and strideback_outbox_dead_letters; an operator republishes or drops them.
CREATE TABLE outbox_dead_letter (
    id             bigserial   PRIMARY KEY,
    outbox_id      bigint      NOT NULL,
    event_id       text        NOT NULL,
    ce_type        text        NOT NULL,
    ce_source      text        NOT NULL,
    ce_time        timestamptz NOT NULL,
    ce_subject     text        NOT NULL,
    ce_clinic      text        NOT NULL,
    schema_version int         NOT NULL,
    payload        bytea       NOT NULL,
    traceparent    text,
    created_at     timestamptz NOT NULL,
    parked_at      timestamptz NOT NULL DEFAULT now(),
    reason         text        NOT NULL
);
