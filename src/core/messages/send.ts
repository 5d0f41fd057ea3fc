import { AppError, fail, ok, type Result } from "../../lib/errors";
import { whatsappUpstream } from "../../upstreams/whatsapp";
import { fault, type OutboundMessage, type UpstreamResult } from "../../upstreams/whatsapp/types";
import type { CoreContext } from "../../config/context";
import { postHoldStatement, reserveHoldStatement, voidHoldStatement } from "../../stores/money/holds";
import type { MessageCategory } from "../../stores/money/prices";
import { isFundsViolation } from "../../stores/money/wallets";
import { chargeFor, insufficientFunds, type Charge } from "../money/charging";
import type { CanonicalMessage } from "./canonical";
import type { SendInput, SentMessage } from "./contract";
import { withUpstreamMediaIds } from "./media-ids";
import { claimStatement, earlierAnswer, isClaimConflict, releaseStatement, requestHash, storedKey } from "./idempotency";
import { scheduleSandboxStatuses } from "./sandbox-statuses";
import { sendFault } from "./send-errors";
import { resolveSender, type Sender } from "./sender";
import { messageLog, newMessageId, sentMessageOf, STALE_PENDING_MS } from "./store";
import type { NewMessage } from "../../stores/message-log/model";
import { asSentUpstream, checkTemplate } from "./template-gate";
import { validateMessage } from "./validate";
import { wakeAwaitingStatuses } from "../inbound/waiting";
import { windowApplies, windowOpen } from "./window";


/**
 * The one send pipeline (see contract.ts). Everything that can refuse a message does so before
 * anything is written. Then one D1 batch claims the idempotency key and reserves the hold, and
 * the message log records the message `pending`; only then is Meta called, and the log records
 * the outcome before the hold is posted or voided. A crash in between leaves a HELD hold (and a
 * pending message, or none), which the cron settles (void): never a charge for a message the
 * upstream refused, and a key whose message was never recorded is released (idempotency.ts).
 */
export async function sendMessage(ctx: CoreContext, input: SendInput): Promise<Result<SentMessage>> {
  const field = input.fieldName ?? ((path: string) => path);
  const hash = input.idempotencyKey ? await requestHash(input) : null;
  const key = input.idempotencyKey ? storedKey(input.idempotencyKey, hash!, input.idempotencyPerRequest) : null;
  if (key) {
    const earlier = await earlierAnswer(ctx, input.accountId, key, hash!);
    if (earlier) return earlier;
  }
  const valid = validateMessage(input.message, field);
  if (!valid.ok) return valid;
  const { waId } = valid.value;
  let { message } = valid.value;
  const sender = await resolveSender(ctx, input.accountId, input.phoneNumberId, input.forceSandbox ?? false, field);
  if (!sender.ok) return sender;
  const sandbox = sender.value.upstream === "sandbox";

  if (windowApplies(ctx, message, sender.value.upstream) && !(await windowOpen(ctx, sender.value.phoneNumberId, waId))) {
    return fail("window_closed", `${waId} has not written to ${sender.value.phoneNumberId} in the last 24 hours: only a template can be sent`, {
      issues: [{ field: field("type"), kind: "invalid_value", reason: "must be a template outside the 24-hour window" }],
    });
  }
  let category: MessageCategory = "service";
  if (message.type === "template") {
    const template = await checkTemplate(ctx, input.accountId, message, field);
    if (!template.ok) return template;
    category = template.value.category.toLowerCase() as MessageCategory;
    message = asSentUpstream(message, template.value);
  }
  const priced = await chargeFor(ctx, input.accountId, { upstream: sender.value.upstream, category });
  if (!priced.ok) return priced;
  const charge = priced.value;
  const media = await withUpstreamMediaIds(ctx, input.accountId, sender.value, message);
  if (!media.ok) return media;
  message = media.value;

  const row: NewMessage = {
    id: newMessageId(),
    account_id: input.accountId,
    phone_number_id: sender.value.phoneNumberId,
    upstream: sender.value.upstream,
    to_input: input.message.to,
    wa_id: waId,
    type: message.type,
    category,
    hold_reference: null,
    charge_currency: charge?.currency ?? null,
    charge_amount: charge?.amount ?? null,
    client_data: input.clientData ? JSON.stringify(input.clientData) : null,
    campaign_id: null,
    created_at: ctx.clock.now(),
  };
  if (charge) row.hold_reference = row.id;
  const idempotency = key ? { key, hash: hash! } : null;
  if (sandbox) return sendLocally(ctx, row, charge, message, sender.value, idempotency);
  const claimed = await claim(ctx, row, charge, idempotency);
  if (claimed) return claimed;
  return dispatch(ctx, row, message, sender.value);
}

