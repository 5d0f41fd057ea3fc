import { CONNECTIONS_PER_INVOCATION } from "../../lib/connection-cap";
import { fault, retryable, type FaultKind, type OutboundMessage } from "../../upstreams/whatsapp/types";
import type { CoreContext } from "../../config/context";
import { holdIsHeldSql, postHoldsStatement, voidHoldStatement } from "../../stores/money/holds";
import { sendFault } from "../messages/send-errors";
import { messageLog } from "../messages/store";
import type { NewMessage, SendOutcome } from "../../stores/message-log/model";
import { batchWakingAwaitingStatuses } from "../inbound/waiting";
import { validateMessage } from "../messages/validate";
import type { CanonicalMessage } from "../messages/canonical";
import { openWindows, windowApplies } from "../messages/window";
import { PAIR_GAP_MS } from "../../durable/pacer";
import { recipientMessage, storedMessage } from "./message";
import type { CampaignRow, RecipientRow } from "./model";
import type { SendResult, Wave } from "./wave";

/** What became of one recipient of a group: not claimed (skipped), refused before any call, recorded (done), or queued again after `delayMs`. */
export type Outcome = "skipped" | "refused" | "done" | { delayMs: number; kind: FaultKind };
/** A sandbox send whose statuses are not queued yet. */
export type Accepted = { wamid: string; waId: string };
export type Slot = { r: RecipientRow; at: number };

/** Upstream calls per recipient before a rate limit or a transient fault becomes a failure. */
const MAX_CALLS = 6;

/**
 * Sends a group of consecutive permits once: one statement claims its recipients (queued →
 * sending, only while the campaign runs), the sends go out in waves of at most 6, each in its own
 * invocation (`dispatch`, see wave.ts); the message log records the group's messages in one
 * call, then one batch settles their recipients and holds (set-wise). The claim is what makes a
 * re-delivered or concurrently delivered chunk send nobody twice. A free-form message is refused,
 * before any call, to a recipient whose 24-hour window is closed: `refused` (window_closed), its
 * hold voided. A recipient refused for a rate limit or a transient fault is queued again with its
 * hold still HELD, until MAX_CALLS.
 */
