-- edgeclock D1 schema: the whole current schema, to read. Databases get it from
-- migrations/NNNN_name.sql, applied in order by `wrangler d1 migrations apply DB` (README
-- "Upgrading"); a unit test proves that applying them all gives exactly this file.
--
-- Conventions: ids are prefixed UUIDv7 text (time-ordered, so `ORDER BY id` is creation
-- order); instants are RFC 3339 UTC text with `Z` (sorts as time); every tenant-scoped table
-- has an index on (tenant_id, id) so listing pages are keyset range scans; deletes set
-- `deleted_at` and leave the row as a tombstone.

CREATE TABLE IF NOT EXISTS tenants (
  id          TEXT PRIMARY KEY,
  parent_id   TEXT,                      -- set for divisions
  name        TEXT NOT NULL,
  tier        TEXT NOT NULL,             -- standard | pro | enterprise
  timezone    TEXT NOT NULL,             -- IANA
  limits      TEXT NOT NULL,             -- JSON {per_second, per_minute, per_day}
  settings    TEXT NOT NULL DEFAULT '{}',
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  deleted_at  TEXT,
  harvest_id  INTEGER  -- 0006: the object's integer id (SPEC §9)
);
CREATE INDEX IF NOT EXISTS tenants_parent ON tenants (parent_id, id);

CREATE TABLE IF NOT EXISTS api_keys (
  id            TEXT PRIMARY KEY,
  tenant_id     TEXT,                    -- NULL for vendor keys
  vendor_id     TEXT,
  label         TEXT NOT NULL,
  prefix        TEXT NOT NULL,
  last_four     TEXT NOT NULL,
  key_hash      TEXT NOT NULL UNIQUE,    -- SHA-256 hex; the secret itself is never stored
  scopes        TEXT NOT NULL,           -- JSON array
  tier          TEXT NOT NULL,
  limits        TEXT,                    -- JSON; the key's own (lower) limits
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  expires_at    TEXT,
  last_used_at  TEXT,
  revoked_at    TEXT,
  deleted_at    TEXT,
  harvest_id    INTEGER  -- 0006: the object's integer id (SPEC §9)
);
CREATE INDEX IF NOT EXISTS api_keys_tenant ON api_keys (tenant_id, id);
CREATE INDEX IF NOT EXISTS api_keys_vendor ON api_keys (vendor_id, id);

CREATE TABLE IF NOT EXISTS workers (
  id             TEXT PRIMARY KEY,
  tenant_id      TEXT NOT NULL,
  name           TEXT NOT NULL,
  email          TEXT,
  phone          TEXT,
  employee_code  TEXT NOT NULL,
  position       TEXT,
  department_id  TEXT,
  site_id        TEXT,
  pay_rate       INTEGER,                -- minor units per hour
  status         TEXT NOT NULL DEFAULT 'active',
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  deleted_at     TEXT,
  harvest_id     INTEGER  -- 0006: the object's integer id (SPEC §9)
);
CREATE INDEX IF NOT EXISTS workers_tenant ON workers (tenant_id, id);
CREATE INDEX IF NOT EXISTS workers_tenant_status ON workers (tenant_id, status, id);
CREATE INDEX IF NOT EXISTS workers_tenant_updated ON workers (tenant_id, updated_at);
CREATE UNIQUE INDEX IF NOT EXISTS workers_employee_code
  ON workers (tenant_id, employee_code) WHERE deleted_at IS NULL;

-- Outbox: every event of SPEC §7 is written here in the same batch as the change that
-- caused it; webhook delivery reads from here, so no event is lost if delivery fails.
CREATE TABLE IF NOT EXISTS events (
  id             TEXT PRIMARY KEY,
  tenant_id      TEXT NOT NULL,
  type           TEXT NOT NULL,
  occurred_at    TEXT NOT NULL,
  data           TEXT NOT NULL,          -- JSON snapshot of the object
  dispatched_at  TEXT
);
CREATE INDEX IF NOT EXISTS events_tenant ON events (tenant_id, id);
CREATE INDEX IF NOT EXISTS events_undispatched ON events (dispatched_at, id);

