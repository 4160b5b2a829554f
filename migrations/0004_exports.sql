-- 0004: reports and payroll exports (SPEC §6).
--
-- Reports filtered by job read the job's entries of a date range: an index on (tenant_id,
-- job_id, started_at) makes that a range scan (time_entries_job has no start to bound).
-- Built from existing rows by SQLite itself; nothing to backfill.
CREATE INDEX IF NOT EXISTS time_entries_job_started ON time_entries (tenant_id, job_id, started_at);

-- Payroll exports: computed off the request path by the exports queue's consumer, a page of
-- workers per message. `last_worker_id` is where the computation stands (the page after it is
-- next): each page's rows and the move past it are one batch, guarded on where it stood, so a
-- repeated or late message does nothing twice. New tables only: nothing to backfill.
CREATE TABLE IF NOT EXISTS exports (
  id              TEXT PRIMARY KEY,                 -- exp_…
  tenant_id       TEXT NOT NULL,
  kind            TEXT NOT NULL DEFAULT 'payroll',
  format          TEXT NOT NULL,                    -- csv | json
  range_from      TEXT NOT NULL,                    -- first local day, YYYY-MM-DD
  range_to        TEXT NOT NULL,                    -- last local day (included)
  status          TEXT NOT NULL DEFAULT 'queued',   -- queued | processing | completed | failed
  last_worker_id  TEXT,
  failures        INTEGER NOT NULL DEFAULT 0,       -- failed computations in a row
  row_count       INTEGER,
  error           TEXT,
  file_key        TEXT,                             -- the file in the EXPORT_FILES bucket
  completed_at    TEXT,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  deleted_at      TEXT                              -- always NULL: exports are not deleted
);
CREATE INDEX IF NOT EXISTS exports_tenant ON exports (tenant_id, id);

-- The rows computed so far of an export in progress (one per worker, in the file's column
-- order), gathered into its file when the last page is done, then removed.
CREATE TABLE IF NOT EXISTS export_rows (
  export_id  TEXT NOT NULL,
  worker_id  TEXT NOT NULL,
  data       TEXT NOT NULL,                         -- JSON array of the row's values
  PRIMARY KEY (export_id, worker_id)
);
