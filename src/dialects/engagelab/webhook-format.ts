import type { CanonicalEvent } from "../../core/client-webhooks/events";
import { countryOfNumber } from "../../core/messages/recipient";
import { postJson, type Formatter, type WebhookFormat } from "../../core/client-webhooks/format";

/**
 * EngageLab (reference §3.2): `{total, rows}`, one row per event. Status rows carry what the send
 * answered as `message_id` (Tuma's message id; a campaign's id for several recipients, each row's
 * `to` telling them apart), the send's `custom_args` echoed and
 * EngageLab's status names; a customer's message is a `response` row. `itime` is unix seconds.
 * Numbers are `+` and digits; a status row's `to` is the recipient as the send wrote it.
 * Meta's `failed` comes after Meta accepted the message, hence `delivered_failed` (a send Meta
 * refuses at once is answered with an error code, never called back as `sent_failed`).
 * A template review Meta reports is a `notification` row, `template_update` (EngageLab's system
 * notifications; docs/dialects/engagelab-notifications.md lists what Tuma can and cannot send).
 */
const STATUS_NAMES: Record<string, string> = { sent: "sent", delivered: "delivered", read: "read", played: "read", failed: "delivered_failed" };

/** Meta's conversation origins in EngageLab's names (`user_initiated` is Meta's older name). */
const ORIGIN_NAMES: Record<string, string> = { user_initiated: "customer_initiated" };

const plus = (number: string) => `+${number.replace(/\D/g, "")}`;

export const engagelabFormat: Formatter = (event, target) => postJson(target, { total: 1, rows: [row(event)] });

/** One callback per account (EngageLab's console setting; here `PUT /api/v1/engagelab/callback`). */
export const engagelabWebhook: WebhookFormat = {
  name: "engagelab",
  endpoints: { kind: "configured", per: "account" },
  request: engagelabFormat,
  events: ["message.received", "message.status", "number.error", "template.status"],
};

const seconds = (ms: number) => Math.floor(ms / 1000);

function row(event: CanonicalEvent): Record<string, unknown> {
  const business = event.display_phone_number ? plus(event.display_phone_number) : event.phone_number_id;
  const common = { server: "whatsapp", channel: "whatsapp", itime: seconds(event.created_at) };
  if (event.status) {
    const s = event.status;
    return {
      // What the send answered: a campaign's id for a send to several recipients, told apart by `to`.
      message_id: s.campaign_id ?? s.message_id ?? s.wamid,
      from: business,
      to: s.recipient_input ?? (s.recipient ? plus(s.recipient) : ""),
      ...common,
      custom_args: s.client_data ?? {},
      status: {
        message_status: STATUS_NAMES[s.status] ?? s.status,
        status_data: {
          msg_time: seconds(s.timestamp),
          channel_message_id: s.wamid,
          whatsapp_business_account_id: event.waba_id ?? "",
          from_phone_id: event.phone_number_id,
          ...(s.recipient && countryOfNumber(s.recipient) ? { country_code: countryOfNumber(s.recipient) } : {}),
          ...conversationOf(s.conversation),
          ...(s.pricing ? { pricing: { pricing_model: s.pricing.pricing_model, category: s.pricing.category } } : {}),
        },
        error_code: s.error?.code ?? 0,
        ...(s.error ? { error_detail: { message: s.error.details ?? s.error.message ?? s.error.title ?? "" } } : {}),
      },
    };
  }
  if (event.message) {
    const m = event.message;
    const { from: _from, id: _id, timestamp: _ts, context, ...message } = m.content;
    const origin = context as { from?: string; id?: string } | undefined;
    return {
      message_id: m.id,
      from: plus(m.from),
      to: business,
      ...common,
      custom_args: {},
      response: {
        event: m.type === "order" ? "order" : origin?.id ? "reply" : "received",
        response_data: {
          channel_message_id: m.id,
          whatsapp_business_account_id: event.waba_id ?? "",
          contact: { profile: { name: m.profile_name ?? "" }, wa_id: m.from },
          message,
          ...(origin?.id ? { message_context: { origin_from_phone: origin.from ?? "", origin_channel_message_id: origin.id, origin_from_phone_id: event.phone_number_id } } : {}),
        },
      },
    };
  }
  if (event.template) {
    const t = event.template;
    return {
      message_id: event.id,
      from: "",
      to: "",
      ...common,
      custom_args: {},
      notification: {
        event: "template_update",
        notification_data: {
          whatsapp_business_account_id: event.waba_id ?? "",
          template_id: t.id,
          template_name: t.name,
          template_language: t.language,
          template_status: t.event,
          template_status_reason: t.reason ?? "",
        },
      },
    };
  }
  return {
    message_id: event.id,
    from: business,
    to: "",
    ...common,
    custom_args: {},
    notification: { event: "phone_number_update", notification_data: { phone_number_id: event.phone_number_id, display_phone_number: business, error: event.error } },
  };
}

/** `conversation{id, origin{type}}` when Meta reported one (it no longer does under per-message pricing). */
function conversationOf(conversation: Record<string, unknown> | null): { conversation?: { id: string; origin: { type: string } } } {
  if (!conversation || typeof conversation.id !== "string") return {};
  const origin = (conversation.origin as { type?: unknown } | undefined)?.type;
  const type = typeof origin === "string" ? (ORIGIN_NAMES[origin] ?? origin) : "";
  return { conversation: { id: conversation.id, origin: { type } } };
}
