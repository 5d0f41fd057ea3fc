import { fail, ok, type Result } from "../../lib/errors";
import { MINUTE } from "../../lib/clock";
import type { CoreContext } from "../../config/context";
import { holdIsSettledSql, voidHoldsStatement } from "../../stores/money/holds";
import { campaignView, type CampaignView } from "./progress";
import { announceCompletion } from "./completion";
import { enqueueChunks, findCampaign, queuedSeqs, type CampaignRow } from "./model";

/**
 * A campaign's life after creation: progress, pause, resume, cancel, and the cron's sweep.
 * Pausing and cancelling take effect at the next recipient: each send's claim requires the
 * campaign to be running, in the same statement.
 */

const notFound = (id: string) => fail<never>("not_found", `No campaign ${id}`);

export async function getCampaign(ctx: CoreContext, accountId: string, id: string): Promise<Result<CampaignView>> {
  const c = await findCampaign(ctx, accountId, id);
  return c ? ok(await campaignView(ctx, c)) : notFound(id);
}

export async function pauseCampaign(ctx: CoreContext, accountId: string, id: string): Promise<Result<CampaignView>> {
  return move(ctx, accountId, id, "paused", ["running"]);
}

/** Resumes a paused campaign and queues what it has not sent yet. */
export async function resumeCampaign(ctx: CoreContext, accountId: string, id: string): Promise<Result<CampaignView>> {
  const moved = await move(ctx, accountId, id, "running", ["paused"]);
  if (!moved.ok) return moved;
  const c = (await findCampaign(ctx, accountId, id))!;
  await enqueueChunks(ctx, c, await queuedSeqs(ctx, id), (c.start_at - ctx.clock.now()) / 1000);
  return moved;
}

/** Stops the campaign: what was not sent is cancelled and its holds voided, in one batch. */
export async function cancelCampaign(ctx: CoreContext, accountId: string, id: string): Promise<Result<CampaignView>> {
  const c = await findCampaign(ctx, accountId, id);
  if (!c) return notFound(id);
  if (c.state === "cancelled") return ok(await campaignView(ctx, c));
  if (c.state === "done") return fail("conflict", `Campaign ${id} is done: nothing is left to cancel`, { reason: "campaign_done" });
  const now = ctx.clock.now();
  const [cancelled] = await ctx.db.batch([
    ctx.db.prepare("UPDATE campaigns SET state = 'cancelled', updated_at = ? WHERE id = ? AND state IN ('running', 'paused')").bind(now, id),
    ctx.db.prepare("UPDATE campaign_recipients SET state = 'cancelled' WHERE campaign_id = ? AND state = 'queued'").bind(id),
    voidHoldsStatement(ctx.db, { sql: "SELECT ?, message_id FROM campaign_recipients WHERE campaign_id = ? AND state = 'cancelled'", params: [accountId, id] }, now),
  ]);
  ctx.log.log("info", "campaign_cancelled", { campaign_id: id, account_id: accountId });
  if (cancelled!.meta.changes) await announceCompletion(ctx, accountId, id);
  return getCampaign(ctx, accountId, id);
}

async function move(ctx: CoreContext, accountId: string, id: string, to: CampaignRow["state"], from: CampaignRow["state"][]): Promise<Result<CampaignView>> {
  const moved = await ctx.db
    .prepare(`UPDATE campaigns SET state = ?, updated_at = ? WHERE id = ? AND account_id = ? AND state IN (${from.map(() => "?").join(", ")})`)
    .bind(to, ctx.clock.now(), id, accountId, ...from)
    .run();
  const c = await findCampaign(ctx, accountId, id);
  if (!c) return notFound(id);
  if (!moved.meta.changes && c.state !== to) return fail("conflict", `Campaign ${id} is ${c.state}: it cannot become ${to}`, { reason: "campaign_state" });
  ctx.log.log("info", "campaign_state", { campaign_id: id, account_id: accountId, state: to });
  return ok(await campaignView(ctx, c));
}

/** Marks the campaign done once nothing is left to send. */
export function finishStatement(ctx: CoreContext, id: string): D1PreparedStatement {
  return ctx.db
    .prepare(
      `UPDATE campaigns SET state = 'done', updated_at = ?1 WHERE id = ?2 AND state = 'running'
       AND NOT EXISTS (SELECT 1 FROM campaign_recipients WHERE campaign_id = ?2 AND state IN ('queued', 'sending'))`,
    )
    .bind(ctx.clock.now(), id);
}

/** A send whose outcome was never recorded (its consumer died during the call) is given up after this. */
const SENDING_LEASE_MS = 5 * MINUTE;
/** A running campaign with queued recipients and no claim for this long lost its queue messages: queue them again. */
const STALL_MS = 10 * MINUTE;

/**
 * Cron: (1) a recipient stuck `sending` past its lease failed with an unknown outcome: it is not
 * sent again (at most once) and its hold is voided; (2) a queued recipient whose hold expired
 * fails; (3) a stalled campaign is queued again (a claim never sends twice) or marked done.
 */
export async function sweepCampaigns(ctx: CoreContext, limit = 5): Promise<number> {
  const now = ctx.clock.now();
  const givenUp = {
    sql: "SELECT c.account_id, r.message_id FROM campaign_recipients r JOIN campaigns c ON c.id = r.campaign_id WHERE r.state = 'sending' AND r.claimed_at < ?",
    params: [now - SENDING_LEASE_MS],
  };
  await ctx.db.batch([
    voidHoldsStatement(ctx.db, givenUp, now),
    ctx.db.prepare("UPDATE campaign_recipients SET state = 'failed' WHERE state = 'sending' AND claimed_at < ?").bind(now - SENDING_LEASE_MS),
  ]);
  const { results } = await ctx.db
    .prepare(
      `SELECT c.id, c.account_id FROM campaigns c WHERE c.state = 'running' AND c.start_at <= ?1 AND c.updated_at < ?2
       AND NOT EXISTS (SELECT 1 FROM campaign_recipients r WHERE r.campaign_id = c.id AND r.claimed_at >= ?2) LIMIT ?3`,
    )
    .bind(now, now - STALL_MS, limit)
    .all<{ id: string; account_id: string }>();
  for (const c of results) {
    const [, , finished] = await ctx.db.batch([
      ctx.db
        .prepare(
          `UPDATE campaign_recipients SET state = 'failed' WHERE campaign_id = ?1 AND state = 'queued'
           AND ${holdIsSettledSql("?2", "message_id")}`,
        )
        .bind(c.id, c.account_id),
      ctx.db.prepare("UPDATE campaigns SET updated_at = ? WHERE id = ?").bind(now, c.id),
      finishStatement(ctx, c.id),
    ]);
    if (finished!.meta.changes) await announceCompletion(ctx, c.account_id, c.id);
    const seqs = await queuedSeqs(ctx, c.id);
    if (seqs.length) await enqueueChunks(ctx, c, seqs);
  }
  return results.length;
}
