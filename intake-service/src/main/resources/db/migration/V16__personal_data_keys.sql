-- Issue 16 item 3, erasure by crypto-shredding: one data key per athlete seals the athlete's personal
-- fields on the topics (events SealedText). The key is stored wrapped by the master key
-- (strideback.personal-data.master-key), in the same sealed format, with "clinic/athlete" as associated
-- data. Erasure sets wrapped_key NULL: the row stays as the athlete's tombstone (posts answer 410), who
-- erased and when are kept for the audit, and erasure_published_at says athlete.erased is on the topic.
CREATE TABLE athlete_data_key (
    clinic_id            text        NOT NULL,
    athlete_id           text        NOT NULL,
    wrapped_key          text,
    created_at           timestamptz NOT NULL DEFAULT now(),
    erased_at            timestamptz,
    erased_by            text,
    erasure_published_at timestamptz,
    PRIMARY KEY (clinic_id, athlete_id),
    CHECK ((wrapped_key IS NULL) = (erased_at IS NOT NULL))
);
-- Erasures whose event a crash or a broker outage left unpublished: few, found by the purge job.
CREATE INDEX athlete_data_key_unpublished ON athlete_data_key (erased_at)
    WHERE erased_at IS NOT NULL AND erasure_published_at IS NULL;

-- An erasure removes the athlete's idempotency rows (their keys may hold a wearable's source id, their
-- hashes a display name): each row now says whose it is. Rows written before this say NULL; their
-- source keys name the athlete inside the key, and header keys expire within 8 days.
ALTER TABLE idempotency_key ADD COLUMN athlete_id text;
CREATE INDEX idempotency_key_athlete ON idempotency_key (clinic_id, athlete_id) WHERE athlete_id IS NOT NULL;
