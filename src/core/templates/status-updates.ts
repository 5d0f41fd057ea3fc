import type { CoreContext } from "../../config/context";
import { sha256Hex } from "../../lib/crypto";
import { describeError } from "../../lib/log";
import { templateStatusUpdates } from "../../upstreams/whatsapp/template-updates";
import { fanOut } from "../client-webhooks/deliveries";
import { templateStatusEvent } from "../client-webhooks/events";

/**
 * Template reviews Meta reports (`message_template_status_update`): the account's copy of the
 * template takes the new status (so sends check the status Meta gives now), and the account's
 * webhooks that take `template.status` events receive it. The template's id and WABA name its
 * account: a template Tuma did not create is ignored. Each notification's id is a hash of Meta's
 * change, so Meta's retries of a payload notify once.
 */

/** Meta's events that are a template status of Tuma's (others change nothing stored, and are still told). */
const STORED_STATUS: Record<string, string> = {
  APPROVED: "APPROVED",
  REJECTED: "REJECTED",
  PENDING: "PENDING",
  PAUSED: "PAUSED",
  DISABLED: "DISABLED",
  REINSTATED: "APPROVED",
  PENDING_DELETION: "DELETED",
};

/**
 * Applies every update of the payload; if one fails, the others still apply and then the first
 * failure is thrown, so the queue retries the payload (the update and the notification's id are
 * the same on a retry, so nothing is told twice). Logging it alone would lose the notification.
 */
export async function applyTemplateStatusUpdates(ctx: CoreContext, payload: unknown, receivedAt: number): Promise<number> {
  let told = 0;
  let failure: unknown = null;
  for (const u of templateStatusUpdates(payload)) {
    try {
      const row = await ctx.db
        .prepare(
          `UPDATE templates SET status = COALESCE(?1, status), updated_at = ?2 WHERE id = ?3 AND waba_id = ?4
           RETURNING account_id, name, language, status`,
        )
        .bind(STORED_STATUS[u.event] ?? null, receivedAt, u.templateId, u.wabaId)
        .first<{ account_id: string; name: string; language: string; status: string }>();
      if (!row) continue;
      const id = `evt_tpl_${(await sha256Hex(`${u.wabaId}:${u.templateId}:${u.event}:${u.at ?? ""}:${u.reason ?? ""}`)).slice(0, 32)}`;
      const event = templateStatusEvent(id, receivedAt, u.wabaId, {
        id: u.templateId,
        name: row.name,
        language: row.language,
        event: u.event,
        status: row.status,
        reason: u.reason,
      });
      told += await fanOut(ctx, [{ accountId: row.account_id, event }]);
    } catch (e) {
      ctx.log.log("error", "template_status_update_failed", { template_id: u.templateId, ...describeError(e) });
      failure ??= e;
    }
  }
  if (failure) throw failure;
  return told;
}
