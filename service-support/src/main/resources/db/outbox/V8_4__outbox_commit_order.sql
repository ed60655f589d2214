-- Relay order under concurrent writers (issue 14, two replicas of every service). Ids come from a
-- bigserial, allocated at insert, not at commit: with two writers a row with a smaller id can commit
-- after a larger one was relayed, and overtake nothing visible at the time. Each row now records the
-- transaction that wrote it (xid8, PostgreSQL 13+); the relay publishes a row only when every
-- transaction older than it has ended (xact_id < pg_snapshot_xmin of a fresh snapshot) and in
-- (xact_id, id) order, so nothing still in flight is ever overtaken (OutboxRelay).
-- Rows already in the table get this migration's transaction id: they keep their id order.
ALTER TABLE outbox ADD COLUMN xact_id xid8 NOT NULL DEFAULT pg_current_xact_id();
DROP INDEX IF EXISTS outbox_unpublished;
CREATE INDEX outbox_unpublished ON outbox (xact_id, id) WHERE published_at IS NULL;
