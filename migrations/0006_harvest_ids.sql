-- 0006: integer ids (SPEC §9): every object gets a stable positive integer, unique per table and
-- never handed out twice, shown as `harvest_id` on /v1 and as `id` on the Harvest-compatible /v2.
--
-- `harvest_sequences` keeps, per table, the last integer handed out. An AFTER INSERT trigger on
-- each table gives a row inserted without one (every insert the code makes) the next: no insert
-- statement names the column, and a number is never reused even after its row is deleted
-- (positions and webhook deliveries are purged by age). It is an ordinary column, so VACUUM (which
-- may renumber rowids) leaves it alone; a unique index makes a lookup by it one index probe. A
-- later migration that rebuilds one of these tables copies the column and recreates its index and
-- trigger.
--
-- Backfill: existing rows are numbered 1, 2, … in id order (creation order), and each table's
-- sequence starts after its last number. The outbox (events) and export_rows are not objects of
-- the API and get none.

CREATE TABLE IF NOT EXISTS harvest_sequences (
  kind  TEXT PRIMARY KEY,                -- the table whose rows it numbers
  last  INTEGER NOT NULL                 -- the last integer handed out
);

-- tenants
ALTER TABLE tenants ADD COLUMN harvest_id INTEGER;
UPDATE tenants SET harvest_id = numbered.n
  FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM tenants) AS numbered WHERE tenants.id = numbered.id;
INSERT INTO harvest_sequences (kind, last) SELECT 'tenants', coalesce(max(harvest_id), 0) FROM tenants;
CREATE UNIQUE INDEX IF NOT EXISTS tenants_harvest_id ON tenants (harvest_id);
CREATE TRIGGER IF NOT EXISTS tenants_harvest_id_assign AFTER INSERT ON tenants WHEN NEW.harvest_id IS NULL
BEGIN
  INSERT INTO harvest_sequences (kind, last) VALUES ('tenants', 1) ON CONFLICT (kind) DO UPDATE SET last = last + 1;
  UPDATE tenants SET harvest_id = (SELECT last FROM harvest_sequences WHERE kind = 'tenants') WHERE rowid = NEW.rowid;
END;

-- api_keys
ALTER TABLE api_keys ADD COLUMN harvest_id INTEGER;
UPDATE api_keys SET harvest_id = numbered.n
  FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM api_keys) AS numbered WHERE api_keys.id = numbered.id;
INSERT INTO harvest_sequences (kind, last) SELECT 'api_keys', coalesce(max(harvest_id), 0) FROM api_keys;
CREATE UNIQUE INDEX IF NOT EXISTS api_keys_harvest_id ON api_keys (harvest_id);
CREATE TRIGGER IF NOT EXISTS api_keys_harvest_id_assign AFTER INSERT ON api_keys WHEN NEW.harvest_id IS NULL
BEGIN
  INSERT INTO harvest_sequences (kind, last) VALUES ('api_keys', 1) ON CONFLICT (kind) DO UPDATE SET last = last + 1;
  UPDATE api_keys SET harvest_id = (SELECT last FROM harvest_sequences WHERE kind = 'api_keys') WHERE rowid = NEW.rowid;
END;

-- workers
ALTER TABLE workers ADD COLUMN harvest_id INTEGER;
UPDATE workers SET harvest_id = numbered.n
  FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM workers) AS numbered WHERE workers.id = numbered.id;
INSERT INTO harvest_sequences (kind, last) SELECT 'workers', coalesce(max(harvest_id), 0) FROM workers;
CREATE UNIQUE INDEX IF NOT EXISTS workers_harvest_id ON workers (harvest_id);
CREATE TRIGGER IF NOT EXISTS workers_harvest_id_assign AFTER INSERT ON workers WHEN NEW.harvest_id IS NULL
BEGIN
  INSERT INTO harvest_sequences (kind, last) VALUES ('workers', 1) ON CONFLICT (kind) DO UPDATE SET last = last + 1;
  UPDATE workers SET harvest_id = (SELECT last FROM harvest_sequences WHERE kind = 'workers') WHERE rowid = NEW.rowid;
