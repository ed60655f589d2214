-- Issue 12: consumed event ids are purged after their retention (ProcessedMessagePurge), in batches
-- taken by age.
CREATE INDEX processed_message_processed_at ON processed_message (processed_at);
