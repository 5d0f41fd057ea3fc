-- Campaigns of any message a single send can be (issue 14).
--
-- `message`: the canonical message every recipient gets (Meta's message object without `to`, the
-- template under the name Meta knows it by); NULL for campaigns written before, whose `template`
-- column ({name, upstream, language}) still says what they send. `template` stays NOT NULL and
-- holds 'null' for a free-form campaign. `client_data`: the client's metadata (EngageLab
-- `custom_args`, native `metadata`), echoed with every recipient's statuses.
ALTER TABLE campaigns ADD COLUMN message TEXT;
ALTER TABLE campaigns ADD COLUMN client_data TEXT;

-- A recipient can be refused before any call (outside its 24-hour window for a free-form
-- message): `refused`, with the reason, its hold voided. SQLite cannot change the state CHECK in
-- place: the table is rebuilt (nothing refers to it).
CREATE TABLE campaign_recipients_rebuilt (
  campaign_id TEXT NOT NULL REFERENCES campaigns(id),
  seq INTEGER NOT NULL,                            -- 0-based position in the request
  wa_id TEXT NOT NULL,
  to_input TEXT NOT NULL,
  parameters TEXT,                                 -- JSON array of body parameters
  message_id TEXT NOT NULL UNIQUE,                 -- the message's id, and its hold's reference
  state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'refused', 'cancelled')),
  calls INTEGER NOT NULL DEFAULT 0,                -- upstream calls made for it (1 unless rate-limited)
  claimed_at INTEGER,
  sent_at INTEGER,
  reason TEXT,                                     -- why it was refused (window_closed)
  PRIMARY KEY (campaign_id, seq),
  UNIQUE (campaign_id, wa_id)
);
INSERT INTO campaign_recipients_rebuilt (campaign_id, seq, wa_id, to_input, parameters, message_id, state, calls, claimed_at, sent_at)
  SELECT campaign_id, seq, wa_id, to_input, parameters, message_id, state, calls, claimed_at, sent_at FROM campaign_recipients;
DROP TABLE campaign_recipients;
ALTER TABLE campaign_recipients_rebuilt RENAME TO campaign_recipients;
CREATE INDEX campaign_recipients_sending ON campaign_recipients(claimed_at) WHERE state = 'sending';

-- A campaign's message names its campaign, so its status events can (EngageLab's rows carry the
-- id the send answered: the campaign's, for several recipients).
ALTER TABLE messages ADD COLUMN campaign_id TEXT;

-- `campaign.completed` is a new event type: the configured formats with no shape for it
-- (EngageLab's rows, the Cloud API's payloads) keep the four types there were.
UPDATE webhook_endpoints SET event_types = '["message.received","message.status","number.error","template.status"]'
  WHERE format IN ('engagelab', 'cloud-api') AND event_types IS NULL;

-- `campaign.completed` is announced once per campaign: set after its fan-out, so the cron
-- announces an end whose announcement was lost. Campaigns that ended before are not announced.
ALTER TABLE campaigns ADD COLUMN announced_at INTEGER;
UPDATE campaigns SET announced_at = updated_at WHERE state IN ('done', 'cancelled');
CREATE INDEX campaigns_unannounced ON campaigns(updated_at) WHERE announced_at IS NULL AND state IN ('done', 'cancelled');
