-- EngageLab API keys: `Authorization: Basic base64(dev_key:dev_secret)`. Only the secret's hash is stored.
CREATE TABLE dev_keys (
  dev_key TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  secret_hash TEXT NOT NULL,
  label TEXT,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE INDEX dev_keys_by_account ON dev_keys(account_id, created_at);
