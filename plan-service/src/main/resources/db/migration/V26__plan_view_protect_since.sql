-- The plan's own clock (ProtectExitClock, every 5 minutes on each replica) asked for the plans in PROTECT since a
-- week: that was `view->>'phase'` and `view->>'phaseSince'` of every row, each ~5 KB view read and parsed as JSON on
-- every tick (h3 round 11, pg_stat_statements in the bench: 130-638 ms a call on ~2,000 plans; it grows with every
-- plan of every clinic). Now the projection writes when a plan's PROTECT began beside its view (null when the plan is
-- in another phase), and a partial index holds only the plans in PROTECT: the tick reads those.
ALTER TABLE plan_view ADD COLUMN protect_since timestamptz;
UPDATE plan_view SET protect_since = COALESCE((view->>'phaseSince')::timestamptz, 'epoch')
    WHERE view->>'phase' = 'PROTECT';
CREATE INDEX plan_view_in_protect ON plan_view (protect_since) WHERE protect_since IS NOT NULL;
