-- Inbound: Meta webhook intake, inbound messages, client webhook endpoints and their deliveries.

-- Every signed payload Meta (or the sandbox, signed the same way) posted, verbatim. Keyed by the
-- sha256 of its bytes: Meta's retries of one payload are stored once.
CREATE TABLE meta_payloads (
  id TEXT PRIMARY KEY,                             -- sha256(raw body), hex
  body TEXT NOT NULL,                              -- the raw JSON as received
  source TEXT NOT NULL CHECK (source IN ('meta', 'sandbox')),
  received_at INTEGER NOT NULL
);

-- One row per event in a payload. `event_key` is what Meta's duplicates share: an inbound
-- message's wamid, or `status:<wamid>:<status>`. A duplicate insert does nothing, so a payload
-- delivered three times is processed, and delivered to clients, once.
CREATE TABLE meta_events (
  id TEXT PRIMARY KEY,                             -- evt_…
  event_key TEXT NOT NULL UNIQUE,
  payload_id TEXT NOT NULL REFERENCES meta_payloads(id),
  kind TEXT NOT NULL CHECK (kind IN ('message', 'status', 'error')),
  phone_number_id TEXT NOT NULL,
  body TEXT NOT NULL,                              -- JSON {metadata, contact?, item}: item is Meta's message/status/error object
  state TEXT NOT NULL DEFAULT 'received' CHECK (state IN ('received', 'processed', 'unrouted')),
  account_id TEXT,                                 -- set when processed; NULL while unrouted
  received_at INTEGER NOT NULL,
  processed_at INTEGER
);
-- The cron re-queues events whose queue message was lost; unrouted ones are listed for the operator.
CREATE INDEX meta_events_pending ON meta_events(received_at) WHERE state = 'received';
CREATE INDEX meta_events_unrouted ON meta_events(received_at) WHERE state = 'unrouted';

-- What customers wrote to the account's numbers, every type of reference §6.5.
CREATE TABLE inbound_messages (
  wamid TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  phone_number_id TEXT NOT NULL,
  from_wa_id TEXT NOT NULL,
  profile_name TEXT,
  type TEXT NOT NULL,
  content TEXT NOT NULL,                           -- JSON: Meta's message object as received
  media_id TEXT,                                   -- image/video/audio/document/sticker id, for GET /api/v1/media/{id}
  sent_at INTEGER NOT NULL,                        -- Meta's timestamp, ms
  received_at INTEGER NOT NULL
);
CREATE INDEX inbound_messages_by_account ON inbound_messages(account_id, received_at);
CREATE INDEX inbound_messages_by_media ON inbound_messages(media_id) WHERE media_id IS NOT NULL;

-- Meta's pricing of a sent message ({pricing_model, type, category, billable}), as first reported.
ALTER TABLE messages ADD COLUMN pricing TEXT;

-- Where an account's events go, each in its dialect's format. Secrets are not stored: an
-- endpoint's secret is HMAC(WEBHOOK_SIGNING_KEY, id + ":" + secret_version).
CREATE TABLE webhook_endpoints (
  id TEXT PRIMARY KEY,                             -- whe_…; the toKABOLA endpoint is tkb_<account id>
  account_id TEXT NOT NULL REFERENCES accounts(id),
  format TEXT NOT NULL CHECK (format IN ('native', 'tokabola', 'lam', 'engagelab')),
  url TEXT,                                        -- NULL for toKABOLA: accounts.webhook_url, read at each attempt
  headers TEXT,                                    -- JSON {name: value} sent with each delivery (LAfricaMobile)
  phone_number_id TEXT,                            -- only this number's events (LAfricaMobile); NULL = all
  secret_version INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  deleted_at INTEGER
);
CREATE INDEX webhook_endpoints_by_account ON webhook_endpoints(account_id) WHERE deleted_at IS NULL;
-- One LAfricaMobile configuration per number, one EngageLab callback per account.
CREATE UNIQUE INDEX webhook_endpoints_one_config ON webhook_endpoints(account_id, format, COALESCE(phone_number_id, ''))
  WHERE deleted_at IS NULL AND format IN ('lam', 'engagelab');

-- One delivery per (event, endpoint), whatever happens to the queue: its id is the stable
-- Tuma-Delivery-Id of every attempt.
CREATE TABLE deliveries (
  id TEXT PRIMARY KEY,                             -- dlv_…
  account_id TEXT NOT NULL REFERENCES accounts(id),
  endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints(id),
  event_id TEXT NOT NULL REFERENCES meta_events(id),
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
CREATE INDEX deliveries_by_account ON deliveries(account_id, created_at);
CREATE INDEX deliveries_due ON deliveries(next_attempt_at) WHERE state = 'pending';

CREATE TABLE delivery_attempts (
  delivery_id TEXT NOT NULL REFERENCES deliveries(id),
  attempt INTEGER NOT NULL,
  at INTEGER NOT NULL,
  status_code INTEGER,                             -- NULL: no answer (timeout, DNS, refused)
  error TEXT,
  duration_ms INTEGER NOT NULL,
  PRIMARY KEY (delivery_id, attempt)
);