-- A tenant's endpoints. The signing secret is kept as written (`whsec_…`: Stripe's scheme keys
-- HMAC with the whole string, Standard Webhooks with its base64-decoded part); after a rotation
-- the previous secret keeps signing until `previous_secret_expires_at`.
CREATE TABLE IF NOT EXISTS webhooks (
  id                          TEXT PRIMARY KEY,      -- whk_…
  tenant_id                   TEXT NOT NULL,
  url                         TEXT NOT NULL,
  events                      TEXT NOT NULL,         -- JSON array of event names, or ["*"]
  description                 TEXT,
  filters                     TEXT,                  -- JSON object (site_ids, worker_ids, …) or NULL
  format                      TEXT NOT NULL DEFAULT 'json',   -- json | slack
  template                    TEXT,
  status                      TEXT NOT NULL DEFAULT 'enabled', -- enabled | disabled
  disabled_reason             TEXT,
  secret                      TEXT NOT NULL,
  previous_secret             TEXT,
  previous_secret_expires_at  TEXT,
  created_at                  TEXT NOT NULL,
  updated_at                  TEXT NOT NULL,
  deleted_at                  TEXT,
  harvest_id                  INTEGER  -- 0006: the object's integer id (SPEC §9)
);
CREATE INDEX IF NOT EXISTS webhooks_tenant ON webhooks (tenant_id, id);

-- One delivery per (event, endpoint): its id is the `webhook-id` consumers de-duplicate on and
-- its body is sent byte for byte on every attempt and replay. `enqueued_at` is when a queue
-- message for it was last sent; the sweeper re-sends pending deliveries whose message is overdue.
CREATE TABLE IF NOT EXISTS webhook_deliveries (
  id              TEXT PRIMARY KEY,                  -- dlv_…
  tenant_id       TEXT NOT NULL,
  webhook_id      TEXT NOT NULL,
  event_id        TEXT NOT NULL,
  event           TEXT NOT NULL,
  body            TEXT NOT NULL,
  status          TEXT NOT NULL DEFAULT 'pending',   -- pending | delivered | failed
  attempts        TEXT NOT NULL DEFAULT '[]',        -- JSON [{at, status_code, error, duration_ms, response_body}]
  attempt_count   INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT,
  enqueued_at     TEXT,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  harvest_id      INTEGER  -- 0006: the object's integer id (SPEC §9)
);
CREATE UNIQUE INDEX IF NOT EXISTS webhook_deliveries_pair ON webhook_deliveries (event_id, webhook_id);
CREATE INDEX IF NOT EXISTS webhook_deliveries_webhook ON webhook_deliveries (tenant_id, webhook_id, id);
CREATE INDEX IF NOT EXISTS webhook_deliveries_pending ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX IF NOT EXISTS webhook_deliveries_created ON webhook_deliveries (created_at);

-- Platform integrators acting for tenants that granted them scopes.
CREATE TABLE IF NOT EXISTS vendors (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  tier        TEXT NOT NULL,
  limits      TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  deleted_at  TEXT,
  harvest_id  INTEGER  -- 0006: the object's integer id (SPEC §9)
);

-- A tenant's grant of scopes to a vendor; at most one live grant per pair.
CREATE TABLE IF NOT EXISTS partnerships (
  id          TEXT PRIMARY KEY,
  tenant_id   TEXT NOT NULL,
  vendor_id   TEXT NOT NULL,
  scopes      TEXT NOT NULL,             -- JSON array
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  deleted_at  TEXT,                      -- set on revocation
  harvest_id  INTEGER  -- 0006: the object's integer id (SPEC §9)
);
CREATE INDEX IF NOT EXISTS partnerships_tenant ON partnerships (tenant_id, id);
CREATE UNIQUE INDEX IF NOT EXISTS partnerships_live
  ON partnerships (tenant_id, vendor_id) WHERE deleted_at IS NULL;