/**
 * The sandbox has no outside effect to lose in a crash: its answer is computed first and the
 * message written once, accepted, in the claiming batch (with its hold reserved and posted at
 * once when SANDBOX_CHARGES prices it). Losing the claim discards the answer, so nothing was sent
 * twice.
 */
async function sendLocally(
  ctx: CoreContext,
  row: NewMessage,
  charge: Charge | null,
  message: CanonicalMessage,
  sender: Sender,
  idempotency: { key: string; hash: string } | null,
): Promise<Result<SentMessage>> {
  const sent = await whatsappUpstream("sandbox", ctx.env, ctx.log, ctx.outbound).sendMessage(sender.phoneNumberId, message as OutboundMessage);
  if (!sent.ok) return { ok: false, error: sendFault(sent.fault) };
  const claimed = await claim(ctx, row, charge, idempotency, sent.value);
  if (claimed) return claimed;
  scheduleSandboxStatuses(ctx, row.phone_number_id, [{ wamid: sent.value.wamid, waId: row.wa_id }]);
  return ok(sentMessageOf({ ...row, wamid: sent.value.wamid }, false));
}

/**
 * Claims the key and reserves the hold (posted at once when already answered) in one D1 batch,
 * then records the message in the log; returns an answer only when the claim did not go through.
 */
async function claim(
  ctx: CoreContext,
  row: NewMessage,
  charge: Charge | null,
  idempotency: { key: string; hash: string } | null,
  accepted?: { wamid: string },
): Promise<Result<SentMessage> | null> {
  const statements: D1PreparedStatement[] = [];
  if (idempotency) statements.push(claimStatement(ctx, row.account_id, idempotency.key, idempotency.hash, row.id));
  if (charge) {
    const now = row.created_at;
    const hold = { accountId: row.account_id, currency: charge.currency, amount: charge.amount, reference: row.id, expiresAt: now + STALE_PENDING_MS, now };
    statements.push(reserveHoldStatement(ctx.db, hold));
    if (accepted) statements.push(postHoldStatement(ctx.db, row.account_id, row.id, now));
  }
  try {
    if (statements.length) await ctx.db.batch(statements);
  } catch (e) {
    if (isFundsViolation(e)) return insufficientFunds(charge!);
    if (idempotency && isClaimConflict(e)) {
      // Another request with this key won the race: answer as it does.
      // (null: the winner failed and released the key in between; the client may simply retry.)
      return (
        (await earlierAnswer(ctx, row.account_id, idempotency.key, idempotency.hash)) ??
        fail("conflict", "A request with this idempotency key was just being sent; retry", { reason: "in_progress", retryAfterSeconds: 1 })
      );
    }
    throw e;
  }
  await messageLog(ctx).recordSends([{ message: row, outcome: accepted }]);
  return null;
}

/** Calls the upstream, then records the outcome and settles the hold in one batch. */
async function dispatch(ctx: CoreContext, row: NewMessage, message: CanonicalMessage, sender: Sender): Promise<Result<SentMessage>> {
  const upstream = whatsappUpstream(sender.upstream, ctx.env, ctx.log, ctx.outbound);
  let sent: UpstreamResult<{ wamid: string }>;
  try {
    sent = await upstream.sendMessage(sender.phoneNumberId, message as OutboundMessage);
  } catch (e) {
    ctx.log.log("error", "send_threw", { message_id: row.id, error_message: String(e) });
    sent = fault({ kind: "transient", message: "The upstream call failed unexpectedly" });
  }
  const now = ctx.clock.now();
  const log = messageLog(ctx);
  if (sent.ok) {
    const settled = await log.settleSend(row.phone_number_id, row.id, { wamid: sent.value.wamid }, now);
    if (row.hold_reference) await postHoldStatement(ctx.db, row.account_id, row.hold_reference, now).run();
    // Status events Meta posted before the wamid was recorded are processed again (delivered to clients, a failure refunded), once it is.
    if (settled.kind === "settled" && settled.mayHaveEarlyStatuses) await wakeAwaitingStatuses(ctx, [sent.value.wamid]);
    ctx.log.log("info", "message_accepted", { message_id: row.id, account_id: row.account_id, upstream: sender.upstream, type: row.type });
    return ok(sentMessageOf({ ...row, wamid: sent.value.wamid }, false));
  }
  const error: AppError = sendFault(sent.fault);
  await log.settleSend(row.phone_number_id, row.id, { error: JSON.stringify({ code: error.code, message: error.message, upstream_code: sent.fault.code ?? null }) }, now);
  const statements = [releaseStatement(ctx, row.account_id, row.id)];
  if (row.hold_reference) statements.push(voidHoldStatement(ctx.db, row.account_id, row.hold_reference, now));
  await ctx.db.batch(statements);
  ctx.log.log("warn", "message_refused", { message_id: row.id, account_id: row.account_id, upstream_code: sent.fault.code, kind: sent.fault.kind });
  return { ok: false, error };
}
