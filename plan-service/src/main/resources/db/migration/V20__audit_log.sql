-- Issue 16: the clinics' audit log. Append-only: who (the token's subject) changed what in which
-- clinic, the value before and after, and when. Plan-service writes its own entries in the same
-- transaction as the change (phases, approvals, rejections, clearances, approval policy) and copies
-- the other services' from their audit topics (the load monitor's rule settings; intake's erasures).
-- Nothing may change or remove an entry: the trigger refuses UPDATE, DELETE and TRUNCATE for every
-- role, the service's own included.
CREATE TABLE audit_entry (
    id          BIGSERIAL PRIMARY KEY,
    entry_id    TEXT        NOT NULL UNIQUE,  -- the event id for entries read from a topic: a redelivery adds nothing
    clinic_id   TEXT        NOT NULL,
    at          TIMESTAMPTZ NOT NULL,
    who         TEXT        NOT NULL,
    what        TEXT        NOT NULL,
    target      TEXT,
    before      JSONB,
    after       JSONB,
    source      TEXT        NOT NULL,        -- the service where the change was made
    recorded_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX audit_entry_clinic_time ON audit_entry (clinic_id, at DESC, id DESC);

CREATE FUNCTION audit_entry_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_entry is append-only: % refused', TG_OP;
END;
$$;

CREATE TRIGGER audit_entry_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_entry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_is_append_only();
CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry
    FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_is_append_only();