END;

-- webhooks
ALTER TABLE webhooks ADD COLUMN harvest_id INTEGER;
UPDATE webhooks SET harvest_id = numbered.n
  FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM webhooks) AS numbered WHERE webhooks.id = numbered.id;
INSERT INTO harvest_sequences (kind, last) SELECT 'webhooks', coalesce(max(harvest_id), 0) FROM webhooks;
CREATE UNIQUE INDEX IF NOT EXISTS webhooks_harvest_id ON webhooks (harvest_id);
CREATE TRIGGER IF NOT EXISTS webhooks_harvest_id_assign AFTER INSERT ON webhooks WHEN NEW.harvest_id IS NULL
BEGIN
  INSERT INTO harvest_sequences (kind, last) VALUES ('webhooks', 1) ON CONFLICT (kind) DO UPDATE SET last = last + 1;
  UPDATE webhooks SET harvest_id = (SELECT last FROM harvest_sequences WHERE kind = 'webhooks') WHERE rowid = NEW.rowid;
END;

-- webhook_deliveries
ALTER TABLE webhook_deliveries ADD COLUMN harvest_id INTEGER;
UPDATE webhook_deliveries SET harvest_id = numbered.n
  FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM webhook_deliveries) AS numbered WHERE webhook_deliveries.id = numbered.id;
INSERT INTO harvest_sequences (kind, last) SELECT 'webhook_deliveries', coalesce(max(harvest_id), 0) FROM webhook_deliveries;
CREATE UNIQUE INDEX IF NOT EXISTS webhook_deliveries_harvest_id ON webhook_deliveries (harvest_id);
CREATE TRIGGER IF NOT EXISTS webhook_deliveries_harvest_id_assign AFTER INSERT ON webhook_deliveries WHEN NEW.harvest_id IS NULL
BEGIN
  INSERT INTO harvest_sequences (kind, last) VALUES ('webhook_deliveries', 1) ON CONFLICT (kind) DO UPDATE SET last = last + 1;
  UPDATE webhook_deliveries SET harvest_id = (SELECT last FROM harvest_sequences WHERE kind = 'webhook_deliveries') WHERE rowid = NEW.rowid;
END;

-- vendors
ALTER TABLE vendors ADD COLUMN harvest_id INTEGER;
UPDATE vendors SET harvest_id = numbered.n
  FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM vendors) AS numbered WHERE vendors.id = numbered.id;
INSERT INTO harvest_sequences (kind, last) SELECT 'vendors', coalesce(max(harvest_id), 0) FROM vendors;
CREATE UNIQUE INDEX IF NOT EXISTS vendors_harvest_id ON vendors (harvest_id);
CREATE TRIGGER IF NOT EXISTS vendors_harvest_id_assign AFTER INSERT ON vendors WHEN NEW.harvest_id IS NULL
BEGIN
  INSERT INTO harvest_sequences (kind, last) VALUES ('vendors', 1) ON CONFLICT (kind) DO UPDATE SET last = last + 1;
  UPDATE vendors SET harvest_id = (SELECT last FROM harvest_sequences WHERE kind = 'vendors') WHERE rowid = NEW.rowid;
END;

-- partnerships
ALTER TABLE partnerships ADD COLUMN harvest_id INTEGER;
UPDATE partnerships SET harvest_id = numbered.n
  FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM partnerships) AS numbered WHERE partnerships.id = numbered.id;
INSERT INTO harvest_sequences (kind, last) SELECT 'partnerships', coalesce(max(harvest_id), 0) FROM partnerships;
CREATE UNIQUE INDEX IF NOT EXISTS partnerships_harvest_id ON partnerships (harvest_id);
CREATE TRIGGER IF NOT EXISTS partnerships_harvest_id_assign AFTER INSERT ON partnerships WHEN NEW.harvest_id IS NULL
BEGIN
  INSERT INTO harvest_sequences (kind, last) VALUES ('partnerships', 1) ON CONFLICT (kind) DO UPDATE SET last = last + 1;
  UPDATE partnerships SET harvest_id = (SELECT last FROM harvest_sequences WHERE kind = 'partnerships') WHERE rowid = NEW.rowid;
