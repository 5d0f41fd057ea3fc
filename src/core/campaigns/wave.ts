import { whatsappUpstream } from "../../upstreams/whatsapp";
import { fault, retryable, type FaultKind, type OutboundMessage, type UpstreamResult, type WhatsAppUpstream } from "../../upstreams/whatsapp/types";
import type { CoreContext } from "../../config/context";
import { holdIsHeldSql, postHoldStatement, voidHoldStatement } from "../../stores/money/holds";
import { sendFault } from "../messages/send-errors";
import { insertMessageStatement, type NewMessage } from "../messages/store";
import { validateMessage } from "../messages/validate";
import { PAIR_GAP_MS } from "../../durable/pacer";
import { templateMessage } from "./create";
import type { CampaignRow, RecipientRow } from "./model";

/**
 * One wave of a campaign: at most as many sends as an invocation may have waiting for Meta at
 * once (6, lib/connection-cap.ts), each at its permit's instant. A chunk's consumer hands each
 * wave to a new invocation of the Worker (the SendWaves entrypoint), so a number's throughput is
 * not bound by one invocation's connections: at 200 ms per send, 6 connections carry 30 sends/s.
 */
export interface Wave {
  campaign: CampaignRow;
  slots: { r: RecipientRow; at: number }[];
}

/** What became of one recipient of the wave: not claimed (skipped), recorded (done), or queued again after `delayMs`. */
type Outcome = "skipped" | "done" | { delayMs: number; kind: FaultKind };
/** A sandbox send whose statuses are not queued yet. */
export type Accepted = { wamid: string; waId: string };

export interface WaveResult {
  outcomes: { seq: number; outcome: Outcome }[];
  accepted: Accepted[];
}

/** Upstream calls per recipient before a rate limit or a transient fault becomes a failure. */
const MAX_CALLS = 6;

/**
 * Sends a wave once: one statement claims its recipients (queued → sending, only while the
 * campaign runs), each message goes out at its instant, and one batch records the outcomes and
 * settles their holds. The claim is what makes a re-delivered or concurrently delivered chunk
 * send nobody twice. A recipient refused for a rate limit or a transient fault is queued again
 * with its hold still HELD, until MAX_CALLS.
 */
