-- WhatsApp numbers. The Deployment Durable Object is the source of truth for a number's state;
-- this is its mirror for listing, account scoping and lookups by phone_number_id or API key.
CREATE TABLE deployments (
  id TEXT PRIMARY KEY,                 -- the deployment id (UUID), also the Durable Object's name
  account_id TEXT NOT NULL REFERENCES accounts(id),
  cc TEXT NOT NULL,                    -- country calling code, digits only
  number TEXT NOT NULL,                -- national number, digits only
  phone_number_id TEXT,                -- Meta's id once the number is added to the WABA
  waba_id TEXT,
  state TEXT NOT NULL,
  api_key_hash TEXT NOT NULL UNIQUE,   -- sha256 of the number's API key (shown once)
  api_key_prefix TEXT NOT NULL,        -- first characters, for the masked display
  detail TEXT NOT NULL,                -- what the state means now, e.g. "Invalid vname certificate"
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
-- A number lives in at most one non-deleted deployment, across all accounts: the insert that
-- loses the race fails here (number-in-use), with no read-then-write.
CREATE UNIQUE INDEX deployments_live_number ON deployments(cc, number) WHERE state != 'DELETED';
CREATE UNIQUE INDEX deployments_live_phone_number_id ON deployments(phone_number_id)
  WHERE phone_number_id IS NOT NULL AND state != 'DELETED';
CREATE INDEX deployments_by_account ON deployments(account_id, created_at);

-- The Vonage application an account signs its JWTs with (one per account).
CREATE TABLE vonage_applications (
  account_id TEXT PRIMARY KEY REFERENCES accounts(id),
  application_id TEXT NOT NULL UNIQUE,
  public_key TEXT NOT NULL,            -- SPKI PEM
  key_fingerprint TEXT NOT NULL,       -- sha256 of the PEM: verified-token cache entries are keyed by it
  updated_at INTEGER NOT NULL
);
