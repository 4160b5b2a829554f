-- 0005: positions (SPEC §6): the history of recorded positions, kept 90 days.
--
-- Positions are never changed or deleted one by one (the retention sweep removes old ones), so
-- `updated_at` is `created_at` and `deleted_at` always NULL: generated columns, stored nowhere,
-- that let the shared list code (`updated_since`, tombstones) read positions like any resource.
-- `site_id` is the worker's site when the position was recorded (the live feed's site filter).
-- New table only: nothing to backfill.
CREATE TABLE IF NOT EXISTS positions (
  id           TEXT PRIMARY KEY,                 -- pos_…
  tenant_id    TEXT NOT NULL,
  worker_id    TEXT NOT NULL,
  site_id      TEXT,
  latitude     REAL NOT NULL,
  longitude    REAL NOT NULL,
  accuracy_m   REAL,
  heading      REAL,
  speed_mps    REAL,
  recorded_at  TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  updated_at   TEXT GENERATED ALWAYS AS (created_at) VIRTUAL,
  deleted_at   TEXT GENERATED ALWAYS AS (NULL) VIRTUAL
);
CREATE INDEX IF NOT EXISTS positions_tenant ON positions (tenant_id, id);
CREATE INDEX IF NOT EXISTS positions_worker ON positions (tenant_id, worker_id, id);
-- The retention sweep deletes by age across tenants.
CREATE INDEX IF NOT EXISTS positions_recorded ON positions (recorded_at);