-- Every authenticated request (SPEC §5), written off the response path.
CREATE TABLE IF NOT EXISTS audit_log (
  id           TEXT PRIMARY KEY,
  tenant_id    TEXT,                     -- the tenant acted on (NULL for a vendor's own calls)
  key_id       TEXT NOT NULL,
  key_label    TEXT NOT NULL,
  vendor_id    TEXT,
  method       TEXT NOT NULL,
  path         TEXT NOT NULL,
  query        TEXT,
  status       INTEGER NOT NULL,
  request_id   TEXT NOT NULL,
  ip           TEXT,
  resource     TEXT,
  resource_id  TEXT,
  replay       INTEGER NOT NULL DEFAULT 0,  -- 1 for an idempotent replay
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  deleted_at   TEXT,                     -- always NULL: the log is append-only
  harvest_id   INTEGER  -- 0006: the object's integer id (SPEC §9)
);
CREATE INDEX IF NOT EXISTS audit_log_tenant ON audit_log (tenant_id, id);
CREATE INDEX IF NOT EXISTS audit_log_key ON audit_log (tenant_id, key_id, id);

CREATE TABLE IF NOT EXISTS sites (
  id                 TEXT PRIMARY KEY,
  tenant_id          TEXT NOT NULL,
  name               TEXT NOT NULL,
  address            TEXT,
  latitude           REAL,
  longitude          REAL,
  geofence_radius_m  REAL,
  capacity           INTEGER,
  timezone           TEXT,             -- IANA; NULL means the tenant's
  created_at         TEXT NOT NULL,
  updated_at         TEXT NOT NULL,
  deleted_at         TEXT,
  harvest_id         INTEGER  -- 0006: the object's integer id (SPEC §9)
);
CREATE INDEX IF NOT EXISTS sites_tenant ON sites (tenant_id, id);

CREATE TABLE IF NOT EXISTS departments (
  id           TEXT PRIMARY KEY,
  tenant_id    TEXT NOT NULL,
  name         TEXT NOT NULL,
  description  TEXT,
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  deleted_at   TEXT,
  harvest_id   INTEGER  -- 0006: the object's integer id (SPEC §9)
);
CREATE INDEX IF NOT EXISTS departments_tenant ON departments (tenant_id, id);

CREATE TABLE IF NOT EXISTS cost_codes (
  id           TEXT PRIMARY KEY,
  tenant_id    TEXT NOT NULL,
  code         TEXT NOT NULL,
  name         TEXT NOT NULL,
  description  TEXT,
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  deleted_at   TEXT,
  harvest_id   INTEGER  -- 0006: the object's integer id (SPEC §9)
);
CREATE INDEX IF NOT EXISTS cost_codes_tenant ON cost_codes (tenant_id, id);
CREATE UNIQUE INDEX IF NOT EXISTS cost_codes_code ON cost_codes (tenant_id, code) WHERE deleted_at IS NULL;

CREATE TABLE IF NOT EXISTS tasks (
  id                   TEXT PRIMARY KEY,
  tenant_id            TEXT NOT NULL,
  name                 TEXT NOT NULL,
  billable_by_default  INTEGER NOT NULL DEFAULT 1,
  default_hourly_rate  INTEGER,          -- minor units per hour
  created_at           TEXT NOT NULL,
  updated_at           TEXT NOT NULL,
  deleted_at           TEXT,
  harvest_id           INTEGER  -- 0006: the object's integer id (SPEC §9)
);
CREATE INDEX IF NOT EXISTS tasks_tenant ON tasks (tenant_id, id);

CREATE TABLE IF NOT EXISTS customers (
  id          TEXT PRIMARY KEY,
  tenant_id   TEXT NOT NULL,
  name        TEXT NOT NULL,
  email       TEXT,
  phone       TEXT,
  address     TEXT,
  currency    TEXT NOT NULL DEFAULT 'USD',
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  deleted_at  TEXT,
  harvest_id  INTEGER  -- 0006: the object's integer id (SPEC §9)
);
CREATE INDEX IF NOT EXISTS customers_tenant ON customers (tenant_id, id);

CREATE TABLE IF NOT EXISTS jobs (
  id                 TEXT PRIMARY KEY,
  tenant_id          TEXT NOT NULL,
  name               TEXT NOT NULL,
  customer_id        TEXT,
  site_id            TEXT,
  status             TEXT NOT NULL DEFAULT 'active',
  geofence_latitude  REAL,
  geofence_longitude REAL,
  geofence_radius_m  REAL,
  budget_hours       REAL,
  budget_amount      INTEGER,            -- minor units
  budget_currency    TEXT,
  thresholds_crossed INTEGER NOT NULL DEFAULT 0,  -- bit set of 75/100/110 % already announced
  created_at         TEXT NOT NULL,
  updated_at         TEXT NOT NULL,
  deleted_at         TEXT,
  harvest_id         INTEGER, -- 0006: the object's integer id (SPEC §9)
  hourly_rate        INTEGER  -- 0008: minor units per hour, for invoicing
);
CREATE INDEX IF NOT EXISTS jobs_tenant ON jobs (tenant_id, id);
CREATE INDEX IF NOT EXISTS jobs_tenant_status ON jobs (tenant_id, status, id);
CREATE INDEX IF NOT EXISTS jobs_customer ON jobs (tenant_id, customer_id);
CREATE INDEX IF NOT EXISTS jobs_site ON jobs (tenant_id, site_id);

CREATE TABLE IF NOT EXISTS shifts (
  id          TEXT PRIMARY KEY,
  tenant_id   TEXT NOT NULL,
  worker_id   TEXT NOT NULL,
  site_id     TEXT NOT NULL,
  job_id      TEXT,
  starts_at   TEXT NOT NULL,
  ends_at     TEXT NOT NULL,
  published   INTEGER NOT NULL DEFAULT 0,
  notes       TEXT,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  deleted_at  TEXT,
  harvest_id  INTEGER  -- 0006: the object's integer id (SPEC §9)
);
CREATE INDEX IF NOT EXISTS shifts_tenant ON shifts (tenant_id, id);
CREATE INDEX IF NOT EXISTS shifts_worker ON shifts (tenant_id, worker_id, starts_at);
CREATE INDEX IF NOT EXISTS shifts_starts ON shifts (tenant_id, starts_at);
CREATE INDEX IF NOT EXISTS shifts_site ON shifts (tenant_id, site_id);
CREATE INDEX IF NOT EXISTS shifts_job ON shifts (tenant_id, job_id);

-- Time entries (the time-and-attendance issue fills the behaviour; jobs read budgets here).
CREATE TABLE IF NOT EXISTS time_entries (
  id                  TEXT PRIMARY KEY,
  tenant_id           TEXT NOT NULL,
  worker_id           TEXT NOT NULL,
  job_id              TEXT,
  task_id             TEXT,
  cost_code_id        TEXT,
  site_id             TEXT,
  started_at          TEXT NOT NULL,
  ended_at            TEXT,
  breaks              TEXT NOT NULL DEFAULT '[]',
  worked_seconds      INTEGER NOT NULL DEFAULT 0,
  notes               TEXT,
  source              TEXT NOT NULL DEFAULT 'api',
  status              TEXT NOT NULL DEFAULT 'pending',
  clock_in_latitude   REAL,
  clock_in_longitude  REAL,
  clock_out_latitude  REAL,
  clock_out_longitude REAL,
  outside_fence       INTEGER NOT NULL DEFAULT 0,
  verification_score  INTEGER,
  metadata            TEXT,
  approved_at         TEXT,
  approved_by         TEXT,
  rejection_note      TEXT,
  created_at          TEXT NOT NULL,
  updated_at          TEXT NOT NULL,
  deleted_at          TEXT,
  billable            INTEGER NOT NULL DEFAULT 1, -- 0002; default: the task's billable_by_default
  harvest_id          INTEGER, -- 0006: the object's integer id (SPEC §9)
  invoice_id          TEXT     -- 0008: set once invoiced (then locked)
);
CREATE INDEX IF NOT EXISTS time_entries_tenant ON time_entries (tenant_id, id);
CREATE INDEX IF NOT EXISTS time_entries_worker ON time_entries (tenant_id, worker_id, started_at);
CREATE INDEX IF NOT EXISTS time_entries_job ON time_entries (tenant_id, job_id);
CREATE INDEX IF NOT EXISTS time_entries_job_started ON time_entries (tenant_id, job_id, started_at);  -- 0004
CREATE INDEX IF NOT EXISTS time_entries_started ON time_entries (tenant_id, started_at);
CREATE INDEX IF NOT EXISTS time_entries_site ON time_entries (tenant_id, site_id);
CREATE INDEX IF NOT EXISTS time_entries_task ON time_entries (tenant_id, task_id);
CREATE INDEX IF NOT EXISTS time_entries_cost_code ON time_entries (tenant_id, cost_code_id);
CREATE INDEX IF NOT EXISTS workers_site ON workers (tenant_id, site_id);
CREATE INDEX IF NOT EXISTS workers_department ON workers (tenant_id, department_id);

-- Payroll exports (0004): computed off the request path by the exports queue's consumer, a page
-- of workers per message; `last_worker_id` is where the computation stands.
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
  deleted_at      TEXT,                             -- always NULL: exports are not deleted
  harvest_id      INTEGER  -- 0006: the object's integer id (SPEC §9)
);
CREATE INDEX IF NOT EXISTS exports_tenant ON exports (tenant_id, id);

