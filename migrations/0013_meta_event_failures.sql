-- Poison events: an event whose fields have the wrong types is recorded `invalid` at intake (with
-- its reason) and never processed; processing attempts are counted, and after
-- INBOUND_MAX_ATTEMPTS an event is `failed` (with the last reason) and never re-queued. Both are
-- listed for the operator beside the unrouted ones.
-- SQLite cannot change a CHECK in place: the table is rebuilt (deliveries refer to it, hence the
-- deferred foreign keys, checked again at the end of the migration).
PRAGMA defer_foreign_keys = true;

CREATE TABLE meta_events_rebuilt (
  id TEXT PRIMARY KEY,                             -- evt_…
  event_key TEXT NOT NULL UNIQUE,
  payload_id TEXT NOT NULL REFERENCES meta_payloads(id),
  kind TEXT NOT NULL CHECK (kind IN ('message', 'status', 'error')),
  phone_number_id TEXT NOT NULL,
  body TEXT NOT NULL,                              -- JSON {metadata, contact?, item}: item is Meta's message/status/error object
  state TEXT NOT NULL DEFAULT 'received' CHECK (state IN ('received', 'processed', 'unrouted', 'invalid', 'failed')),
  account_id TEXT,                                 -- set when processed (or at intake for a sandbox-simulated customer)
  received_at INTEGER NOT NULL,
  processed_at INTEGER,
  attempts INTEGER NOT NULL DEFAULT 0,             -- processing attempts started
  failure TEXT                                     -- why it is invalid, or why its last attempt failed
);
INSERT INTO meta_events_rebuilt (id, event_key, payload_id, kind, phone_number_id, body, state, account_id, received_at, processed_at)
  SELECT id, event_key, payload_id, kind, phone_number_id, body, state, account_id, received_at, processed_at FROM meta_events;
DROP TABLE meta_events;
ALTER TABLE meta_events_rebuilt RENAME TO meta_events;

CREATE INDEX meta_events_pending ON meta_events(received_at) WHERE state = 'received';
CREATE INDEX meta_events_unrouted ON meta_events(received_at) WHERE state = 'unrouted';
CREATE INDEX meta_events_rejected ON meta_events(received_at) WHERE state IN ('invalid', 'failed');

PRAGMA defer_foreign_keys = false;
