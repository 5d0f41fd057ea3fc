-- Campaigns: one template to many recipients, fanned out through the SENDS queue and paced by
-- each number's Deployment object (src/core/campaigns/).

CREATE TABLE campaigns (
  id TEXT PRIMARY KEY,                             -- cmp_…
  account_id TEXT NOT NULL REFERENCES accounts(id),
  request_key TEXT,                                -- the client's idempotency key, if any
  phone_number_id TEXT NOT NULL,                   -- the sending number
  deployment_id TEXT,                              -- its Deployment object (NULL: the shared sandbox sender)
  upstream TEXT NOT NULL CHECK (upstream IN ('sandbox', 'meta')),
  template TEXT NOT NULL,                          -- JSON {name, language: {code}}
  category TEXT NOT NULL CHECK (category IN ('marketing', 'utility', 'authentication', 'service')),
  charge_currency TEXT,                            -- price of one message; NULL when free
  charge_amount INTEGER CHECK (charge_amount IS NULL OR charge_amount > 0),
  state TEXT NOT NULL CHECK (state IN ('running', 'paused', 'cancelled', 'done')),
  total INTEGER NOT NULL,
  start_at INTEGER NOT NULL,                       -- no message goes out before
  first_sent_at INTEGER,
  last_sent_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (account_id, request_key)
);
CREATE INDEX campaigns_by_account ON campaigns(account_id, created_at);

-- One row per recipient. UNIQUE (campaign_id, wa_id): each person gets the campaign at most once.
-- `state` moves queued → sending → sent | failed, or queued → cancelled; only the guarded
-- queued → sending claim lets a consumer call the upstream, so a re-delivered chunk sends nothing twice.
-- A rate-limited attempt goes back to queued (its hold stays HELD) and is retried later.
CREATE TABLE campaign_recipients (
  campaign_id TEXT NOT NULL REFERENCES campaigns(id),
  seq INTEGER NOT NULL,                            -- 0-based position in the request
  wa_id TEXT NOT NULL,
  to_input TEXT NOT NULL,
  parameters TEXT,                                 -- JSON array of body parameters
  message_id TEXT NOT NULL UNIQUE,                 -- the message's id, and its hold's reference
  state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'cancelled')),
  calls INTEGER NOT NULL DEFAULT 0,                -- upstream calls made for it (1 unless rate-limited)
  claimed_at INTEGER,
  sent_at INTEGER,
  PRIMARY KEY (campaign_id, seq),
  UNIQUE (campaign_id, wa_id)
);
CREATE INDEX campaign_recipients_sending ON campaign_recipients(claimed_at) WHERE state = 'sending';
