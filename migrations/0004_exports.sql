-- 0004: reports and payroll exports (SPEC §6).
--
-- Reports filtered by job read the job's entries of a date range: an index on (tenant_id,
-- job_id, started_at) makes that a range scan (time_entries_job has no start to bound).
-- Built from existing rows by SQLite itself; nothing to backfill.
CREATE INDEX IF NOT EXISTS time_entries_job_started ON time_entries (tenant_id, job_id, started_at);
