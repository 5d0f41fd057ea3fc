-- Money: wallets, an immutable ledger, holds, plans and mobile-money deposits.
--
-- Amounts are integers in each currency's minor units (src/lib/money.ts). The invariants live in
-- the schema, so no code path can break them by reading before it writes:
--   * a wallet's balance is the sum of its ledger entries: only the trigger on ledger_entries
--     changes it, and entries can be neither updated nor deleted;
--   * a wallet's held amount is the sum of its HELD holds: only the triggers on holds change it;
--   * 0 <= held <= balance: a write that would break it fails with the whole statement (and the
--     whole db.batch around it), so nothing is written.

CREATE TABLE wallets (
  account_id TEXT NOT NULL REFERENCES accounts(id),
  currency TEXT NOT NULL,
  balance INTEGER NOT NULL DEFAULT 0,
  held INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (account_id, currency),
  CONSTRAINT wallet_balance_not_negative CHECK (balance >= 0),
  CONSTRAINT wallet_held_within_balance CHECK (held >= 0 AND held <= balance)
);

CREATE TABLE ledger_entries (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  currency TEXT NOT NULL,
  amount INTEGER NOT NULL CHECK (amount != 0),     -- signed: credits > 0, debits < 0
  reason TEXT NOT NULL CHECK (reason IN ('deposit', 'plan', 'hold')),
  reference TEXT NOT NULL UNIQUE,                  -- deposit:<id> | renewal:<id> | hold:<hold id>
  memo TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX ledger_by_account ON ledger_entries(account_id, id);

CREATE TRIGGER ledger_entries_apply AFTER INSERT ON ledger_entries
BEGIN
  INSERT OR IGNORE INTO wallets (account_id, currency, balance, held, updated_at)
    VALUES (NEW.account_id, NEW.currency, 0, 0, NEW.created_at);
  UPDATE wallets SET balance = balance + NEW.amount, updated_at = NEW.created_at
    WHERE account_id = NEW.account_id AND currency = NEW.currency;
END;

CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries
BEGIN
  SELECT RAISE(ABORT, 'ledger entries are immutable');
END;

CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries
BEGIN
  SELECT RAISE(ABORT, 'ledger entries are immutable');
END;

-- Money reserved for a paid action: HELD, then POSTED (in full or in part) or VOIDED, once.
CREATE TABLE holds (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  currency TEXT NOT NULL,
  reference TEXT NOT NULL,                         -- the caller's, e.g. a message id
  amount INTEGER NOT NULL CHECK (amount > 0),
  status TEXT NOT NULL DEFAULT 'HELD' CHECK (status IN ('HELD', 'POSTED', 'VOIDED')),
  posted_amount INTEGER CHECK (posted_amount IS NULL OR (posted_amount >= 0 AND posted_amount <= amount)),
  expires_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  settled_at INTEGER,
  UNIQUE (account_id, reference)
);
CREATE INDEX holds_stale ON holds(expires_at) WHERE status = 'HELD';

CREATE TRIGGER holds_reserve AFTER INSERT ON holds
BEGIN
  INSERT OR IGNORE INTO wallets (account_id, currency, balance, held, updated_at)
    VALUES (NEW.account_id, NEW.currency, 0, 0, NEW.created_at);
  UPDATE wallets SET held = held + NEW.amount, updated_at = NEW.created_at
    WHERE account_id = NEW.account_id AND currency = NEW.currency;
END;

CREATE TRIGGER holds_settled_are_final BEFORE UPDATE ON holds WHEN OLD.status != 'HELD'
BEGIN
  SELECT RAISE(ABORT, 'hold already settled');
END;

-- Release first, then debit: the debit must not count against the money it was reserved from.
CREATE TRIGGER holds_settle AFTER UPDATE OF status ON holds WHEN OLD.status = 'HELD' AND NEW.status != 'HELD'
BEGIN
  UPDATE wallets SET held = held - OLD.amount, updated_at = NEW.settled_at
    WHERE account_id = OLD.account_id AND currency = OLD.currency;
  INSERT INTO ledger_entries (account_id, currency, amount, reason, reference, memo, created_at)
    SELECT NEW.account_id, NEW.currency, -NEW.posted_amount, 'hold', 'hold:' || NEW.id, NEW.reference, NEW.settled_at
    WHERE NEW.status = 'POSTED' AND NEW.posted_amount > 0;
END;

-- Plans and their price per currency; the operator edits them through the admin API.
CREATE TABLE plans (
  code TEXT PRIMARY KEY CHECK (code IN ('STANDARD', 'GOLD', 'OWNER')),
  period_days INTEGER NOT NULL CHECK (period_days > 0),
  updated_at INTEGER NOT NULL
);

CREATE TABLE plan_prices (
  plan TEXT NOT NULL REFERENCES plans(code),
  currency TEXT NOT NULL,
  amount INTEGER NOT NULL CHECK (amount >= 0),
  PRIMARY KEY (plan, currency)
);

INSERT INTO plans (code, period_days, updated_at) VALUES ('STANDARD', 30, 0), ('GOLD', 30, 0), ('OWNER', 30, 0);
-- Starting prices (minor units: CDF, XAF and XOF have none, USD and KES have cents).
INSERT INTO plan_prices (plan, currency, amount) VALUES
  ('STANDARD', 'CDF', 25000), ('STANDARD', 'USD', 1000), ('STANDARD', 'XAF', 6000), ('STANDARD', 'XOF', 6000), ('STANDARD', 'KES', 130000),
  ('GOLD', 'CDF', 50000), ('GOLD', 'USD', 2000), ('GOLD', 'XAF', 12000), ('GOLD', 'XOF', 12000), ('GOLD', 'KES', 260000),
  ('OWNER', 'CDF', 100000), ('OWNER', 'USD', 4000), ('OWNER', 'XAF', 24000), ('OWNER', 'XOF', 24000), ('OWNER', 'KES', 520000);

-- Mobile-money top-ups. The row is written before the provider is called; its id is the
-- provider's depositId. Money moves only when the provider's status endpoint says COMPLETED.
CREATE TABLE deposits (
  id TEXT PRIMARY KEY,                             -- UUID v4
  account_id TEXT NOT NULL REFERENCES accounts(id),
  currency TEXT NOT NULL,
  amount INTEGER NOT NULL CHECK (amount > 0),
  payer TEXT NOT NULL,                             -- MSISDN, digits only (243…)
  country TEXT NOT NULL,                           -- ISO 3166 alpha-3 (COD)
  provider TEXT NOT NULL,                          -- pawaPay provider code (VODACOM_MPESA_COD)
  upstream TEXT NOT NULL,                          -- pawapay | sandbox: who is asked about it
  status TEXT NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'COMPLETED', 'FAILED', 'EXPIRED')),
  provider_status TEXT,                            -- last answer: ACCEPTED, PROCESSING, …; NULL until the provider confirmed it
  failure_code TEXT,
  failure_message TEXT,
  provider_transaction_id TEXT,
  checks INTEGER NOT NULL DEFAULT 0,               -- status checks made so far (drives backoff and the sandbox)
  next_check_at INTEGER,                           -- when the cron polls it next; NULL once it needs no polling
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  completed_at INTEGER
);
CREATE INDEX deposits_due ON deposits(next_check_at) WHERE status = 'PENDING';
CREATE INDEX deposits_by_account ON deposits(account_id, created_at);

CREATE INDEX accounts_auto_renew ON accounts(plan_expires_at) WHERE auto_pay = 1;
