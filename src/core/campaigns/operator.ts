import type { CoreContext } from "../../config/context";
import { fail, ok, type Result } from "../../lib/errors";
import { cancelCampaign, pauseCampaign, resumeCampaign } from "./control";
import { CAMPAIGN_COLUMNS, type CampaignRow } from "./model";
import { campaignView, type CampaignView } from "./progress";

/**
 * The operator's view of every account's campaigns, and its control of any of them: the same
 * pause, resume and cancel the owner has (control.ts), on the campaign's own account.
 */
const STATE_SQL: Record<"active" | CampaignView["state"], string> = {
  active: "state IN ('running', 'paused')",
  scheduled: "state = 'running' AND start_at > ?2",
  running: "state = 'running' AND start_at <= ?2",
  paused: "state = 'paused'",
  cancelled: "state = 'cancelled'",
  done: "state = 'done'",
};

export type OperatorCampaignFilter = keyof typeof STATE_SQL;

/** The latest campaigns of every account, newest first, optionally in one state (`active`: running or paused). */
export async function listAllCampaigns(ctx: CoreContext, f: { state?: OperatorCampaignFilter; limit: number }): Promise<{ accountId: string; campaign: CampaignView }[]> {
  const { results } = await ctx.db
    .prepare(`SELECT ${CAMPAIGN_COLUMNS} FROM campaigns WHERE (?1 = 0 OR ${f.state ? STATE_SQL[f.state] : "1"}) ORDER BY created_at DESC, id DESC LIMIT ?3`)
    .bind(f.state ? 1 : 0, ctx.clock.now(), f.limit)
    .all<CampaignRow>();
  return Promise.all(results.map(async (c) => ({ accountId: c.account_id, campaign: await campaignView(ctx, c) })));
}

const ACTIONS = { pause: pauseCampaign, resume: resumeCampaign, cancel: cancelCampaign } as const;

/** Pauses, resumes or cancels any account's campaign; returns its owner with the campaign before and after. */
export async function controlCampaign(
  ctx: CoreContext,
  id: string,
  action: keyof typeof ACTIONS,
): Promise<Result<{ accountId: string; before: CampaignView["state"]; after: CampaignView }>> {
  const owner = await ctx.db.prepare(`SELECT ${CAMPAIGN_COLUMNS} FROM campaigns WHERE id = ?`).bind(id).first<CampaignRow>();
  if (!owner) return fail("not_found", `No campaign ${id}`);
  const before = (await campaignView(ctx, owner)).state;
  const moved = await ACTIONS[action](ctx, owner.account_id, id);
  return moved.ok ? ok({ accountId: owner.account_id, before, after: moved.value }) : moved;
}
