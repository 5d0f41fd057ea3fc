import type { Currency } from "../../lib/money";
import type { CoreContext } from "../../config/context";
import { messageLog } from "../messages/store";
import { storedMessage } from "./message";
import type { CampaignRow } from "./model";

/** A campaign as every dialect reports it. */
export interface CampaignView {
  id: string;
  /** `scheduled` is a running campaign whose start time has not come. */
  state: "scheduled" | "running" | "paused" | "cancelled" | "done";
  phoneNumberId: string;
  /** The message's type (template, text, image, …). */
  type: string;
  /** The template's name and language; null for a free-form message. */
  template: { name: string; language: string } | null;
  category: string;
  total: number;
  counts: {
    /** Not sent yet (waiting, paced, or being sent). */
    queued: number;
    /** Accepted by WhatsApp. */
    sent: number;
    /** Of those sent, delivered (read included) and read. */
    delivered: number;
    read: number;
    /** Refused by WhatsApp, or failed after it accepted them. */
    failed: number;
    /** Refused by Tuma before any call: outside their 24-hour window for a free-form message. Never charged. */
    refused: number;
    cancelled: number;
  };
  /** Price of one message; null when free. */
  charge: { currency: Currency; amount: number } | null;
  /** What the campaign has cost so far (messages accepted and not refunded); null when free. */
  charged: { currency: Currency; amount: number } | null;
  /** The client's metadata, echoed with each recipient's statuses. */
  clientData: Record<string, unknown> | null;
  startAt: number;
  firstSentAt: number | null;
  lastSentAt: number | null;
  /** Messages per second from the first to the last one sent. */
  rate: number | null;
  createdAt: number;
}

/**
 * Recipients' states come from D1 (campaign_recipients); delivered, read and the failures after
 * acceptance from the message log, wherever it lives (MESSAGE_LOG), asked only once a message was
 * recorded. A message refused at the send is its recipient's `failed`; paid: sent and not failed since.
 */
export async function campaignView(ctx: CoreContext, c: CampaignRow): Promise<CampaignView> {
  const n = await ctx.db
    .prepare(
      `SELECT COALESCE(SUM(state IN ('queued', 'sending')), 0) AS queued, COALESCE(SUM(state = 'sent'), 0) AS sent,
              COALESCE(SUM(state = 'failed'), 0) AS failed, COALESCE(SUM(state = 'refused'), 0) AS refused,
              COALESCE(SUM(state = 'cancelled'), 0) AS cancelled, MIN(sent_at) AS first_sent_at, MAX(sent_at) AS last_sent_at
       FROM campaign_recipients WHERE campaign_id = ?`,
    )
    .bind(c.id)
    .first<Omit<CampaignView["counts"], "delivered" | "read"> & { first_sent_at: number | null; last_sent_at: number | null }>();
  const { first_sent_at: first, last_sent_at: last, ...recipients } = n!;
  const logged = recipients.sent + recipients.failed > 0 ? await messageLog(ctx).campaignCounts(c.phone_number_id, c.id) : { delivered: 0, read: 0, failedAfterAccepted: 0 };
  // In the documented order (queued, sent, delivered, read, failed, refused, cancelled).
  const counts: CampaignView["counts"] = {
    queued: recipients.queued,
    sent: recipients.sent,
    delivered: logged.delivered,
    read: logged.read,
    failed: recipients.failed + logged.failedAfterAccepted,
    refused: recipients.refused,
    cancelled: recipients.cancelled,
  };
  const paid = recipients.sent - logged.failedAfterAccepted;
  const template = JSON.parse(c.template) as { name: string; language: { code: string } } | null;
  const charge = c.charge_currency && c.charge_amount ? { currency: c.charge_currency, amount: c.charge_amount } : null;
  return {
    id: c.id,
    state: c.state === "running" && c.start_at > ctx.clock.now() ? "scheduled" : c.state,
    phoneNumberId: c.phone_number_id,
    type: storedMessage(c).type,
    template: template ? { name: template.name, language: template.language.code } : null,
    category: c.category,
    total: c.total,
    counts,
    charge,
    charged: charge ? { currency: charge.currency, amount: charge.amount * paid } : null,
    clientData: c.client_data ? (JSON.parse(c.client_data) as Record<string, unknown>) : null,
    startAt: c.start_at,
    firstSentAt: first,
    lastSentAt: last,
    rate: first !== null && last !== null && last > first ? Math.round(((counts.sent - 1) * 1000 * 10) / (last - first)) / 10 : null,
    createdAt: c.created_at,
  };
}
