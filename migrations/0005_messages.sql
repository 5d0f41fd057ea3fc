-- Sending: messages, prices, templates, the 24-hour window record and idempotency keys.

-- The upstream a deployment was created with (sandbox or meta), so its sends go the same way.
-- NULL (deployments from before this migration): WHATSAPP_UPSTREAM decides.
ALTER TABLE deployments ADD COLUMN upstream TEXT CHECK (upstream IS NULL OR upstream IN ('sandbox', 'meta'));

-- One row per send. Written `pending` (with its hold) before the upstream is called, so a crash
-- leaves a pending message and a HELD hold that the cron settles; never money without a message.
CREATE TABLE messages (
  id TEXT PRIMARY KEY,                             -- msg_…; also the hold's reference
  account_id TEXT NOT NULL REFERENCES accounts(id),
  phone_number_id TEXT NOT NULL,                   -- the sending number
  upstream TEXT NOT NULL CHECK (upstream IN ('sandbox', 'meta')),
  to_input TEXT NOT NULL,                          -- the recipient as the client wrote it
  wa_id TEXT NOT NULL,                             -- digits-only international form
  type TEXT NOT NULL,                              -- text, image, template, …
  category TEXT NOT NULL CHECK (category IN ('marketing', 'utility', 'authentication', 'service')),
  wamid TEXT UNIQUE,                               -- the upstream's id, once accepted
  status TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'sent', 'delivered', 'read', 'failed')),
  error TEXT,                                      -- JSON {code, message, upstream_code?} when failed
  hold_reference TEXT,                             -- = id when the send is paid
  charge_currency TEXT,
  charge_amount INTEGER CHECK (charge_amount IS NULL OR charge_amount > 0),
  client_data TEXT,                                -- JSON, echoed in callbacks
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX messages_by_account ON messages(account_id, created_at);
CREATE INDEX messages_pending ON messages(created_at) WHERE status = 'pending';

-- Price of one message per category and currency (minor units). Sandbox sends are free.
CREATE TABLE prices (
  category TEXT NOT NULL CHECK (category IN ('marketing', 'utility', 'authentication', 'service')),
  currency TEXT NOT NULL,
  amount INTEGER NOT NULL CHECK (amount >= 0),
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (category, currency)
);
-- Starting prices, near Meta's African rates plus a margin; service (free-form) messages are free.
INSERT INTO prices (category, currency, amount, updated_at) VALUES
  ('marketing', 'CDF', 150, 0), ('marketing', 'USD', 5, 0), ('marketing', 'XAF', 30, 0), ('marketing', 'XOF', 30, 0), ('marketing', 'KES', 650, 0),
  ('utility', 'CDF', 60, 0), ('utility', 'USD', 2, 0), ('utility', 'XAF', 12, 0), ('utility', 'XOF', 12, 0), ('utility', 'KES', 260, 0),
  ('authentication', 'CDF', 60, 0), ('authentication', 'USD', 2, 0), ('authentication', 'XAF', 12, 0), ('authentication', 'XOF', 12, 0), ('authentication', 'KES', 260, 0),
  ('service', 'CDF', 0, 0), ('service', 'USD', 0, 0), ('service', 'XAF', 0, 0), ('service', 'XOF', 0, 0), ('service', 'KES', 0, 0);

-- Message templates per account (the sandbox's own store, and the cache of Meta's).
CREATE TABLE templates (
  id TEXT PRIMARY KEY,                             -- Meta's template id, or tpl_… in the sandbox
  account_id TEXT NOT NULL REFERENCES accounts(id),
  waba_id TEXT NOT NULL,
  name TEXT NOT NULL,
  language TEXT NOT NULL,
  category TEXT NOT NULL CHECK (category IN ('MARKETING', 'UTILITY', 'AUTHENTICATION')),
  status TEXT NOT NULL,
  components TEXT NOT NULL,                        -- JSON array, Meta's creation format
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (account_id, name, language)
);

-- When each customer last wrote to each number: the 24-hour customer-service window.
CREATE TABLE contacts (
  phone_number_id TEXT NOT NULL,
  wa_id TEXT NOT NULL,
  last_inbound_at INTEGER NOT NULL,
  PRIMARY KEY (phone_number_id, wa_id)
);

-- A client's idempotency key: claimed by the insert that also writes the message (one batch), so
-- of two requests with one key exactly one sends.
CREATE TABLE idempotency_keys (
  account_id TEXT NOT NULL REFERENCES accounts(id),
  key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  message_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (account_id, key)
);
