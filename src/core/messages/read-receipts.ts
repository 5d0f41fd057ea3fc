import { ok, type Result } from "../../lib/errors";
import { whatsappUpstream } from "../../upstreams/whatsapp";
import type { CoreContext } from "../../config/context";
import { sendFault } from "./send-errors";
import { resolveSender } from "./sender";

/**
 * Marks a customer's message read from one of the account's READY numbers, with the typing
 * indicator when asked (it shows until the reply, at most 25 s). Free: Meta charges nothing for it.
 * Another account's number answers not_found, as a send does.
 */
export async function markMessageRead(
  ctx: CoreContext,
  input: { accountId: string; phoneNumberId: string; messageId: string; typing: boolean },
): Promise<Result<void>> {
  const sender = await resolveSender(ctx, input.accountId, input.phoneNumberId, false, (path) => path);
  if (!sender.ok) return sender;
  const done = await whatsappUpstream(sender.value.upstream, ctx.env, ctx.log, ctx.outbound).markRead(sender.value.phoneNumberId, input.messageId, input.typing);
  return done.ok ? ok(undefined) : { ok: false, error: sendFault(done.fault) };
}
