-- The outbox's traceparent column now comes with the outbox itself, defined once in service-support
-- (Flyway location db/outbox, V4). Kept, empty, so the version history stays as applied.
SELECT 1;
