import { MINUTE } from "../../lib/clock";
import { formatAmount } from "../../lib/money";
import type { CoreContext } from "../../config/context";
import { fanOut } from "../client-webhooks/deliveries";
import { campaignCompletedEvent } from "../client-webhooks/events";
import { campaignView } from "./progress";
import { CAMPAIGN_COLUMNS, findCampaign, type CampaignRow } from "./model";

/**
 * `campaign.completed`: when a campaign ends (done, or cancelled), its counts go to the account's
 * webhooks that take the event, exactly once. The event's id is the campaign's, and deliveries
 * are UNIQUE per (event, endpoint), so announcing the same end twice (a chunk and the sweep at
 * once) delivers it once; `announced_at` is set after the fan-out, so an end whose announcement
 * was lost (the consumer died in between) is announced by the cron's sweep.
 */
export async function announceCompletion(ctx: CoreContext, accountId: string, campaignId: string): Promise<void> {
  const c = await findCampaign(ctx, accountId, campaignId);
  if (c) await announce(ctx, c);
}

async function announce(ctx: CoreContext, c: CampaignRow): Promise<void> {
  if (c.state !== "done" && c.state !== "cancelled") return;
  const view = await campaignView(ctx, c);
  const { queued: _, ...counts } = view.counts;
  const event = campaignCompletedEvent(`evt_${c.id}_completed`, ctx.clock.now(), c.phone_number_id, {
    id: c.id,
    state: c.state,
    type: view.type,
    template: view.template,
    total: view.total,
    counts,
    charge: view.charged ? { amount: formatAmount(view.charged.amount, view.charged.currency), currency: view.charged.currency } : null,
    client_data: view.clientData,
  });
  await fanOut(ctx, [{ accountId: c.account_id, event }]);
  await ctx.db.prepare("UPDATE campaigns SET announced_at = ? WHERE id = ? AND announced_at IS NULL").bind(ctx.clock.now(), c.id).run();
  ctx.log.log("info", "campaign_completed", { campaign_id: c.id, account_id: c.account_id, state: c.state, sent: counts.sent });
}

/** An end is announced at once; the sweep takes those still unannounced after this. */
const ANNOUNCE_GRACE_MS = MINUTE;

/** Cron: announces the ends whose announcement was lost. */
export async function announceMissedCompletions(ctx: CoreContext, limit = 20): Promise<number> {
  const { results } = await ctx.db
    .prepare(`SELECT ${CAMPAIGN_COLUMNS} FROM campaigns WHERE announced_at IS NULL AND state IN ('done', 'cancelled') AND updated_at < ? LIMIT ?`)
    .bind(ctx.clock.now() - ANNOUNCE_GRACE_MS, limit)
    .all<CampaignRow>();
  for (const c of results) await announce(ctx, c);
  return results.length;
}
