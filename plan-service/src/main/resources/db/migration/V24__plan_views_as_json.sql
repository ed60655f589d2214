-- Issue 15 item 3: the read models' JSON is stored as the text Jackson wrote (json) instead of jsonb. Nothing
-- queries inside it but the periodic PROTECT check (->> works on json too) and the one-plan read, which casts; the
-- API parses what it reads. jsonb made PostgreSQL parse and re-encode every view a rebuild COPYs (most of the
-- COPY backends' CPU in the round 8 profile) and encode it back to text on every read. The event store keeps
-- jsonb: its payloads still refuse what jsonb refuses (a \u0000 escape), and every view is a fold of them.
ALTER TABLE plan_view ALTER COLUMN view TYPE json USING view::json;
ALTER TABLE plan_adjustment_view ALTER COLUMN view TYPE json USING view::json;
