-- `cloud-api-number`: a number's own Cloud API webhook, Meta's phone-number override of the app's
-- callback URL (POST /{phone-number-id} with webhook_configuration.override_callback_uri).
-- `replaces_format`: a number's endpoint of a format that replaces an account-wide one names that
-- format, and the number's events then skip the account's endpoint of it. Written from the
-- format's policy when the endpoint is made, as event_types is.
-- SQLite cannot change the format CHECK in place: the table is rebuilt as 0019 did, keeping every
-- row and its rowid (deliveries refer to it, hence the deferred foreign keys).
PRAGMA defer_foreign_keys = true;

CREATE TABLE webhook_endpoints_rebuilt (
  id TEXT PRIMARY KEY,                             -- whe_…
  account_id TEXT NOT NULL REFERENCES accounts(id),
  format TEXT NOT NULL CHECK (format IN ('native', 'tokabola', 'lam', 'engagelab', 'vonage-status', 'vonage-inbound', 'cloud-api', 'lam-cloud', 'cloud-api-number')),
  url TEXT,                                        -- NULL: nowhere to send (an account webhook URL that was cleared)
  headers TEXT,                                    -- JSON {name: value} sent with each delivery (LAfricaMobile)
  phone_number_id TEXT,                            -- only this number's events (LAfricaMobile); NULL = all
  secret_version INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  deleted_at INTEGER,
  statuses INTEGER NOT NULL DEFAULT 1,             -- message statuses go here (the toKABOLA webhook: when the account opts in)
  event_types TEXT,                                -- JSON array of the event types it takes; NULL: every type
  replaces_format TEXT                             -- the account-wide format this number's endpoint stands in for; NULL: none
);
INSERT INTO webhook_endpoints_rebuilt (rowid, id, account_id, format, url, headers, phone_number_id, secret_version, created_at, updated_at, deleted_at, statuses, event_types)
  SELECT rowid, id, account_id, format, url, headers, phone_number_id, secret_version, created_at, updated_at, deleted_at, statuses, event_types FROM webhook_endpoints;
DROP TABLE webhook_endpoints;
ALTER TABLE webhook_endpoints_rebuilt RENAME TO webhook_endpoints;

CREATE INDEX webhook_endpoints_by_account ON webhook_endpoints(account_id) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX webhook_endpoints_one_config ON webhook_endpoints(account_id, format, COALESCE(phone_number_id, ''))
  WHERE deleted_at IS NULL AND format != 'native';

PRAGMA defer_foreign_keys = false;
