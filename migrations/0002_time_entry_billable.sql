-- 0002: whether a time entry is billable (SPEC §6 time-entries `billable`: the task's
-- `billable_by_default`, else true), needed to invoice approved time.
--
-- Backfill: existing entries get what a new entry gets at insert — false where their task is
-- not billable by default, true otherwise (the column default). One statement, idempotent
-- (running it again changes nothing), touching only the entries of non-billable tasks, which
-- it finds through the (tenant_id, task_id) index: no table scan, far inside D1's limits for
-- one statement at any table size.
ALTER TABLE time_entries ADD COLUMN billable INTEGER NOT NULL DEFAULT 1;

UPDATE time_entries SET billable = 0
WHERE billable = 1
  AND (tenant_id, task_id) IN (SELECT tenant_id, id FROM tasks WHERE billable_by_default = 0);
