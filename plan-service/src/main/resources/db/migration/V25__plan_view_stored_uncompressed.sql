-- Issue 15 (figure 4, plan-service's hop): a plan's view is rewritten whole by every change of the plan (the upsert of
-- PlanProjection.saveChanged), and at ~5 KB on average (bench stack after figure 4: 2,000 views, 5,166 B of text
-- each, up to 19.8 KB) it went over the 2 KB TOAST threshold, so every upsert compressed it with pglz. pg_stat_statements
-- in the bench at 500/s: the upsert took 0.41 ms a call, the largest statement of an adjustments batch (39% of its
-- statements' time). Stored out of line uncompressed (EXTERNAL), the same rewrite of every view took 0.26 against
-- 0.46 ms a row (three pairs, psql on the bench's data). The views take about twice the space (they are a projection:
-- a rebuild makes them again), and the rebuild's fresh tables already stored them so (FreshPlanViews: pglz was ~40%
-- of their COPY) before putting this live setting back. Existing values stay compressed until rewritten.
-- plan_adjustment_view's rows (~800 B) are under the threshold: unchanged.
ALTER TABLE plan_view ALTER COLUMN view SET STORAGE EXTERNAL;