-- The rows computed so far of an export in progress, gathered into its file at the end.
CREATE TABLE IF NOT EXISTS export_rows (
  export_id  TEXT NOT NULL,
  worker_id  TEXT NOT NULL,
  data       TEXT NOT NULL,                         -- JSON array of the row's values
  PRIMARY KEY (export_id, worker_id)
);

-- Positions (0005): the history of recorded positions, kept 90 days. Never changed one by one:
-- updated_at is created_at and deleted_at always NULL (generated, stored nowhere).
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
  deleted_at   TEXT GENERATED ALWAYS AS (NULL) VIRTUAL,
  harvest_id   INTEGER  -- 0006: the object's integer id (SPEC §9)
);
CREATE INDEX IF NOT EXISTS positions_tenant ON positions (tenant_id, id);
CREATE INDEX IF NOT EXISTS positions_worker ON positions (tenant_id, worker_id, id);
-- The retention sweep deletes by age across tenants.
CREATE INDEX IF NOT EXISTS positions_recorded ON positions (recorded_at);

-- Integer ids (0006, SPEC §9): every object's stable positive integer (`harvest_id` on /v1, `id`
-- on /v2), unique per table and never reused. `harvest_sequences` keeps each table's last number;
-- the AFTER INSERT trigger of each table gives a row inserted without one the next (no insert
-- statement names the column); the unique index makes a lookup by it one probe.