export async function sendGroup(ctx: CoreContext, c: CampaignRow, group: Slot[], dispatch: (wave: Wave) => Promise<{ seq: number; result: SendResult }[]>): Promise<{ outcomes: [RecipientRow, Outcome][]; accepted: Accepted[] }> {
  const { results } = await ctx.db
    .prepare(
      `UPDATE campaign_recipients SET state = 'sending', claimed_at = ?1, calls = calls + 1
       WHERE campaign_id = ?2 AND seq IN (SELECT value FROM json_each(?3)) AND state = 'queued'
       AND EXISTS (SELECT 1 FROM campaigns WHERE id = ?2 AND state = 'running')
       AND (?4 = 0 OR ${holdIsHeldSql("?5", "message_id")})
       RETURNING seq, calls`,
    )
    .bind(ctx.clock.now(), c.id, JSON.stringify(group.map((s) => s.r.seq)), c.charge_amount ? 1 : 0, c.account_id)
    .all<{ seq: number; calls: number }>();
  const calls = new Map(results.map((r) => [r.seq, r.calls]));
  const claimed = group.filter((s) => calls.has(s.r.seq));
  const stored = storedMessage(c);
  const answers = new Map<number, SendResult>();
  const valid: { seq: number; at: number; message: CanonicalMessage }[] = [];
  for (const s of claimed) {
    const checked = validateMessage(recipientMessage(stored, s.r.wa_id, s.r.parameters ? JSON.parse(s.r.parameters) : []), (p) => p);
    if (checked.ok) valid.push({ seq: s.r.seq, at: s.at, message: checked.value.message });
    else answers.set(s.r.seq, fault({ kind: "invalid_input", message: checked.error.message }));
  }
  // A free-form message goes only to those whose window is open now, as a single send's (one query per group).
  const windowed = valid.length > 0 && windowApplies(ctx, valid[0]!.message, c.upstream);
  const open = windowed ? await openWindows(ctx, c.phone_number_id, claimed.map((s) => s.r.wa_id)) : null;
  const refused = new Set(open ? claimed.filter((s) => !open.has(s.r.wa_id)).map((s) => s.r.seq) : []);
  const sends: Wave["sends"] = valid.filter((v) => !refused.has(v.seq)).map((v) => ({ ...v, message: v.message as OutboundMessage }));
  const waves: Wave[] = [];
  for (let i = 0; i < sends.length; i += CONNECTIONS_PER_INVOCATION) {
    waves.push({ upstream: c.upstream, phoneNumberId: c.phone_number_id, campaignId: c.id, sends: sends.slice(i, i + CONNECTIONS_PER_INVOCATION) });
  }
  // A wave that failed leaves its sends' outcome unknown; the other waves' (sent, maybe) are still recorded.
  const settled = await Promise.allSettled(waves.map(dispatch));
  for (const s of settled) if (s.status === "fulfilled") for (const a of s.value) answers.set(a.seq, a.result);

  const at = ctx.clock.now();
  const statements: D1PreparedStatement[] = [];
  const logged: { message: NewMessage; outcome: SendOutcome }[] = [];
  const outcomes: [RecipientRow, Outcome][] = group.filter((s) => !calls.has(s.r.seq)).map((s) => [s.r, "skipped"]);
  const accepted: Accepted[] = [];
  // Accepted and re-queued recipients are recorded set-wise: one statement for the group's sent
  // recipients and one for their holds, instead of two per recipient.
  const sent: RecipientRow[] = [];
  const requeued: number[] = [];
  for (const { r } of claimed) {
    if (refused.has(r.seq)) {
      statements.push(
        ctx.db.prepare("UPDATE campaign_recipients SET state = 'refused', reason = 'window_closed' WHERE campaign_id = ? AND seq = ? AND state = 'sending'").bind(c.id, r.seq),
        ...(c.charge_amount ? [voidHoldStatement(ctx.db, c.account_id, r.message_id, at)] : []),
      );
      outcomes.push([r, "refused"]);
      continue;
    }
    const result = answers.get(r.seq);
    // Its wave failed: left `sending`, given up by the sweep (never sent twice).
    if (!result) continue;
    if (result.ok) {
      logged.push({ message: messageRow(c, r, stored.type, at), outcome: { wamid: result.value.wamid } });
      sent.push(r);
      if (c.upstream === "sandbox") accepted.push({ wamid: result.value.wamid, waId: r.wa_id });
      outcomes.push([r, "done"]);
      continue;
    }
    const { kind } = result.fault;
    const tries = calls.get(r.seq)!;
    if (retryable(result.fault) && tries < MAX_CALLS) {
      requeued.push(r.seq);
      ctx.log.log("warn", "campaign_send_retry", { campaign_id: c.id, seq: r.seq, kind, upstream_code: result.fault.code, calls: tries });
      outcomes.push([r, { delayMs: retryDelayMs(kind, tries), kind }]);
      continue;
    }
    const error = sendFault(result.fault);
    logged.push({ message: messageRow(c, r, stored.type, at), outcome: { error: JSON.stringify({ code: error.code, message: error.message, upstream_code: result.fault.code ?? null }) } });
    statements.push(recipientsStatement(ctx, c.id, [r.seq], "failed", null), ...(c.charge_amount ? [voidHoldStatement(ctx.db, c.account_id, r.message_id, at)] : []));
    outcomes.push([r, "done"]);
  }
  if (sent.length) {
    statements.push(recipientsStatement(ctx, c.id, sent.map((r) => r.seq), "sent", at));
    if (c.charge_amount) statements.push(postHoldsStatement(ctx.db, c.account_id, sent.map((r) => r.message_id), at));
  }
  if (requeued.length) statements.push(recipientsStatement(ctx, c.id, requeued, "queued", null));
  // Statuses Meta posted before this batch recorded their wamids are queued again (inbound/waiting.ts).
  const wamids = claimed.flatMap(({ r }) => {
    const result = answers.get(r.seq);
    return result?.ok ? [result.value.wamid] : [];
  });
  // The messages first: a recipient is never `sent` without its message in the log (one D1 batch when the log is in D1).
  await messageLog(ctx).recordSendsThen(logged, (leading) => batchWakingAwaitingStatuses(ctx, [...leading, ...statements], wamids));
  const failed = settled.find((s) => s.status === "rejected");
  if (failed) throw failed.reason; // the chunk fails, as a wave's failure always did, once the others are recorded
  return { outcomes, accepted };
}

/** Moves the group's claimed recipients `seqs` out of `sending`. */
function recipientsStatement(ctx: CoreContext, campaignId: string, seqs: number[], state: "sent" | "failed" | "queued", sentAt: number | null): D1PreparedStatement {
  return ctx.db
    .prepare("UPDATE campaign_recipients SET state = ?, sent_at = ? WHERE campaign_id = ? AND state = 'sending' AND seq IN (SELECT value FROM json_each(?))")
    .bind(state, sentAt, campaignId, JSON.stringify(seqs));
}

function messageRow(c: CampaignRow, r: RecipientRow, type: string, at: number): NewMessage {
  return {
    id: r.message_id,
    account_id: c.account_id,
    phone_number_id: c.phone_number_id,
    upstream: c.upstream,
    to_input: r.to_input,
    wa_id: r.wa_id,
    type,
    category: c.category,
    hold_reference: c.charge_amount ? r.message_id : null,
    charge_currency: c.charge_currency,
    charge_amount: c.charge_amount,
    client_data: c.client_data,
    campaign_id: c.id,
    created_at: at,
  };
}

/** Meta's advice (reference §1.5–1.6): the number's limit, a short backoff, doubling; a pair's, 4^x s, never under the pair gap. */
function retryDelayMs(kind: FaultKind, calls: number): number {
  if (kind === "pair_limited") return Math.max(PAIR_GAP_MS, 1000 * 4 ** (calls - 1));
  if (kind === "throughput_limited") return Math.min(60_000, 1000 * 2 ** (calls - 1));
  return Math.min(120_000, 5000 * calls);
}
