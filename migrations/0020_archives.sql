-- Retention: message logs, Meta events and client deliveries older than RETENTION_DAYS are written
-- to R2 (NDJSON, per account and UTC day) by the cron, then deleted here. Money rows (ledger,
-- holds, wallets, deposits) are never archived nor deleted.

-- One row per archive object written. Recorded in the same D1 batch that deletes the rows the
-- object holds, so a row is either still here or in exactly one recorded object: an object
-- written by a run that crashed before this batch is not listed, and the next run overwrites it
-- (its key is the next part number of that day, which only this batch advances).
CREATE TABLE archives (
  account_id TEXT NOT NULL REFERENCES accounts(id),
  day TEXT NOT NULL,                               -- YYYY-MM-DD (UTC) of the records' times
  part INTEGER NOT NULL CHECK (part >= 1),
  object_key TEXT NOT NULL,                        -- the R2 key: <account>/<day>/part-00001.ndjson
  kinds TEXT NOT NULL,                             -- JSON array of the record kinds it holds
  records INTEGER NOT NULL CHECK (records > 0),
  bytes INTEGER NOT NULL CHECK (bytes > 0),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (account_id, day, part)
);

-- One archiver at a time (a cron run can outlast the minute), and where the last run stopped
-- among the accounts, so an account whose oldest rows cannot go yet (a HELD hold) starves none.
CREATE TABLE archive_runs (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  leased_until INTEGER NOT NULL DEFAULT 0,
  after_account TEXT NOT NULL DEFAULT ''
);
INSERT INTO archive_runs (id) VALUES (1);

-- The account's Meta events by time (the archiver's and the export's reads; the other logs have theirs).
CREATE INDEX meta_events_by_account ON meta_events(account_id, received_at) WHERE account_id IS NOT NULL;

-- Message bodies kept for MESSAGE_BODY_RETENTION_DAYS only: a scrubbed row keeps its metadata.
-- The partial indexes list what is still to scrub, so the job reads nothing twice. A message
-- event's deliveries are scrubbed with it (found by event_id), so deliveries need no index of
-- their own, and status events (most of them) none at all.
ALTER TABLE inbound_messages ADD COLUMN scrubbed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE meta_events ADD COLUMN scrubbed INTEGER NOT NULL DEFAULT 0;
CREATE INDEX inbound_messages_unscrubbed ON inbound_messages(received_at) WHERE scrubbed = 0;
CREATE INDEX meta_events_unscrubbed ON meta_events(received_at, id) WHERE scrubbed = 0 AND kind = 'message';
