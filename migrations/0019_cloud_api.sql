-- Meta's Cloud API dialect (/graph): Bearer access tokens Tuma issues per account, stored as the
-- SHA-256 of the token (shown once), and a new webhook format, `cloud-api` (Meta's
-- whatsapp_business_account payloads signed X-Hub-Signature-256).
CREATE TABLE cloud_api_tokens (
  id TEXT PRIMARY KEY,                             -- cat_… (public: names the token to list and revoke it)
  account_id TEXT NOT NULL REFERENCES accounts(id),
  token_hash TEXT NOT NULL UNIQUE,                 -- sha256 hex of the token
  label TEXT,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE INDEX cloud_api_tokens_by_account ON cloud_api_tokens(account_id, created_at);

-- `lam-cloud`: a LAfricaMobile/360dialog number's webhook in the Cloud API shape (360dialog's v2),
-- instead of the On-Premise one (`lam`).
-- SQLite cannot change the format CHECK in place: the table is rebuilt as 0018 did, keeping every
-- row and its rowid (deliveries refer to it, hence the deferred foreign keys).
PRAGMA defer_foreign_keys = true;

CREATE TABLE webhook_endpoints_rebuilt (
  id TEXT PRIMARY KEY,                             -- whe_…
  account_id TEXT NOT NULL REFERENCES accounts(id),
  format TEXT NOT NULL CHECK (format IN ('native', 'tokabola', 'lam', 'engagelab', 'vonage-status', 'vonage-inbound', 'cloud-api', 'lam-cloud')),
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
INSERT INTO webhook_endpoints_rebuilt (rowid, id, account_id, format, url, headers, phone_number_id, secret_version, created_at, updated_at, deleted_at, statuses, event_types)
  SELECT rowid, id, account_id, format, url, headers, phone_number_id, secret_version, created_at, updated_at, deleted_at, statuses, event_types FROM webhook_endpoints;
DROP TABLE webhook_endpoints;
ALTER TABLE webhook_endpoints_rebuilt RENAME TO webhook_endpoints;

CREATE INDEX webhook_endpoints_by_account ON webhook_endpoints(account_id) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX webhook_endpoints_one_config ON webhook_endpoints(account_id, format, COALESCE(phone_number_id, ''))
  WHERE deleted_at IS NULL AND format != 'native';

PRAGMA defer_foreign_keys = false;