END;

-- audit_log
ALTER TABLE audit_log ADD COLUMN harvest_id INTEGER;
UPDATE audit_log SET harvest_id = numbered.n
  FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM audit_log) AS numbered WHERE audit_log.id = numbered.id;
INSERT INTO harvest_sequences (kind, last) SELECT 'audit_log', coalesce(max(harvest_id), 0) FROM audit_log;
CREATE UNIQUE INDEX IF NOT EXISTS audit_log_harvest_id ON audit_log (harvest_id);
CREATE TRIGGER IF NOT EXISTS audit_log_harvest_id_assign AFTER INSERT ON audit_log WHEN NEW.harvest_id IS NULL
BEGIN
  INSERT INTO harvest_sequences (kind, last) VALUES ('audit_log', 1) ON CONFLICT (kind) DO UPDATE SET last = last + 1;
  UPDATE audit_log SET harvest_id = (SELECT last FROM harvest_sequences WHERE kind = 'audit_log') WHERE rowid = NEW.rowid;
END;

-- sites
ALTER TABLE sites ADD COLUMN harvest_id INTEGER;
UPDATE sites SET harvest_id = numbered.n
  FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM sites) AS numbered WHERE sites.id = numbered.id;
INSERT INTO harvest_sequences (kind, last) SELECT 'sites', coalesce(max(harvest_id), 0) FROM sites;
CREATE UNIQUE INDEX IF NOT EXISTS sites_harvest_id ON sites (harvest_id);
CREATE TRIGGER IF NOT EXISTS sites_harvest_id_assign AFTER INSERT ON sites WHEN NEW.harvest_id IS NULL
BEGIN
  INSERT INTO harvest_sequences (kind, last) VALUES ('sites', 1) ON CONFLICT (kind) DO UPDATE SET last = last + 1;
  UPDATE sites SET harvest_id = (SELECT last FROM harvest_sequences WHERE kind = 'sites') WHERE rowid = NEW.rowid;
END;

-- departments
ALTER TABLE departments ADD COLUMN harvest_id INTEGER;
UPDATE departments SET harvest_id = numbered.n
  FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM departments) AS numbered WHERE departments.id = numbered.id;
INSERT INTO harvest_sequences (kind, last) SELECT 'departments', coalesce(max(harvest_id), 0) FROM departments;
CREATE UNIQUE INDEX IF NOT EXISTS departments_harvest_id ON departments (harvest_id);
CREATE TRIGGER IF NOT EXISTS departments_harvest_id_assign AFTER INSERT ON departments WHEN NEW.harvest_id IS NULL
BEGIN
  INSERT INTO harvest_sequences (kind, last) VALUES ('departments', 1) ON CONFLICT (kind) DO UPDATE SET last = last + 1;
  UPDATE departments SET harvest_id = (SELECT last FROM harvest_sequences WHERE kind = 'departments') WHERE rowid = NEW.rowid;
END;

-- cost_codes
ALTER TABLE cost_codes ADD COLUMN harvest_id INTEGER;
UPDATE cost_codes SET harvest_id = numbered.n
  FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM cost_codes) AS numbered WHERE cost_codes.id = numbered.id;
INSERT INTO harvest_sequences (kind, last) SELECT 'cost_codes', coalesce(max(harvest_id), 0) FROM cost_codes;
CREATE UNIQUE INDEX IF NOT EXISTS cost_codes_harvest_id ON cost_codes (harvest_id);
CREATE TRIGGER IF NOT EXISTS cost_codes_harvest_id_assign AFTER INSERT ON cost_codes WHEN NEW.harvest_id IS NULL
BEGIN
  INSERT INTO harvest_sequences (kind, last) VALUES ('cost_codes', 1) ON CONFLICT (kind) DO UPDATE SET last = last + 1;
  UPDATE cost_codes SET harvest_id = (SELECT last FROM harvest_sequences WHERE kind = 'cost_codes') WHERE rowid = NEW.rowid;