CREATE TABLE IF NOT EXISTS harvest_sequences (
  kind  TEXT PRIMARY KEY,                -- the table whose rows it numbers
  last  INTEGER NOT NULL                 -- the last integer handed out
);

CREATE UNIQUE INDEX IF NOT EXISTS tenants_harvest_id ON tenants (harvest_id);
CREATE TRIGGER IF NOT EXISTS tenants_harvest_id_assign AFTER INSERT ON tenants WHEN NEW.harvest_id IS NULL
BEGIN
  INSERT INTO harvest_sequences (kind, last) VALUES ('tenants', 1) ON CONFLICT (kind) DO UPDATE SET last = last + 1;
  UPDATE tenants SET harvest_id = (SELECT last FROM harvest_sequences WHERE kind = 'tenants') WHERE rowid = NEW.rowid;
END;

CREATE UNIQUE INDEX IF NOT EXISTS api_keys_harvest_id ON api_keys (harvest_id);
CREATE TRIGGER IF NOT EXISTS api_keys_harvest_id_assign AFTER INSERT ON api_keys WHEN NEW.harvest_id IS NULL
BEGIN
  INSERT INTO harvest_sequences (kind, last) VALUES ('api_keys', 1) ON CONFLICT (kind) DO UPDATE SET last = last + 1;
  UPDATE api_keys SET harvest_id = (SELECT last FROM harvest_sequences WHERE kind = 'api_keys') WHERE rowid = NEW.rowid;
END;

CREATE UNIQUE INDEX IF NOT EXISTS workers_harvest_id ON workers (harvest_id);
CREATE TRIGGER IF NOT EXISTS workers_harvest_id_assign AFTER INSERT ON workers WHEN NEW.harvest_id IS NULL
BEGIN
  INSERT INTO harvest_sequences (kind, last) VALUES ('workers', 1) ON CONFLICT (kind) DO UPDATE SET last = last + 1;
  UPDATE workers SET harvest_id = (SELECT last FROM harvest_sequences WHERE kind = 'workers') WHERE rowid = NEW.rowid;
END;

CREATE UNIQUE INDEX IF NOT EXISTS webhooks_harvest_id ON webhooks (harvest_id);
CREATE TRIGGER IF NOT EXISTS webhooks_harvest_id_assign AFTER INSERT ON webhooks WHEN NEW.harvest_id IS NULL
BEGIN
  INSERT INTO harvest_sequences (kind, last) VALUES ('webhooks', 1) ON CONFLICT (kind) DO UPDATE SET last = last + 1;
  UPDATE webhooks SET harvest_id = (SELECT last FROM harvest_sequences WHERE kind = 'webhooks') WHERE rowid = NEW.rowid;
END;

CREATE UNIQUE INDEX IF NOT EXISTS webhook_deliveries_harvest_id ON webhook_deliveries (harvest_id);
CREATE TRIGGER IF NOT EXISTS webhook_deliveries_harvest_id_assign AFTER INSERT ON webhook_deliveries WHEN NEW.harvest_id IS NULL
BEGIN
  INSERT INTO harvest_sequences (kind, last) VALUES ('webhook_deliveries', 1) ON CONFLICT (kind) DO UPDATE SET last = last + 1;
  UPDATE webhook_deliveries SET harvest_id = (SELECT last FROM harvest_sequences WHERE kind = 'webhook_deliveries') WHERE rowid = NEW.rowid;
END;

CREATE UNIQUE INDEX IF NOT EXISTS vendors_harvest_id ON vendors (harvest_id);
CREATE TRIGGER IF NOT EXISTS vendors_harvest_id_assign AFTER INSERT ON vendors WHEN NEW.harvest_id IS NULL
BEGIN
  INSERT INTO harvest_sequences (kind, last) VALUES ('vendors', 1) ON CONFLICT (kind) DO UPDATE SET last = last + 1;
  UPDATE vendors SET harvest_id = (SELECT last FROM harvest_sequences WHERE kind = 'vendors') WHERE rowid = NEW.rowid;
END;

CREATE UNIQUE INDEX IF NOT EXISTS partnerships_harvest_id ON partnerships (harvest_id);
CREATE TRIGGER IF NOT EXISTS partnerships_harvest_id_assign AFTER INSERT ON partnerships WHEN NEW.harvest_id IS NULL
BEGIN
  INSERT INTO harvest_sequences (kind, last) VALUES ('partnerships', 1) ON CONFLICT (kind) DO UPDATE SET last = last + 1;
  UPDATE partnerships SET harvest_id = (SELECT last FROM harvest_sequences WHERE kind = 'partnerships') WHERE rowid = NEW.rowid;
