-- Meta's payloads now travel in the INBOUND queue message itself; only a payload too large for one
-- (over 120 KB) is stored in meta_payloads at intake and queued by reference. Events carry their
-- own body, so an ordinary payload is no longer stored twice: payload_id is set only for a stored
-- one, and the event keeps its source (meta or sandbox) itself.
-- SQLite cannot drop a foreign key in place: the table is rebuilt as in 0013 (deliveries refer to
-- it, hence the deferred foreign keys, checked again at the end of the migration).
PRAGMA defer_foreign_keys = true;

CREATE TABLE meta_events_rebuilt (
  id TEXT PRIMARY KEY,                             -- evt_…
  event_key TEXT NOT NULL UNIQUE,
  payload_id TEXT,                                 -- meta_payloads(id) when the raw payload was stored (a large one)
  source TEXT NOT NULL DEFAULT 'meta' CHECK (source IN ('meta', 'sandbox')),
  kind TEXT NOT NULL CHECK (kind IN ('message', 'status', 'error')),
  phone_number_id TEXT NOT NULL,
  body TEXT NOT NULL,                              -- JSON {metadata, contact?, item}: item is Meta's message/status/error object
  state TEXT NOT NULL DEFAULT 'received' CHECK (state IN ('received', 'processed', 'unrouted', 'invalid', 'failed')),
  account_id TEXT,
  received_at INTEGER NOT NULL,
  processed_at INTEGER,
  attempts INTEGER NOT NULL DEFAULT 0,
  failure TEXT
);
INSERT INTO meta_events_rebuilt (id, event_key, payload_id, source, kind, phone_number_id, body, state, account_id, received_at, processed_at, attempts, failure)
  SELECT e.id, e.event_key, e.payload_id, COALESCE((SELECT p.source FROM meta_payloads p WHERE p.id = e.payload_id), 'meta'), e.kind, e.phone_number_id, e.body,
         e.state, e.account_id, e.received_at, e.processed_at, e.attempts, e.failure
  FROM meta_events e;
DROP TABLE meta_events;
ALTER TABLE meta_events_rebuilt RENAME TO meta_events;

CREATE INDEX meta_events_pending ON meta_events(received_at) WHERE state = 'received';
CREATE INDEX meta_events_unrouted ON meta_events(received_at) WHERE state = 'unrouted';
CREATE INDEX meta_events_rejected ON meta_events(received_at) WHERE state IN ('invalid', 'failed');

PRAGMA defer_foreign_keys = false;
