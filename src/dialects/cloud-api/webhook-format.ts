import type { CanonicalEvent } from "../../core/client-webhooks/events";
import { postJson, type Authorizer, type Formatter, type WebhookFormat } from "../../core/client-webhooks/format";
import { cloudApiAppSecret } from "../../core/credentials/cloud-api-tokens";
import { hmacSha256Hex } from "../../lib/crypto";

/**
 * Meta's Cloud API webhooks (reference §6): `{object: "whatsapp_business_account", entry: [{id:
 * <WABA id>, changes: [{field, value}]}]}`, one event per call, `value` with `messaging_product`,
 * `metadata` and one of `messages` (with `contacts`), `statuses` or `errors`; template reviews as
 * `message_template_status_update`. Each call carries `X-Hub-Signature-256: sha256=<hex
 * HMAC-SHA256(app secret, body)>`, as Meta signs with the app secret.
 */

const seconds = (ms: number) => String(Math.floor(ms / 1000));
const digits = (number: string) => number.replace(/\D/g, "");

function metadata(event: CanonicalEvent) {
  return { display_phone_number: event.display_phone_number ? digits(event.display_phone_number) : "", phone_number_id: event.phone_number_id };
}

const errorObject = (e: { code: number; title: string | null; message: string | null; details: string | null }) => ({
  code: e.code,
  title: e.title ?? e.message ?? "Error",
  ...(e.message ? { message: e.message } : {}),
  error_data: { details: e.details ?? e.message ?? e.title ?? "" },
});

/**
 * Meta's own download `url` of a customer's media (sent since Nov 2025) opens only with the
 * operator's Meta token: it is left out, so a client does what Meta documents without it, `GET
 * /{media-id}` at Tuma, whose `url` opens with the client's token.
 */
function withoutMetaUrl(content: Record<string, unknown>): Record<string, unknown> {
  const media = content[String(content.type)];
  if (!media || typeof media !== "object" || !("url" in media)) return content;
  const { url: _url, ...rest } = media as Record<string, unknown>;
  return { ...content, [String(content.type)]: rest };
}

function change(event: CanonicalEvent): { field: string; value: Record<string, unknown> } {
  const common = { messaging_product: "whatsapp", metadata: metadata(event) };
  if (event.message) {
    const m = event.message;
    return {
      field: "messages",
      value: { ...common, contacts: [{ profile: { name: m.profile_name ?? "" }, wa_id: m.from }], messages: [withoutMetaUrl(m.content as unknown as Record<string, unknown>)] },
    };
  }
  if (event.status) {
    const s = event.status;
    const status = {
      id: s.wamid,
      status: s.status,
      timestamp: seconds(s.timestamp),
      recipient_id: s.recipient ?? digits(s.recipient_input ?? ""),
      ...(s.conversation ? { conversation: s.conversation } : {}),
      ...(s.pricing ? { pricing: s.pricing } : {}),
      ...(s.error ? { errors: [errorObject(s.error)] } : {}),
    };
    return { field: "messages", value: { ...common, statuses: [status] } };
  }
  if (event.template) {
    const t = event.template;
    return {
      field: "message_template_status_update",
      value: { event: t.event, message_template_id: t.id, message_template_name: t.name, message_template_language: t.language, reason: t.reason ?? "NONE" },
    };
  }
  return { field: "messages", value: { ...common, errors: event.error ? [event.error] : [] } };
}

/** The Cloud API payload, also what 360dialog's v2 sends to a number's webhook (lam/webhook-format.ts). */
export const cloudApiFormat: Formatter = (event, target) =>
  postJson(target, { object: "whatsapp_business_account", entry: [{ id: event.waba_id ?? "", changes: [change(event)] }] });

/** Meta's signature over the exact body sent, with the account's app secret. */
const signLikeMeta: Authorizer = async (request, { ctx, accountId }) => ({
  "X-Hub-Signature-256": `sha256=${await hmacSha256Hex(await cloudApiAppSecret(ctx, accountId), request.body ?? "")}`,
});

/** The account's Cloud API webhook (set with PUT /api/v1/cloud-api/webhook): every event Meta has a shape for, in that shape. */
export const cloudApiWebhook: WebhookFormat = {
  name: "cloud-api",
  endpoints: { kind: "configured", per: "account" },
  request: cloudApiFormat,
  authorize: signLikeMeta,
  events: ["message.received", "message.status", "number.error", "template.status"],
};

/**
 * A number's own Cloud API webhook (Meta's `webhook_configuration.override_callback_uri` on `POST
 * /{phone-number-id}`): that number's messages, statuses and errors go there instead of the
 * account's; template reviews are the WABA's and stay with the account's.
 */
export const cloudApiNumberWebhook: WebhookFormat = {
  name: "cloud-api-number",
  endpoints: { kind: "configured", per: "number", replaces: cloudApiWebhook.name },
  events: ["message.received", "message.status", "number.error"],
  request: cloudApiFormat,
  authorize: signLikeMeta,
};
