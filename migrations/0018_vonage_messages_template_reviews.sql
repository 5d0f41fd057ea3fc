-- Vonage's Messages API: a Vonage application has a status URL (message statuses only) and an
-- inbound URL (customer messages only), two endpoints in two new formats, each written with the
-- event types it takes (`event_types`, a JSON array of canonical event types; NULL: every type).
-- SQLite cannot change the format CHECK in place: the table is rebuilt (deliveries refer to it,
-- hence the deferred foreign keys, checked again at the end of the migration).
PRAGMA defer_foreign_keys = true;

CREATE TABLE webhook_endpoints_rebuilt (
  id TEXT PRIMARY KEY,                             -- whe_…
  account_id TEXT NOT NULL REFERENCES accounts(id),
  format TEXT NOT NULL CHECK (format IN ('native', 'tokabola', 'lam', 'engagelab', 'vonage-status', 'vonage-inbound')),
  url TEXT,                                        -- NULL: nowhere to send (an account webhook URL that was cleared)
  headers TEXT,                                    -- JSON {name: value} sent with each delivery (LAfricaMobile)
  phone_number_id TEXT,                            -- only this number's events (LAfricaMobile); NULL = all
  secret_version INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  deleted_at INTEGER,
  statuses INTEGER NOT NULL DEFAULT 1,             -- message statuses go here (the toKABOLA webhook: when the account opts in)
  event_types TEXT                                 -- JSON array of the event types it takes; NULL: every type
);
INSERT INTO webhook_endpoints_rebuilt (id, account_id, format, url, headers, phone_number_id, secret_version, created_at, updated_at, deleted_at, statuses)
  SELECT id, account_id, format, url, headers, phone_number_id, secret_version, created_at, updated_at, deleted_at, statuses FROM webhook_endpoints;
DROP TABLE webhook_endpoints;
ALTER TABLE webhook_endpoints_rebuilt RENAME TO webhook_endpoints;

CREATE INDEX webhook_endpoints_by_account ON webhook_endpoints(account_id) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX webhook_endpoints_one_config ON webhook_endpoints(account_id, format, COALESCE(phone_number_id, ''))
  WHERE deleted_at IS NULL AND format != 'native';

-- Template reviews (`template.status`) are a new event type: the formats with no shape for them
-- (toKABOLA's GETs, LAfricaMobile's number webhooks) keep taking only the three types there were.
UPDATE webhook_endpoints SET event_types = '["message.received","message.status","number.error"]' WHERE format IN ('tokabola', 'lam');

-- A delivery's event is no longer always a stored Meta event: a template review (Meta's
-- message_template_status_update) is the account's, told to it without a meta_events row. The
-- deliveries table is rebuilt without that one foreign key (UNIQUE (event_id, endpoint_id) stays).
CREATE TABLE deliveries_rebuilt (
  id TEXT PRIMARY KEY,                             -- dlv_…
  account_id TEXT NOT NULL REFERENCES accounts(id),
  endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints(id),
  event_id TEXT NOT NULL,                          -- a meta_events id, or evt_tpl_… for a template review
  event TEXT NOT NULL,                             -- JSON: the canonical event, frozen at fan-out
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  leased_until INTEGER,                            -- an attempt in flight; another claim waits
  window_started_at INTEGER NOT NULL,              -- retries stop WEBHOOK_RETRY_HOURS after this (reset by a replay)
  last_status INTEGER,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (event_id, endpoint_id)
);
INSERT INTO deliveries_rebuilt (rowid, id, account_id, endpoint_id, event_id, event, state, attempts, next_attempt_at, leased_until, window_started_at, last_status, last_error, created_at, updated_at)
  SELECT rowid, id, account_id, endpoint_id, event_id, event, state, attempts, next_attempt_at, leased_until, window_started_at, last_status, last_error, created_at, updated_at FROM deliveries;
DROP TABLE deliveries;
ALTER TABLE deliveries_rebuilt RENAME TO deliveries;
CREATE INDEX deliveries_by_account ON deliveries(account_id, created_at);
CREATE INDEX deliveries_due ON deliveries(next_attempt_at) WHERE state = 'pending';

PRAGMA defer_foreign_keys = false;

-- The API key (a dev_keys row: Basic auth for Vonage's Messages API) issued with the application;
-- the application's webhooks carry it in their signed JWT's `api_key` claim, as Vonage's do.
ALTER TABLE vonage_applications ADD COLUMN api_key TEXT;
