-- 0008: expenses and invoices (SPEC §6), the job's `hourly_rate` and a time entry's
-- `invoice_id`. New columns are NULL on existing rows (no rate, not invoiced): nothing to
-- backfill. New tables are numbered like every object (0006): a sequence row, a trigger, a
-- unique index, and the /v2 page index over live rows.
ALTER TABLE jobs ADD COLUMN hourly_rate INTEGER;
ALTER TABLE time_entries ADD COLUMN invoice_id TEXT;
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
