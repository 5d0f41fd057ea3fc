import type { CoreContext } from "../../config/context";
import { fail, type Result } from "../../lib/errors";
import { COLUMNS, replayDelivery, replayWhere, withAttempts, type DeliveryRow, type DeliveryState, type DeliveryView } from "./deliveries";

/**
 * The operator's view of every account's client webhook deliveries: dead letters across accounts,
 * and replays of one, or of a time range (optionally one account's), with the owner's own rules.
 */
export async function listAllDeliveries(
  ctx: CoreContext,
  f: { state?: DeliveryState; accountId?: string; before?: number; limit: number },
): Promise<(DeliveryView & { seq: number })[]> {
  const { results } = await ctx.db
    .prepare(
      `SELECT rowid AS seq, ${COLUMNS} FROM deliveries WHERE (?1 IS NULL OR state = ?1) AND (?2 IS NULL OR account_id = ?2) AND rowid < ?3
       ORDER BY rowid DESC LIMIT ?4`,
    )
    .bind(f.state ?? null, f.accountId ?? null, f.before ?? Number.MAX_SAFE_INTEGER, f.limit)
    .all<DeliveryRow & { seq: number }>();
  return withAttempts(ctx, results);
}

/** Replays any account's delivery (dead or delivered), as its owner could. */
export async function replayAnyDelivery(ctx: CoreContext, id: string): Promise<Result<DeliveryView>> {
  const owner = await ctx.db.prepare("SELECT account_id FROM deliveries WHERE id = ?").bind(id).first<{ account_id: string }>();
  if (!owner) return fail("not_found", `No delivery ${id}`);
  return replayDelivery(ctx, owner.account_id, id);
}

/** Replays the dead deliveries created in [since, until), of every account or one, at most `limit`. */
export async function replayDeadRange(ctx: CoreContext, f: { since: number; until: number; accountId?: string; limit?: number }): Promise<number> {
  const where = "id IN (SELECT id FROM deliveries WHERE state = 'dead' AND created_at >= ?2 AND created_at < ?3 AND (?4 IS NULL OR account_id = ?4) LIMIT ?5)";
  return (await replayWhere(ctx, where, [f.since, f.until, f.accountId ?? null, f.limit ?? 1000])).length;
}

/** Deliveries failing now: dead, or pending after at least one failed attempt. */
export async function countFailingDeliveries(ctx: CoreContext): Promise<{ dead: number; retrying: number }> {
  const row = await ctx.db
    .prepare("SELECT SUM(state = 'dead') AS dead, SUM(state = 'pending' AND attempts > 0) AS retrying FROM deliveries WHERE state != 'delivered'")
    .first<{ dead: number | null; retrying: number | null }>();
  return { dead: row?.dead ?? 0, retrying: row?.retrying ?? 0 };
}
