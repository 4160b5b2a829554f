-- 0007: customer contacts (SPEC §6 customers; `/v2/contacts`, SPEC §9). New table only: nothing
-- to backfill. Numbered like every object (0006): its own sequence, trigger and unique index,
-- and the /v2 page index over the live rows.
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
