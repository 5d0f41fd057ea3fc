import { env } from "cloudflare:workers";
import { createCampaign, type CampaignInput } from "../../src/core/campaigns/create";
import { runChunk } from "../../src/core/campaigns/deliver";
import { templateCampaignMessage } from "../../src/core/campaigns/message";
import { CHUNK_KIND, type ChunkMessage } from "../../src/core/campaigns/model";
import type { Env } from "../../src/config/env";
import { HOUR } from "../../src/lib/clock";
import { ManualClock } from "../helpers";
import { fund, metaCtx, newAccount, readyNumber, recipient, storeTemplate, META } from "../messages/helpers";
import { coreContext } from "../helpers";

export const PROMO = { name: "promo_novembre", language: "fr" };
export const PROMO_MESSAGE = templateCampaignMessage(PROMO.name, PROMO.language);

/** An account with a READY Meta number (fake Graph API), a MARKETING template and `usdCents` in its wallet. */
export async function campaignAccount(usdCents = 10_000) {
  const accountId = await newAccount();
  const phoneNumberId = await readyNumber(accountId, true);
  await storeTemplate(accountId, { ...PROMO, category: "MARKETING", components: [{ type: "BODY", text: "Bonjour {{1}}, -20 % cette semaine." }] });
  if (usdCents) await fund(accountId, "USD", usdCents);
  return { accountId, phoneNumberId };
}

/**
 * Creates a campaign that starts in an hour, so the queue's own consumer leaves it alone (it
 * re-queues it for later); the test then delivers its chunk itself with a clock past the start.
 */
export async function parkedCampaign(accountId: string, recipients: string[], extra: Partial<CampaignInput> = {}) {
  const start = Date.now() + HOUR;
  const created = await createCampaign(metaCtx(), {
    accountId,
    phoneNumberId: null,
    message: PROMO_MESSAGE,
    recipients: recipients.map((to) => ({ to, parameters: ["Amina"] })),
    startAt: start,
    ...extra,
  });
  if (!created.ok) throw created.error;
  const chunk: ChunkMessage = { kind: CHUNK_KIND, campaignId: created.value.campaign.id, accountId, seqs: recipients.map((_, i) => i) };
  return { id: created.value.campaign.id, chunk, clock: new ManualClock(start + 1000) };
}

/** Delivers a chunk as the consumer does, at `clock`, with config overrides (e.g. the chaos switch). */
export function deliver(chunk: ChunkMessage, clock: ManualClock, overrides: Partial<Env> = {}) {
  return runChunk(coreContext(clock, { ...META, ...overrides }), chunk);
}

export const recipients = (n: number, suffix = "") => Array.from({ length: n }, () => recipient(suffix));

export async function recipientRows(campaignId: string) {
  const { results } = await env.DB.prepare("SELECT seq, wa_id, state, calls, message_id FROM campaign_recipients WHERE campaign_id = ? ORDER BY seq")
    .bind(campaignId)
    .all<{ seq: number; wa_id: string; state: string; calls: number; message_id: string }>();
  return results;
}

export async function chargesOf(accountId: string) {
  const row = await env.DB.prepare("SELECT COUNT(*) AS n, COALESCE(SUM(amount), 0) AS total FROM ledger_entries WHERE account_id = ? AND reason = 'hold'")
    .bind(accountId)
    .first<{ n: number; total: number }>();
  return row!;
}

export { newAccount, readyNumber };
