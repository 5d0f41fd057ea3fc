import type { CoreContext } from "../../config/context";
import { randomBytes, toHex } from "../../lib/crypto";
import { findAuditPage, insertAuditStatement, type AuditRow } from "../../stores/audit";
import type { SqlSelect } from "../../stores/select";

/**
 * The audit log: who (the operator's token, or which console session), what, when, on what, the
 * state before and after, and why. Changes that are one D1 batch (suspension, adjustments) write
 * their entry in that batch; changes made by other core functions (plans, prices, replays,
 * campaign control, deposit checks) record theirs right after the change succeeded.
 */
type AuditAction =
  | "account.suspend"
  | "account.reinstate"
  | "account.credit"
  | "account.debit"
  | "plan.update"
  | "price.update"
  | "delivery.replay"
  | "deliveries.replay"
  | "events.retry"
  | "campaign.pause"
  | "campaign.resume"
  | "campaign.cancel"
  | "deposit.check";

export interface AuditChange {
  actor: string;
  action: AuditAction;
  /** `kind:id`: account:123456789, plan:GOLD, delivery:…, campaign:…, deposit:… */
  target: string;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
}

interface AuditEntry {
  id: string;
  at: string;
  actor: string;
  action: string;
  target: string;
  before: unknown;
  after: unknown;
  reason: string | null;
}

const newAuditId = () => `au_${toHex(randomBytes(12))}`;

const toJson = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

/** The entry's statement, for the batch that makes the change (with `onlyIf`: only if it took effect). */
export function auditStatement(ctx: CoreContext, change: AuditChange, id = newAuditId(), onlyIf?: SqlSelect): D1PreparedStatement {
  const row: AuditRow = {
    id,
    at: ctx.clock.now(),
    actor: change.actor,
    action: change.action,
    target: change.target,
    before_json: toJson(change.before),
    after_json: toJson(change.after),
    reason: change.reason ?? null,
  };
  return insertAuditStatement(ctx.db, row, onlyIf);
}

/** Records a change another core function just made (plans, prices, replays, campaign control, deposit checks). */
export async function recordAudit(ctx: CoreContext, change: AuditChange): Promise<void> {
  await auditStatement(ctx, change).run();
  ctx.log.log("info", "operator_change", { actor: change.actor, action: change.action, target: change.target });
}

function auditEntryOf(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    at: new Date(row.at).toISOString(),
    actor: row.actor,
    action: row.action,
    target: row.target,
    before: row.before_json === null ? null : JSON.parse(row.before_json),
    after: row.after_json === null ? null : JSON.parse(row.after_json),
    reason: row.reason,
  };
}

/** The log, newest first. */
export async function auditPage(ctx: CoreContext, options: { limit: number; before?: number; target?: string }) {
  const page = await findAuditPage(ctx.db, options);
  return { entries: page.entries.map(auditEntryOf), nextCursor: page.nextCursor };
}