END;

-- tasks
ALTER TABLE tasks ADD COLUMN harvest_id INTEGER;
UPDATE tasks SET harvest_id = numbered.n
  FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM tasks) AS numbered WHERE tasks.id = numbered.id;
INSERT INTO harvest_sequences (kind, last) SELECT 'tasks', coalesce(max(harvest_id), 0) FROM tasks;
CREATE UNIQUE INDEX IF NOT EXISTS tasks_harvest_id ON tasks (harvest_id);
CREATE TRIGGER IF NOT EXISTS tasks_harvest_id_assign AFTER INSERT ON tasks WHEN NEW.harvest_id IS NULL
BEGIN
  INSERT INTO harvest_sequences (kind, last) VALUES ('tasks', 1) ON CONFLICT (kind) DO UPDATE SET last = last + 1;
  UPDATE tasks SET harvest_id = (SELECT last FROM harvest_sequences WHERE kind = 'tasks') WHERE rowid = NEW.rowid;
END;

-- customers
ALTER TABLE customers ADD COLUMN harvest_id INTEGER;
UPDATE customers SET harvest_id = numbered.n
  FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM customers) AS numbered WHERE customers.id = numbered.id;
INSERT INTO harvest_sequences (kind, last) SELECT 'customers', coalesce(max(harvest_id), 0) FROM customers;
CREATE UNIQUE INDEX IF NOT EXISTS customers_harvest_id ON customers (harvest_id);
CREATE TRIGGER IF NOT EXISTS customers_harvest_id_assign AFTER INSERT ON customers WHEN NEW.harvest_id IS NULL
BEGIN
  INSERT INTO harvest_sequences (kind, last) VALUES ('customers', 1) ON CONFLICT (kind) DO UPDATE SET last = last + 1;
  UPDATE customers SET harvest_id = (SELECT last FROM harvest_sequences WHERE kind = 'customers') WHERE rowid = NEW.rowid;
END;

-- jobs
ALTER TABLE jobs ADD COLUMN harvest_id INTEGER;
UPDATE jobs SET harvest_id = numbered.n
  FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM jobs) AS numbered WHERE jobs.id = numbered.id;
INSERT INTO harvest_sequences (kind, last) SELECT 'jobs', coalesce(max(harvest_id), 0) FROM jobs;
CREATE UNIQUE INDEX IF NOT EXISTS jobs_harvest_id ON jobs (harvest_id);
CREATE TRIGGER IF NOT EXISTS jobs_harvest_id_assign AFTER INSERT ON jobs WHEN NEW.harvest_id IS NULL
BEGIN
  INSERT INTO harvest_sequences (kind, last) VALUES ('jobs', 1) ON CONFLICT (kind) DO UPDATE SET last = last + 1;
  UPDATE jobs SET harvest_id = (SELECT last FROM harvest_sequences WHERE kind = 'jobs') WHERE rowid = NEW.rowid;
END;

-- shifts
ALTER TABLE shifts ADD COLUMN harvest_id INTEGER;
UPDATE shifts SET harvest_id = numbered.n
  FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM shifts) AS numbered WHERE shifts.id = numbered.id;
INSERT INTO harvest_sequences (kind, last) SELECT 'shifts', coalesce(max(harvest_id), 0) FROM shifts;
CREATE UNIQUE INDEX IF NOT EXISTS shifts_harvest_id ON shifts (harvest_id);
CREATE TRIGGER IF NOT EXISTS shifts_harvest_id_assign AFTER INSERT ON shifts WHEN NEW.harvest_id IS NULL
BEGIN
  INSERT INTO harvest_sequences (kind, last) VALUES ('shifts', 1) ON CONFLICT (kind) DO UPDATE SET last = last + 1;
  UPDATE shifts SET harvest_id = (SELECT last FROM harvest_sequences WHERE kind = 'shifts') WHERE rowid = NEW.rowid;