export async function sendWave(ctx: CoreContext, { campaign: c, slots }: Wave): Promise<WaveResult> {
  const { results } = await ctx.db
    .prepare(
      `UPDATE campaign_recipients SET state = 'sending', claimed_at = ?1, calls = calls + 1
       WHERE campaign_id = ?2 AND seq IN (SELECT value FROM json_each(?3)) AND state = 'queued'
       AND EXISTS (SELECT 1 FROM campaigns WHERE id = ?2 AND state = 'running')
       AND (?4 = 0 OR ${holdIsHeldSql("?5", "message_id")})
       RETURNING seq, calls`,
    )
    .bind(ctx.clock.now(), c.id, JSON.stringify(slots.map((s) => s.r.seq)), c.charge_amount ? 1 : 0, c.account_id)
    .all<{ seq: number; calls: number }>();
  const calls = new Map(results.map((r) => [r.seq, r.calls]));
  const upstream = whatsappUpstream(c.upstream, ctx.env, ctx.log, ctx.outbound);
  const stored = JSON.parse(c.template) as { name: string; upstream?: string; language: { code: string } };
  // Campaigns written before templates were namespaced have no `upstream` name.
  const template = { name: stored.upstream ?? stored.name, language: stored.language };
  const sent = await Promise.all(
    slots
      .filter((s) => calls.has(s.r.seq))
      .map(async (s) => {
        await sleep(s.at - Date.now());
        return { r: s.r, calls: calls.get(s.r.seq)!, result: await call(ctx, c, template, s.r, upstream), at: ctx.clock.now() };
      }),
  );
  const statements: D1PreparedStatement[] = [];
  const outcomes: WaveResult["outcomes"] = slots.filter((s) => !calls.has(s.r.seq)).map((s) => ({ seq: s.r.seq, outcome: "skipped" }));
  const accepted: Accepted[] = [];
  for (const { r, calls, result, at } of sent) {
    const recipient = (state: "sent" | "failed" | "queued") =>
      ctx.db.prepare("UPDATE campaign_recipients SET state = ?, sent_at = ? WHERE campaign_id = ? AND seq = ? AND state = 'sending'").bind(state, state === "sent" ? at : null, c.id, r.seq);
    const settle = (settleHold: typeof postHoldStatement) => (c.charge_amount ? [settleHold(ctx.db, c.account_id, r.message_id, at)] : []);
    if (result.ok) {
      statements.push(insertMessageStatement(ctx, messageRow(c, r, at), { wamid: result.value.wamid }), recipient("sent"), ...settle(postHoldStatement));
      if (c.upstream === "sandbox") accepted.push({ wamid: result.value.wamid, waId: r.wa_id });
      outcomes.push({ seq: r.seq, outcome: "done" });
      continue;
    }
    const { kind } = result.fault;
    if (retryable(result.fault) && calls < MAX_CALLS) {
      statements.push(recipient("queued"));
      ctx.log.log("warn", "campaign_send_retry", { campaign_id: c.id, seq: r.seq, kind, upstream_code: result.fault.code, calls });
      outcomes.push({ seq: r.seq, outcome: { delayMs: retryDelayMs(kind, calls), kind } });
      continue;
    }
    const error = sendFault(result.fault);
    statements.push(
      insertMessageStatement(ctx, messageRow(c, r, at)),
      ctx.db
        .prepare("UPDATE messages SET status = 'failed', error = ?, updated_at = ? WHERE id = ?")
        .bind(JSON.stringify({ code: error.code, message: error.message, upstream_code: result.fault.code ?? null }), at, r.message_id),
      recipient("failed"),
      ...settle(voidHoldStatement),
    );
    outcomes.push({ seq: r.seq, outcome: "done" });
  }
  if (statements.length) await ctx.db.batch(statements);
  return { outcomes, accepted };
}

async function call(ctx: CoreContext, c: CampaignRow, template: { name: string; language: { code: string } }, r: RecipientRow, upstream: WhatsAppUpstream): Promise<UpstreamResult<{ wamid: string }>> {
  const valid = validateMessage(templateMessage({ name: template.name, language: template.language.code }, r.wa_id, r.parameters ? JSON.parse(r.parameters) : []), (p) => p);
  if (!valid.ok) return fault({ kind: "invalid_input", message: valid.error.message });
  try {
    return await upstream.sendMessage(c.phone_number_id, valid.value.message as OutboundMessage, { retry: false });
  } catch (e) {
    ctx.log.log("error", "campaign_send_threw", { campaign_id: c.id, seq: r.seq, error_message: String(e) });
    return fault({ kind: "transient", message: "The upstream call failed unexpectedly" });
  }
}

function messageRow(c: CampaignRow, r: RecipientRow, at: number): NewMessage {
  return {
    id: r.message_id,
    account_id: c.account_id,
    phone_number_id: c.phone_number_id,
    upstream: c.upstream,
    to_input: r.to_input,
    wa_id: r.wa_id,
    type: "template",
    category: c.category,
    hold_reference: c.charge_amount ? r.message_id : null,
    charge_currency: c.charge_currency,
    charge_amount: c.charge_amount,
    client_data: JSON.stringify({ campaign_id: c.id }),
    created_at: at,
  };
}

/** Meta's advice (reference §1.5–1.6): the number's limit, a short backoff, doubling; a pair's, 4^x s, never under the pair gap. */
function retryDelayMs(kind: FaultKind, calls: number): number {
  if (kind === "pair_limited") return Math.max(PAIR_GAP_MS, 1000 * 4 ** (calls - 1));
  if (kind === "throughput_limited") return Math.min(60_000, 1000 * 2 ** (calls - 1));
  return Math.min(120_000, 5000 * calls);
}

export const sleep = (ms: number) => (ms > 0 ? new Promise<void>((resolve) => setTimeout(resolve, ms)) : Promise.resolve());
