import type { Currency } from "../../lib/money";
import type { UpstreamKind } from "../../upstreams/whatsapp";
import type { CoreContext } from "../../config/context";
import type { MessageCategory } from "../../stores/money/prices";

/** The `campaigns` and `campaign_recipients` tables (migrations/0009_campaigns.sql, 0025_campaign_messages.sql). */
type CampaignState = "running" | "paused" | "cancelled" | "done";
type RecipientState = "queued" | "sending" | "sent" | "failed" | "refused" | "cancelled";

export interface CampaignRow {
  id: string;
  account_id: string;
  request_key: string | null;
  phone_number_id: string;
  deployment_id: string | null;
  upstream: UpstreamKind;
  template: string; // JSON {name, upstream, language: {code}}; 'null' for a free-form message
  /** JSON: the message every recipient gets (message.ts); null for campaigns written before it was stored. */
  message: string | null;
  /** JSON: the client's metadata, echoed with each recipient's statuses. */
  client_data: string | null;
  category: MessageCategory;
  charge_currency: Currency | null;
  charge_amount: number | null;
  state: CampaignState;
  total: number;
  start_at: number;
  created_at: number;
  updated_at: number;
}

export interface RecipientRow {
  campaign_id: string;
  seq: number;
  wa_id: string;
  to_input: string;
  parameters: string | null;
  message_id: string;
  state: RecipientState;
  calls: number;
}

export const CAMPAIGN_COLUMNS =
  "id, account_id, request_key, phone_number_id, deployment_id, upstream, template, message, client_data, category, charge_currency, charge_amount, state, total, start_at, created_at, updated_at";

/** Recipients per request, and per SENDS queue message (a chunk). */
export const MAX_RECIPIENTS = 10_000;
const CHUNK_SIZE = 200;
/** A queue message's delay is at most 12 hours; a later start waits in several hops. */
const MAX_QUEUE_DELAY_SECONDS = 12 * 3600;

export const CHUNK_KIND = "campaign_chunk";

export interface ChunkMessage {
  kind: typeof CHUNK_KIND;
  campaignId: string;
  accountId: string;
  seqs: number[];
  [field: string]: unknown;
}

export function newCampaignId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `cmp_${[...bytes].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

export async function findCampaign(ctx: CoreContext, accountId: string, id: string): Promise<CampaignRow | null> {
  return ctx.db.prepare(`SELECT ${CAMPAIGN_COLUMNS} FROM campaigns WHERE id = ? AND account_id = ?`).bind(id, accountId).first<CampaignRow>();
}

/** The Deployment object that paces a campaign's number (the shared sandbox sender: one per account). */
export function pacerOf(ctx: CoreContext, campaign: Pick<CampaignRow, "deployment_id" | "account_id">) {
  const name = campaign.deployment_id ?? `sandbox-sender:${campaign.account_id}`;
  return ctx.env.DEPLOYMENTS.get(ctx.env.DEPLOYMENTS.idFromName(name));
}

/** Queues the recipients `seqs` in chunks, after `delaySeconds`. Re-queuing a sent one is harmless. */
export async function enqueueChunks(ctx: CoreContext, campaign: Pick<CampaignRow, "id" | "account_id">, seqs: number[], delaySeconds = 0): Promise<void> {
  const messages: { body: ChunkMessage; delaySeconds: number }[] = [];
  for (let i = 0; i < seqs.length; i += CHUNK_SIZE) {
    const body: ChunkMessage = { kind: CHUNK_KIND, campaignId: campaign.id, accountId: campaign.account_id, seqs: seqs.slice(i, i + CHUNK_SIZE) };
    messages.push({ body, delaySeconds: Math.min(Math.max(0, Math.ceil(delaySeconds)), MAX_QUEUE_DELAY_SECONDS) });
  }
  // sendBatch takes at most 100 messages per call.
  for (let i = 0; i < messages.length; i += 100) await ctx.env.SENDS.sendBatch(messages.slice(i, i + 100));
}

/** The seqs of a campaign's recipients still waiting to be sent. */
export async function queuedSeqs(ctx: CoreContext, campaignId: string): Promise<number[]> {
  const { results } = await ctx.db.prepare("SELECT seq FROM campaign_recipients WHERE campaign_id = ? AND state = 'queued' ORDER BY seq").bind(campaignId).all<{ seq: number }>();
  return results.map((r) => r.seq);
}
