-- Issue 12: the settle job looks for keys left PENDING (status 0), oldest first; the purge takes
-- answered keys by created_at (idempotency_key_created_at). PENDING keys are few: a partial index.
CREATE INDEX idempotency_key_pending ON idempotency_key (created_at) WHERE status = 0;