END;

CREATE UNIQUE INDEX IF NOT EXISTS audit_log_harvest_id ON audit_log (harvest_id);
CREATE TRIGGER IF NOT EXISTS audit_log_harvest_id_assign AFTER INSERT ON audit_log WHEN NEW.harvest_id IS NULL
BEGIN
  INSERT INTO harvest_sequences (kind, last) VALUES ('audit_log', 1) ON CONFLICT (kind) DO UPDATE SET last = last + 1;
  UPDATE audit_log SET harvest_id = (SELECT last FROM harvest_sequences WHERE kind = 'audit_log') WHERE rowid = NEW.rowid;
END;

CREATE UNIQUE INDEX IF NOT EXISTS sites_harvest_id ON sites (harvest_id);
CREATE TRIGGER IF NOT EXISTS sites_harvest_id_assign AFTER INSERT ON sites WHEN NEW.harvest_id IS NULL
BEGIN
  INSERT INTO harvest_sequences (kind, last) VALUES ('sites', 1) ON CONFLICT (kind) DO UPDATE SET last = last + 1;
  UPDATE sites SET harvest_id = (SELECT last FROM harvest_sequences WHERE kind = 'sites') WHERE rowid = NEW.rowid;
END;

CREATE UNIQUE INDEX IF NOT EXISTS departments_harvest_id ON departments (harvest_id);
CREATE TRIGGER IF NOT EXISTS departments_harvest_id_assign AFTER INSERT ON departments WHEN NEW.harvest_id IS NULL
BEGIN
  INSERT INTO harvest_sequences (kind, last) VALUES ('departments', 1) ON CONFLICT (kind) DO UPDATE SET last = last + 1;
  UPDATE departments SET harvest_id = (SELECT last FROM harvest_sequences WHERE kind = 'departments') WHERE rowid = NEW.rowid;
END;

CREATE UNIQUE INDEX IF NOT EXISTS cost_codes_harvest_id ON cost_codes (harvest_id);
CREATE TRIGGER IF NOT EXISTS cost_codes_harvest_id_assign AFTER INSERT ON cost_codes WHEN NEW.harvest_id IS NULL
BEGIN
  INSERT INTO harvest_sequences (kind, last) VALUES ('cost_codes', 1) ON CONFLICT (kind) DO UPDATE SET last = last + 1;
  UPDATE cost_codes SET harvest_id = (SELECT last FROM harvest_sequences WHERE kind = 'cost_codes') WHERE rowid = NEW.rowid;
END;

CREATE UNIQUE INDEX IF NOT EXISTS tasks_harvest_id ON tasks (harvest_id);
CREATE TRIGGER IF NOT EXISTS tasks_harvest_id_assign AFTER INSERT ON tasks WHEN NEW.harvest_id IS NULL
BEGIN
  INSERT INTO harvest_sequences (kind, last) VALUES ('tasks', 1) ON CONFLICT (kind) DO UPDATE SET last = last + 1;
  UPDATE tasks SET harvest_id = (SELECT last FROM harvest_sequences WHERE kind = 'tasks') WHERE rowid = NEW.rowid;
END;

CREATE UNIQUE INDEX IF NOT EXISTS customers_harvest_id ON customers (harvest_id);
CREATE TRIGGER IF NOT EXISTS customers_harvest_id_assign AFTER INSERT ON customers WHEN NEW.harvest_id IS NULL
BEGIN
  INSERT INTO harvest_sequences (kind, last) VALUES ('customers', 1) ON CONFLICT (kind) DO UPDATE SET last = last + 1;
  UPDATE customers SET harvest_id = (SELECT last FROM harvest_sequences WHERE kind = 'customers') WHERE rowid = NEW.rowid;
END;

CREATE UNIQUE INDEX IF NOT EXISTS jobs_harvest_id ON jobs (harvest_id);
CREATE TRIGGER IF NOT EXISTS jobs_harvest_id_assign AFTER INSERT ON jobs WHEN NEW.harvest_id IS NULL
BEGIN
  INSERT INTO harvest_sequences (kind, last) VALUES ('jobs', 1) ON CONFLICT (kind) DO UPDATE SET last = last + 1;
  UPDATE jobs SET harvest_id = (SELECT last FROM harvest_sequences WHERE kind = 'jobs') WHERE rowid = NEW.rowid;
END;

