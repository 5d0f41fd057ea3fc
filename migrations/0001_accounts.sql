-- Accounts and their bearer tokens. Secrets are stored only as SHA-256 hashes.
CREATE TABLE accounts (
  id TEXT PRIMARY KEY,                 -- toKABOLA's id_user: a numeric string
  name TEXT NOT NULL,
  name_key TEXT NOT NULL UNIQUE,       -- lower(trim(name)): names are unique case-insensitively
  description TEXT,
  logo_url TEXT,
  webhook_url TEXT,
  key_hash TEXT NOT NULL,              -- sha256(key_user)
  key_prefix TEXT NOT NULL,            -- the first characters of key_user, for the masked display
  plan TEXT NOT NULL DEFAULT 'TRIAL',
  plan_expires_at INTEGER NOT NULL,    -- ms since epoch
  auto_pay INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE tokens (
  hash TEXT PRIMARY KEY,               -- sha256(token)
  account_id TEXT NOT NULL REFERENCES accounts(id),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE INDEX tokens_by_account ON tokens(account_id, revoked_at);
CREATE INDEX tokens_by_expiry ON tokens(expires_at);
