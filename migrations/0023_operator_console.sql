-- The operator's console: suspended accounts, and the audit log of every operator change.

-- Set while the operator has suspended the account: every credential of it is refused
-- (src/core/accounts/suspension.ts); NULL otherwise.
ALTER TABLE accounts ADD COLUMN suspended_at INTEGER;

-- Append-only: one row per operator change, written in the same batch as the change itself.
CREATE TABLE audit_log (
  id TEXT PRIMARY KEY,                 -- au_<hex>; an adjustment's ledger reference names it
  at INTEGER NOT NULL,                 -- ms since epoch
  actor TEXT NOT NULL,                 -- admin-token | session:<prefix of the session's hash>
  action TEXT NOT NULL,                -- account.suspend, account.adjust, plan.update, …
  target TEXT NOT NULL,                -- account:<id>, plan:<code>, delivery:<id>, …
  before_json TEXT,
  after_json TEXT,
  reason TEXT
);
CREATE INDEX audit_log_by_target ON audit_log(target);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit entries are immutable');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit entries are immutable');
END;