CREATE UNIQUE INDEX IF NOT EXISTS shifts_harvest_id ON shifts (harvest_id);
CREATE TRIGGER IF NOT EXISTS shifts_harvest_id_assign AFTER INSERT ON shifts WHEN NEW.harvest_id IS NULL
BEGIN
  INSERT INTO harvest_sequences (kind, last) VALUES ('shifts', 1) ON CONFLICT (kind) DO UPDATE SET last = last + 1;
  UPDATE shifts SET harvest_id = (SELECT last FROM harvest_sequences WHERE kind = 'shifts') WHERE rowid = NEW.rowid;
END;

CREATE UNIQUE INDEX IF NOT EXISTS time_entries_harvest_id ON time_entries (harvest_id);
CREATE TRIGGER IF NOT EXISTS time_entries_harvest_id_assign AFTER INSERT ON time_entries WHEN NEW.harvest_id IS NULL
BEGIN
  INSERT INTO harvest_sequences (kind, last) VALUES ('time_entries', 1) ON CONFLICT (kind) DO UPDATE SET last = last + 1;
  UPDATE time_entries SET harvest_id = (SELECT last FROM harvest_sequences WHERE kind = 'time_entries') WHERE rowid = NEW.rowid;
END;

CREATE UNIQUE INDEX IF NOT EXISTS exports_harvest_id ON exports (harvest_id);
CREATE TRIGGER IF NOT EXISTS exports_harvest_id_assign AFTER INSERT ON exports WHEN NEW.harvest_id IS NULL
BEGIN
  INSERT INTO harvest_sequences (kind, last) VALUES ('exports', 1) ON CONFLICT (kind) DO UPDATE SET last = last + 1;
  UPDATE exports SET harvest_id = (SELECT last FROM harvest_sequences WHERE kind = 'exports') WHERE rowid = NEW.rowid;
END;

CREATE UNIQUE INDEX IF NOT EXISTS positions_harvest_id ON positions (harvest_id);
CREATE TRIGGER IF NOT EXISTS positions_harvest_id_assign AFTER INSERT ON positions WHEN NEW.harvest_id IS NULL
BEGIN
  INSERT INTO harvest_sequences (kind, last) VALUES ('positions', 1) ON CONFLICT (kind) DO UPDATE SET last = last + 1;
  UPDATE positions SET harvest_id = (SELECT last FROM harvest_sequences WHERE kind = 'positions') WHERE rowid = NEW.rowid;
END;

-- /v2 pages (0006): a page's start found among index entries of the live rows.
CREATE INDEX IF NOT EXISTS workers_tenant_harvest ON workers (tenant_id, harvest_id) WHERE deleted_at IS NULL;
CREATE INDEX IF NOT EXISTS customers_tenant_harvest ON customers (tenant_id, harvest_id) WHERE deleted_at IS NULL;
CREATE INDEX IF NOT EXISTS jobs_tenant_harvest ON jobs (tenant_id, harvest_id) WHERE deleted_at IS NULL;
CREATE INDEX IF NOT EXISTS tasks_tenant_harvest ON tasks (tenant_id, harvest_id) WHERE deleted_at IS NULL;
CREATE INDEX IF NOT EXISTS time_entries_tenant_harvest ON time_entries (tenant_id, harvest_id) WHERE deleted_at IS NULL;

-- Customer contacts (0007), numbered like every object.
CREATE TABLE IF NOT EXISTS contacts (
  id           TEXT PRIMARY KEY,                 -- ctc_…
  tenant_id    TEXT NOT NULL,
  customer_id  TEXT NOT NULL,
  first_name   TEXT NOT NULL,
  last_name    TEXT,
  email        TEXT,
  phone        TEXT,
  title        TEXT,
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  deleted_at   TEXT,
  harvest_id   INTEGER
);
CREATE INDEX IF NOT EXISTS contacts_tenant ON contacts (tenant_id, id);
CREATE INDEX IF NOT EXISTS contacts_customer ON contacts (customer_id, id);
CREATE UNIQUE INDEX IF NOT EXISTS contacts_harvest_id ON contacts (harvest_id);
CREATE INDEX IF NOT EXISTS contacts_tenant_harvest ON contacts (tenant_id, harvest_id) WHERE deleted_at IS NULL;
CREATE TRIGGER IF NOT EXISTS contacts_harvest_id_assign AFTER INSERT ON contacts WHEN NEW.harvest_id IS NULL
BEGIN
  INSERT INTO harvest_sequences (kind, last) VALUES ('contacts', 1) ON CONFLICT (kind) DO UPDATE SET last = last + 1;
  UPDATE contacts SET harvest_id = (SELECT last FROM harvest_sequences WHERE kind = 'contacts') WHERE rowid = NEW.rowid;
END;

-- Expenses and invoices (0008, SPEC §6), numbered like every object.
-- An invoice's entries: found to free them when a draft is deleted, and by `is_invoiced`.
CREATE INDEX IF NOT EXISTS time_entries_invoice ON time_entries (tenant_id, invoice_id) WHERE invoice_id IS NOT NULL;

