import { fail, ok, type Result } from "../../lib/errors";
import type { CoreContext } from "../../config/context";

/** Used when neither the request nor META_WABA_ID names a WABA (sandbox). */
export const SANDBOX_WABA_ID = "100000000000000";

/** The operator's WABA, shared by every account that has none of its own. */
export const operatorWabaId = (ctx: CoreContext) => ctx.config.META_WABA_ID ?? SANDBOX_WABA_ID;

/**
 * A WABA a client names for a new number (Vonage's `waba_id`) must be one the account may use:
 * the operator's, or one of the account's own (linked by Embedded Signup, so already on one of
 * its numbers). The operator's token reaches other WABAs too; they are not the account's.
 */
export async function checkClientWaba(ctx: CoreContext, accountId: string, wabaId: string): Promise<Result<string>> {
  if (wabaId === operatorWabaId(ctx)) return ok(wabaId);
  const own = await ctx.db.prepare("SELECT 1 AS own FROM deployments WHERE account_id = ? AND waba_id = ? LIMIT 1").bind(accountId, wabaId).first();
  if (own) return ok(wabaId);
  return fail("invalid_request", "This WABA is neither the gateway's nor one of your own", {
    issues: [{ field: "waba_id", kind: "invalid_value", reason: `must be the gateway's WABA (${operatorWabaId(ctx)}) or one linked to your account` }],
  });
}

/** The WABA the account's templates live on: its first live number's, else the operator's (the templates' home). */
export async function accountWabaId(ctx: CoreContext, accountId: string): Promise<string> {
  const row = await ctx.db
    .prepare("SELECT waba_id FROM deployments WHERE account_id = ? AND state != 'DELETED' AND waba_id IS NOT NULL ORDER BY state = 'READY' DESC, created_at LIMIT 1")
    .bind(accountId)
    .first<{ waba_id: string }>();
  return row?.waba_id ?? operatorWabaId(ctx);
}
