-- Operator adjustments: a ledger entry whose reason is 'adjustment' (reference adjustment:<audit id>).
-- SQLite cannot change a CHECK in place, so ledger_entries is rebuilt with the same rows, and its
-- triggers (and holds_settle, which writes to it) are made again exactly as 0002 made them. Copying
-- rows into the new table fires no trigger, so no wallet moves.

PRAGMA defer_foreign_keys = true;

DROP TRIGGER holds_settle;

CREATE TABLE ledger_entries_new (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  currency TEXT NOT NULL,
  amount INTEGER NOT NULL CHECK (amount != 0),     -- signed: credits > 0, debits < 0
  reason TEXT NOT NULL CHECK (reason IN ('deposit', 'plan', 'hold', 'adjustment')),
  reference TEXT NOT NULL UNIQUE,                  -- deposit:<id> | renewal:<id> | hold:<hold id> | refund:<hold id> | adjustment:<audit id>
  memo TEXT,
  created_at INTEGER NOT NULL
);
INSERT INTO ledger_entries_new (id, account_id, currency, amount, reason, reference, memo, created_at)
  SELECT id, account_id, currency, amount, reason, reference, memo, created_at FROM ledger_entries;
DROP TABLE ledger_entries;
ALTER TABLE ledger_entries_new RENAME TO ledger_entries;
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

CREATE TRIGGER holds_settle AFTER UPDATE OF status ON holds WHEN OLD.status = 'HELD' AND NEW.status != 'HELD'
BEGIN
  UPDATE wallets SET held = held - OLD.amount, updated_at = NEW.settled_at
    WHERE account_id = OLD.account_id AND currency = OLD.currency;
  INSERT INTO ledger_entries (account_id, currency, amount, reason, reference, memo, created_at)
    SELECT NEW.account_id, NEW.currency, -NEW.posted_amount, 'hold', 'hold:' || NEW.id, NEW.reference, NEW.settled_at
    WHERE NEW.status = 'POSTED' AND NEW.posted_amount > 0;
END;