CREATE TABLE IF NOT EXISTS expenses (
  id              TEXT PRIMARY KEY,              -- xpn_…
  tenant_id       TEXT NOT NULL,
  worker_id       TEXT NOT NULL,
  job_id          TEXT,
  spent_date      TEXT NOT NULL,                 -- YYYY-MM-DD
  category        TEXT NOT NULL,
  amount          INTEGER NOT NULL,              -- minor units of currency
  currency        TEXT NOT NULL,
  units           REAL,
  notes           TEXT,
  billable        INTEGER NOT NULL DEFAULT 1,
  receipt_url     TEXT,
  status          TEXT NOT NULL DEFAULT 'pending',
  approved_at     TEXT,
  approved_by     TEXT,
  rejection_note  TEXT,
  invoice_id      TEXT,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  deleted_at      TEXT,
  harvest_id      INTEGER
);
CREATE INDEX IF NOT EXISTS expenses_tenant ON expenses (tenant_id, id);
CREATE INDEX IF NOT EXISTS expenses_worker ON expenses (tenant_id, worker_id, spent_date);
CREATE INDEX IF NOT EXISTS expenses_job ON expenses (tenant_id, job_id, spent_date);
CREATE INDEX IF NOT EXISTS expenses_spent ON expenses (tenant_id, spent_date);
CREATE INDEX IF NOT EXISTS expenses_invoice ON expenses (tenant_id, invoice_id) WHERE invoice_id IS NOT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS expenses_harvest_id ON expenses (harvest_id);
CREATE INDEX IF NOT EXISTS expenses_tenant_harvest ON expenses (tenant_id, harvest_id) WHERE deleted_at IS NULL;
CREATE TRIGGER IF NOT EXISTS expenses_harvest_id_assign AFTER INSERT ON expenses WHEN NEW.harvest_id IS NULL
BEGIN
  INSERT INTO harvest_sequences (kind, last) VALUES ('expenses', 1) ON CONFLICT (kind) DO UPDATE SET last = last + 1;
  UPDATE expenses SET harvest_id = (SELECT last FROM harvest_sequences WHERE kind = 'expenses') WHERE rowid = NEW.rowid;
END;

CREATE TABLE IF NOT EXISTS invoices (
  id           TEXT PRIMARY KEY,                 -- inv_…
  tenant_id    TEXT NOT NULL,
  customer_id  TEXT NOT NULL,
  number       TEXT NOT NULL,
  subject      TEXT,
  notes        TEXT,
  issue_date   TEXT,                             -- YYYY-MM-DD
  due_date     TEXT,
  currency     TEXT NOT NULL,
  state        TEXT NOT NULL DEFAULT 'draft',
  line_items   TEXT NOT NULL DEFAULT '[]',       -- JSON array, amounts in minor units
  amount       INTEGER NOT NULL DEFAULT 0,       -- the sum of the lines' amounts
  period_from  TEXT,                             -- an import's range (local days)
  period_to    TEXT,
  sent_at      TEXT,
  paid_at      TEXT,
  closed_at    TEXT,
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  deleted_at   TEXT,
  harvest_id   INTEGER
);
CREATE INDEX IF NOT EXISTS invoices_tenant ON invoices (tenant_id, id);
CREATE INDEX IF NOT EXISTS invoices_customer ON invoices (tenant_id, customer_id, id);
-- Numbers are unique among a tenant's live invoices (an explicit duplicate is 409).
CREATE UNIQUE INDEX IF NOT EXISTS invoices_number ON invoices (tenant_id, number) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX IF NOT EXISTS invoices_harvest_id ON invoices (harvest_id);
CREATE INDEX IF NOT EXISTS invoices_tenant_harvest ON invoices (tenant_id, harvest_id) WHERE deleted_at IS NULL;
CREATE TRIGGER IF NOT EXISTS invoices_harvest_id_assign AFTER INSERT ON invoices WHEN NEW.harvest_id IS NULL
BEGIN
  INSERT INTO harvest_sequences (kind, last) VALUES ('invoices', 1) ON CONFLICT (kind) DO UPDATE SET last = last + 1;
  UPDATE invoices SET harvest_id = (SELECT last FROM harvest_sequences WHERE kind = 'invoices') WHERE rowid = NEW.rowid;
END;

-- Each tenant's last invoice number (`INV-000001` …): bumped in the batch that creates an
-- invoice, so concurrent creates never share one and a number is never handed out twice.
CREATE TABLE IF NOT EXISTS invoice_sequences (
  tenant_id  TEXT PRIMARY KEY,
  last       INTEGER NOT NULL
);