END;

-- time_entries
ALTER TABLE time_entries ADD COLUMN harvest_id INTEGER;
UPDATE time_entries SET harvest_id = numbered.n
  FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM time_entries) AS numbered WHERE time_entries.id = numbered.id;
INSERT INTO harvest_sequences (kind, last) SELECT 'time_entries', coalesce(max(harvest_id), 0) FROM time_entries;
CREATE UNIQUE INDEX IF NOT EXISTS time_entries_harvest_id ON time_entries (harvest_id);
CREATE TRIGGER IF NOT EXISTS time_entries_harvest_id_assign AFTER INSERT ON time_entries WHEN NEW.harvest_id IS NULL
BEGIN
  INSERT INTO harvest_sequences (kind, last) VALUES ('time_entries', 1) ON CONFLICT (kind) DO UPDATE SET last = last + 1;
  UPDATE time_entries SET harvest_id = (SELECT last FROM harvest_sequences WHERE kind = 'time_entries') WHERE rowid = NEW.rowid;
END;

-- exports
ALTER TABLE exports ADD COLUMN harvest_id INTEGER;
UPDATE exports SET harvest_id = numbered.n
  FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM exports) AS numbered WHERE exports.id = numbered.id;
INSERT INTO harvest_sequences (kind, last) SELECT 'exports', coalesce(max(harvest_id), 0) FROM exports;
CREATE UNIQUE INDEX IF NOT EXISTS exports_harvest_id ON exports (harvest_id);
CREATE TRIGGER IF NOT EXISTS exports_harvest_id_assign AFTER INSERT ON exports WHEN NEW.harvest_id IS NULL
BEGIN
  INSERT INTO harvest_sequences (kind, last) VALUES ('exports', 1) ON CONFLICT (kind) DO UPDATE SET last = last + 1;
  UPDATE exports SET harvest_id = (SELECT last FROM harvest_sequences WHERE kind = 'exports') WHERE rowid = NEW.rowid;
END;

-- positions
ALTER TABLE positions ADD COLUMN harvest_id INTEGER;
UPDATE positions SET harvest_id = numbered.n
  FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM positions) AS numbered WHERE positions.id = numbered.id;
INSERT INTO harvest_sequences (kind, last) SELECT 'positions', coalesce(max(harvest_id), 0) FROM positions;
CREATE UNIQUE INDEX IF NOT EXISTS positions_harvest_id ON positions (harvest_id);
CREATE TRIGGER IF NOT EXISTS positions_harvest_id_assign AFTER INSERT ON positions WHEN NEW.harvest_id IS NULL
BEGIN
  INSERT INTO harvest_sequences (kind, last) VALUES ('positions', 1) ON CONFLICT (kind) DO UPDATE SET last = last + 1;
  UPDATE positions SET harvest_id = (SELECT last FROM harvest_sequences WHERE kind = 'positions') WHERE rowid = NEW.rowid;
END;

-- The Harvest-compatible /v2 lists these newest first by integer id, in numbered pages: a
-- page's first row is found by skipping index entries of (tenant, harvest_id) among the live
-- rows, never the rows themselves.
CREATE INDEX IF NOT EXISTS workers_tenant_harvest ON workers (tenant_id, harvest_id) WHERE deleted_at IS NULL;
CREATE INDEX IF NOT EXISTS customers_tenant_harvest ON customers (tenant_id, harvest_id) WHERE deleted_at IS NULL;
CREATE INDEX IF NOT EXISTS jobs_tenant_harvest ON jobs (tenant_id, harvest_id) WHERE deleted_at IS NULL;
CREATE INDEX IF NOT EXISTS tasks_tenant_harvest ON tasks (tenant_id, harvest_id) WHERE deleted_at IS NULL;
CREATE INDEX IF NOT EXISTS time_entries_tenant_harvest ON time_entries (tenant_id, harvest_id) WHERE deleted_at IS NULL;
