import { fail, ok, type Result } from "../../lib/errors";
import type { CoreContext } from "../../config/context";
import { configuredEndpoint, setConfiguredEndpoint } from "./endpoints";
import type { FormatOf } from "./format";

/**
 * A number's webhook: `{url, headers}`, one per number in a format configured per number,
 * receiving that number's events in that format with those headers.
 */
export interface NumberWebhook {
  url: string;
  headers: Record<string, string>;
  /** Present only when the endpoint is first created: its Tuma-Signature secret, shown once. */
  secret?: string;
}

async function ownNumber(ctx: CoreContext, accountId: string, phoneNumberId: string): Promise<boolean> {
  const row = await ctx.db
    .prepare("SELECT 1 AS yes FROM deployments WHERE account_id = ? AND phone_number_id = ? AND state != 'DELETED'")
    .bind(accountId, phoneNumberId)
    .first();
  return row !== null;
}

export async function setNumberWebhook(
  ctx: CoreContext,
  format: FormatOf<"configured">,
  accountId: string,
  phoneNumberId: string,
  url: string,
  headers: Record<string, string>,
): Promise<Result<NumberWebhook>> {
  if (!(await ownNumber(ctx, accountId, phoneNumberId))) return fail("not_found", `No number with phone_number_id ${phoneNumberId} in this account`);
  const { endpoint, secret } = await setConfiguredEndpoint(ctx, format, accountId, phoneNumberId, url, headers);
  return ok({ url: endpoint.url!, headers, ...(secret ? { secret } : {}) });
}

/** The number's webhook; `{url: "", headers: {}}` when none is set. */
export async function getNumberWebhook(ctx: CoreContext, format: FormatOf<"configured">, accountId: string, phoneNumberId: string): Promise<Result<NumberWebhook>> {
  if (!(await ownNumber(ctx, accountId, phoneNumberId))) return fail("not_found", `No number with phone_number_id ${phoneNumberId} in this account`);
  const endpoint = await configuredEndpoint(ctx, format, accountId, phoneNumberId);
  return ok({ url: endpoint?.url ?? "", headers: endpoint?.headers ? (JSON.parse(endpoint.headers) as Record<string, string>) : {} });
}
