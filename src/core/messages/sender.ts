import { fail, ok, type Result } from "../../lib/errors";
import type { UpstreamKind } from "../../upstreams/whatsapp";
import type { CoreContext } from "../../config/context";
import { SANDBOX_WABA_ID } from "../numbers/waba";

/** The number a message goes out from, and the upstream that carries it. */
export interface Sender {
  phoneNumberId: string;
  wabaId: string;
  upstream: UpstreamKind;
}

/**
 * A `server: "SANDBOX"` send from an account with no number yet (the toKABOLA seed: "if you do
 * not have a number to test with yet") goes out from this shared sandbox sender.
 */
export const SANDBOX_SENDER_ID = "100000000000001";

/**
 * Resolves the sending number: the one named (READY, in this account), or the account's only
 * READY number. Another account's number answers not found.
 */
export async function resolveSender(
  ctx: CoreContext,
  accountId: string,
  phoneNumberId: string | null,
  forceSandbox: boolean,
  field: (path: string) => string,
): Promise<Result<Sender>> {
  const { results } = await ctx.db
    .prepare(
      `SELECT phone_number_id, waba_id, upstream, state FROM deployments
       WHERE account_id = ?1 AND state != 'DELETED' AND phone_number_id IS NOT NULL AND (?2 IS NULL OR phone_number_id = ?2)
       ORDER BY created_at LIMIT 20`,
    )
    .bind(accountId, phoneNumberId)
    .all<{ phone_number_id: string; waba_id: string | null; upstream: UpstreamKind | null; state: string }>();
  const ready = results.filter((r) => r.state === "READY");
  if (phoneNumberId !== null && results.length === 0) return fail("not_found", `No number with phone_number_id ${phoneNumberId} in this account`);
  if (phoneNumberId !== null && ready.length === 0) {
    return fail("conflict", `Number ${phoneNumberId} is ${results[0]!.state}, not READY: activate it before sending`, { reason: "number_not_ready" });
  }
  if (ready.length === 0) {
    if (forceSandbox) return ok({ phoneNumberId: SANDBOX_SENDER_ID, wabaId: SANDBOX_WABA_ID, upstream: "sandbox" });
    return fail("not_found", "This account has no READY number: add and activate one, or name it with phone_number_id", { reason: "no_ready_number" });
  }
  if (ready.length > 1) {
    return fail("invalid_request", "This account has several READY numbers: say which one sends", {
      issues: [{ field: field("phone_number_id"), kind: "required", reason: `must be one of ${ready.map((r) => r.phone_number_id).join(", ")}` }],
    });
  }
  const row = ready[0]!;
  return ok({
    phoneNumberId: row.phone_number_id,
    wabaId: row.waba_id ?? ctx.config.META_WABA_ID ?? SANDBOX_WABA_ID,
    upstream: forceSandbox ? "sandbox" : (row.upstream ?? ctx.config.WHATSAPP_UPSTREAM),
  });
}
