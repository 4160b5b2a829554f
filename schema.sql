-- edgeclock D1 schema: the whole current schema, applied idempotently to local D1 by
-- `make dev`/`make test` and to production by
-- `wrangler d1 execute edgeclock --remote --file schema.sql`.
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
  deleted_at  TEXT
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
  deleted_at    TEXT
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
  deleted_at     TEXT
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

-- Platform integrators acting for tenants that granted them scopes.
CREATE TABLE IF NOT EXISTS vendors (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  tier        TEXT NOT NULL,
  limits      TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  deleted_at  TEXT
);

-- A tenant's grant of scopes to a vendor; at most one live grant per pair.
CREATE TABLE IF NOT EXISTS partnerships (
  id          TEXT PRIMARY KEY,
  tenant_id   TEXT NOT NULL,
  vendor_id   TEXT NOT NULL,
  scopes      TEXT NOT NULL,             -- JSON array
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  deleted_at  TEXT                       -- set on revocation
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
  deleted_at   TEXT                      -- always NULL: the log is append-only
);
CREATE INDEX IF NOT EXISTS audit_log_tenant ON audit_log (tenant_id, id);
CREATE INDEX IF NOT EXISTS audit_log_key ON audit_log (tenant_id, key_id, id);
