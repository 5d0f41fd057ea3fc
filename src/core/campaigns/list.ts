import { fail, ok, type Result } from "../../lib/errors";
import type { CoreContext } from "../../config/context";
import { campaignView, type CampaignView } from "./progress";
import { CAMPAIGN_COLUMNS, type CampaignRow } from "./model";

export interface CampaignPage {
  campaigns: CampaignView[];
  /** Pass as `cursor` for the next (older) page; null on the last one. */
  nextCursor: string | null;
}

/** A page position: the last campaign's creation time and id, opaque to clients. */
const encode = (c: Pick<CampaignRow, "created_at" | "id">) => btoa(`${c.created_at}:${c.id}`).replace(/=+$/, "");

function decode(cursor: string): { createdAt: number; id: string } | null {
  try {
    const match = /^(\d{1,16}):(cmp_[0-9a-f]{24})$/.exec(atob(cursor));
    return match ? { createdAt: Number(match[1]), id: match[2]! } : null;
  } catch {
    return null;
  }
}

/** `scheduled` and `running` are both stored as running; the start time tells them apart. */
const STATE_SQL: Record<CampaignView["state"], string> = {
  scheduled: "state = 'running' AND start_at > ?3",
  running: "state = 'running' AND start_at <= ?3",
  paused: "state = 'paused'",
  cancelled: "state = 'cancelled'",
  done: "state = 'done'",
};

/** The account's campaigns, newest first, `limit` a page, optionally in one state. */
export async function listCampaigns(ctx: CoreContext, accountId: string, query: { state?: CampaignView["state"]; cursor?: string; limit: number }): Promise<Result<CampaignPage>> {
  const after = query.cursor === undefined ? null : decode(query.cursor);
  if (query.cursor !== undefined && !after) {
    return fail("invalid_request", "cursor is not one this API gave", { issues: [{ field: "cursor", kind: "invalid_format", reason: "must be the next_cursor of a previous page" }] });
  }
  const { results } = await ctx.db
    .prepare(
      `SELECT ${CAMPAIGN_COLUMNS} FROM campaigns WHERE account_id = ?1 AND (?2 = 0 OR ${query.state ? STATE_SQL[query.state] : "1"})
       AND (?4 IS NULL OR created_at < ?4 OR (created_at = ?4 AND id < ?5))
       ORDER BY created_at DESC, id DESC LIMIT ?6`,
    )
    .bind(accountId, query.state ? 1 : 0, ctx.clock.now(), after?.createdAt ?? null, after?.id ?? "", query.limit + 1)
    .all<CampaignRow>();
  const page = results.slice(0, query.limit);
  return ok({ campaigns: await Promise.all(page.map((c) => campaignView(ctx, c))), nextCursor: results.length > query.limit ? encode(page.at(-1)!) : null });
}

export interface RecipientView {
  /** The recipient as the request wrote it, and in digits. */
  to: string;
  waId: string;
  /** Its message's id (GET /api/v1/messages/{id} once sent). */
  messageId: string;
  state: "queued" | "sending" | "sent" | "failed" | "refused" | "cancelled";
  /** Why it was refused (`window_closed`); null otherwise. */
  reason: string | null;
  sentAt: number | null;
}

/** A campaign's recipients in the request's order, `limit` a page, optionally in one state; the cursor is the last one's position. */
export async function listRecipients(
  ctx: CoreContext,
  accountId: string,
  campaignId: string,
  query: { state?: RecipientView["state"]; cursor?: string; limit: number },
): Promise<Result<{ recipients: RecipientView[]; nextCursor: string | null }>> {
  const after = query.cursor === undefined ? -1 : /^\d{1,6}$/.test(query.cursor) ? Number(query.cursor) : null;
  if (after === null) return fail("invalid_request", "cursor is not one this API gave", { issues: [{ field: "cursor", kind: "invalid_format", reason: "must be the next_cursor of a previous page" }] });
  const campaign = await ctx.db.prepare("SELECT 1 AS yes FROM campaigns WHERE id = ? AND account_id = ?").bind(campaignId, accountId).first();
  if (!campaign) return fail("not_found", `No campaign ${campaignId}`);
  const { results } = await ctx.db
    .prepare(
      `SELECT seq, to_input, wa_id, message_id, state, reason, sent_at FROM campaign_recipients
       WHERE campaign_id = ?1 AND seq > ?2 AND (?3 IS NULL OR state = ?3) ORDER BY seq LIMIT ?4`,
    )
    .bind(campaignId, after, query.state ?? null, query.limit + 1)
    .all<{ seq: number; to_input: string; wa_id: string; message_id: string; state: RecipientView["state"]; reason: string | null; sent_at: number | null }>();
  const page = results.slice(0, query.limit);
  return ok({
    recipients: page.map((r) => ({ to: r.to_input, waId: r.wa_id, messageId: r.message_id, state: r.state, reason: r.reason, sentAt: r.sent_at })),
    nextCursor: results.length > query.limit ? String(page.at(-1)!.seq) : null,
  });
}
