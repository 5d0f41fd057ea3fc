import { fail, ok, type Result } from "../../lib/errors";
import { MAX_MPS } from "../../durable/pacer";
import type { CoreContext } from "../../config/context";

/**
 * A number's throughput, in messages per second: Meta's 80 by default, up to 1,000 once Meta has
 * upgraded the number (reference §7.2). Kept by the number's Deployment object, which paces its
 * campaigns with it.
 */
export async function setThroughput(ctx: CoreContext, accountId: string, phoneNumberId: string, mps: number | null): Promise<Result<{ phoneNumberId: string; messagesPerSecond: number }>> {
  if (mps !== null && (!Number.isInteger(mps) || mps < 1 || mps > MAX_MPS)) {
    const kind = !Number.isInteger(mps) ? "invalid_type" : mps < 1 ? "too_small" : "too_big";
    return fail("invalid_request", `Throughput is 1 to ${MAX_MPS} messages per second`, { issues: [{ field: "messages_per_second", kind, reason: `must be an integer from 1 to ${MAX_MPS}` }] });
  }
  const row = await ctx.db
    .prepare("SELECT id FROM deployments WHERE account_id = ? AND phone_number_id = ? AND state != 'DELETED'")
    .bind(accountId, phoneNumberId)
    .first<{ id: string }>();
  if (!row) return fail("not_found", `No number with phone_number_id ${phoneNumberId} in this account`);
  const stub = ctx.env.DEPLOYMENTS.get(ctx.env.DEPLOYMENTS.idFromName(row.id));
  const messagesPerSecond = mps === null ? await stub.throughput() : await stub.setThroughput(mps);
  return ok({ phoneNumberId, messagesPerSecond });
}
