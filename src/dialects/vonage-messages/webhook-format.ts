import { SignJWT } from "jose";
import { mediaOf, type CanonicalEvent } from "../../core/client-webhooks/events";
import { postJson, type Authorizer, type Formatter, type WebhookFormat } from "../../core/client-webhooks/format";
import { vonageSigningKey } from "../../core/credentials/vonage-auth";
import { sha256Hex } from "../../lib/crypto";
import { VONAGE_MESSAGES_BASE } from "./router";
import { messageUuid } from "./translate";

/**
 * Vonage's Messages API webhooks: message statuses to the application's status URL, customer
 * messages to its inbound URL, in Vonage's shapes (its OpenAPI `messageStatusWhatsApp` and
 * `inboundWhatsAppMessageCommon`). Each call carries `Authorization: Bearer <JWT>`, HS256 with the
 * account's signature secret, claims `iat`, `jti`, `iss: "Vonage"`, `payload_hash` (SHA-256 hex
 * of the body), `api_key` and `application_id`, as Vonage's signed webhooks do.
 */

/** Meta's statuses in Vonage's words (Meta's `sent` is Vonage's `submitted`: handed to WhatsApp). */
const STATUS_NAMES: Record<string, string> = { sent: "submitted", delivered: "delivered", read: "read", played: "read", failed: "rejected" };

/** The few Meta failures Vonage has a code of its own for; any other is 1330 "Unknown" with Meta's words. */
const ERROR_CODES: Record<number, number> = { 131047: 1340, 131026: 1300, 131051: 1382, 131052: 1380, 131053: 1381 };

const digits = (number: string) => number.replace(/\D/g, "");
const iso = (ms: number) => new Date(ms).toISOString();
const business = (event: CanonicalEvent) => (event.display_phone_number ? digits(event.display_phone_number) : event.phone_number_id);

function statusBody(event: CanonicalEvent): Record<string, unknown> {
  const s = event.status!;
  const code = s.error ? (ERROR_CODES[s.error.code] ?? 1330) : null;
  const clientRef = s.client_data?.client_ref;
  return {
    message_uuid: s.message_id ? messageUuid(s.message_id) : s.wamid,
    to: s.recipient ?? digits(s.recipient_input ?? ""),
    from: business(event),
    timestamp: iso(s.timestamp),
    status: STATUS_NAMES[s.status] ?? s.status,
    channel: "whatsapp",
    ...(typeof clientRef === "string" ? { client_ref: clientRef } : {}),
    ...(s.error
      ? {
          error: {
            type: `https://developer.vonage.com/api-errors/messages-olympus#${code}`,
            title: String(code),
            detail: `${s.error.details ?? s.error.message ?? s.error.title ?? "Rejected by WhatsApp"} (WhatsApp error ${s.error.code})`,
            instance: event.id,
          },
        }
      : {}),
    whatsapp: {
      ...(event.waba_id ? { waba_id: event.waba_id } : {}),
      ...(s.recipient ? { recipient: { wa_id: s.recipient } } : {}),
      ...(s.conversation ? { conversation: s.conversation } : {}),
    },
  };
}

/** The content of a customer's message, as Vonage names it; what Vonage has no type for is `unsupported` or `custom`. */
function contentOf(event: CanonicalEvent): Record<string, unknown> {
  const c = event.message!.content;
  const part = (c[c.type] ?? {}) as Record<string, unknown>;
  const media = mediaOf(c);
  const link = media ? { url: `${VONAGE_MESSAGES_BASE}/media/${media.id}`, ...(media.caption ? { caption: media.caption } : {}) } : null;
  switch (c.type) {
    case "text":
      return { message_type: "text", text: String(part.body ?? "") };
    case "image":
    case "video":
    case "audio":
    case "sticker":
      return { message_type: c.type, [c.type]: link };
    case "document":
      return { message_type: "file", file: { ...link, ...(media?.filename ? { name: media.filename } : {}) } };
    case "location":
      return { message_type: "location", location: { lat: part.latitude, long: part.longitude, ...(part.name ? { name: part.name } : {}), ...(part.address ? { address: part.address } : {}) } };
    case "button":
      return { message_type: "button", button: { payload: part.payload, text: part.text } };
    case "interactive": {
      const kind = part.type as string | undefined;
      const reply = (kind ? part[kind] : undefined) as { id?: string; title?: string; description?: string } | undefined;
      return { message_type: "reply", reply: { id: reply?.id, title: reply?.title, ...(reply?.description ? { description: reply.description } : {}) } };
    }
    case "reaction":
      return { message_type: "reaction", reaction: { action: part.emoji ? "react" : "unreact", emoji: part.emoji } };
    default:
      return { message_type: "unsupported", provider_message: `${c.type} message`, custom: c };
  }
}

function inboundBody(event: CanonicalEvent): Record<string, unknown> {
  const m = event.message!;
  const context = m.content.context as { id?: string; from?: string } | undefined;
  return {
    channel: "whatsapp",
    message_uuid: m.id,
    to: business(event),
    from: m.from,
    timestamp: iso(m.timestamp),
    ...(m.profile_name ? { profile: { name: m.profile_name } } : {}),
    ...contentOf(event),
    ...(context?.id ? { context: { message_uuid: context.id, message_from: context.from ?? business(event) } } : {}),
  };
}

const vonageStatusFormat: Formatter = (event, target) => postJson(target, statusBody(event));
const vonageInboundFormat: Formatter = (event, target) => postJson(target, inboundBody(event));

/** Vonage's signed-webhook JWT, made afresh for each attempt over the exact body sent. */
const signVonageWebhook: Authorizer = async (request, { ctx, accountId, nowMs }) => {
  const key = await vonageSigningKey(ctx, accountId);
  if (!key.ok) return {} as Record<string, string>;
  const jwt = await new SignJWT({
    iss: "Vonage",
    payload_hash: await sha256Hex(request.body ?? ""),
    ...(key.value.apiKey ? { api_key: key.value.apiKey } : {}),
    application_id: key.value.applicationId,
  })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuedAt(Math.floor(nowMs / 1000))
    .setJti(crypto.randomUUID())
    .sign(new TextEncoder().encode(key.value.secret));
  return { Authorization: `Bearer ${jwt}` };
};

/** The application's status URL (set with PUT /api/v1/vonage/application/webhooks): statuses only. */
export const vonageStatusWebhook: WebhookFormat = {
  name: "vonage-status",
  endpoints: { kind: "configured", per: "account" },
  events: ["message.status"],
  request: vonageStatusFormat,
  authorize: signVonageWebhook,
};

/** The application's inbound URL: customer messages only. */
export const vonageInboundWebhook: WebhookFormat = {
  name: "vonage-inbound",
  endpoints: { kind: "configured", per: "account" },
  events: ["message.received"],
  request: vonageInboundFormat,
  authorize: signVonageWebhook,
};
