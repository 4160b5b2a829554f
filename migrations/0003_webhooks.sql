-- 0003: webhook endpoints and their deliveries (SPEC §7). New tables only: nothing to backfill.
-- Events written to the outbox before this migration stay undispatched until the sweeper
-- fans them out; an endpoint created now receives only events that occur after its creation.

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
  deleted_at                  TEXT
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
  updated_at      TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS webhook_deliveries_pair ON webhook_deliveries (event_id, webhook_id);
CREATE INDEX IF NOT EXISTS webhook_deliveries_webhook ON webhook_deliveries (tenant_id, webhook_id, id);
CREATE INDEX IF NOT EXISTS webhook_deliveries_pending ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX IF NOT EXISTS webhook_deliveries_created ON webhook_deliveries (created_at);
