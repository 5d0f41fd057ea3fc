/**
 * Ledger references. `reference` is UNIQUE in ledger_entries, so one reference moves money at
 * most once: that is what makes a deposit credit, a renewal or a refund exactly-once. Each kind
 * is spelled by one function here and nowhere else.
 */

/**
 * The debit of a posted hold. The trigger `holds_settle` (migrations/0002_money.sql) writes it,
 * as `'hold:' || id`; this is its spelling for code that reads it.
 */
export const holdReference = (holdId: string) => `hold:${holdId}`;

/** The credit that gives a posted hold's debit back (a message failed after it was accepted): one per hold. */
export const refundReference = (holdId: string) => `refund:${holdId}`;

/**
 * A plan renewal: a manual one by a fresh id; an `auto_pay` one by the account and the expiry it
 * renews, so two cron runs never renew one period twice.
 */
export const renewalReference = (renewal: string | { accountId: string; expiresAt: number }) =>
  typeof renewal === "string" ? `renewal:${renewal}` : `renewal:auto:${renewal.accountId}:${renewal.expiresAt}`;

/** The credit of a completed deposit: one per deposit. */
export const depositReference = (depositId: string) => `deposit:${depositId}`;

/** An operator's credit or debit: one per audit entry (and so per idempotency key). */
export const adjustmentReference = (auditId: string) => `adjustment:${auditId}`;
