import { mediaOf } from "../../core/client-webhooks/events";
import type { MetaInboundMessage } from "../../upstreams/whatsapp/webhook-payload";
import type { Formatter, WebhookFormat } from "../../core/client-webhooks/format";

/**
 * toKABOLA (reference §1.4, seed 000): a GET to the account's webhook with `action_type`,
 * `tel_user`, `message`, `phone_number_id` and `message_id` as query parameters, plus what each
 * type needs (our additions, documented in the README): `media_id`, `mime_type`, `caption`,
 * `filename`; `button_payload`; `reply_id`; `latitude`/`longitude`; `reacted_message_id`;
 * `context_message_id`. Statuses (also our addition) come as `action_type=status` with `status`,
 * the recipient as `tel_user`, Tuma's id as `tuma_message_id` and, when failed, `error_code`.
 */
export const tokabolaFormat: Formatter = (event, target) => {
  const url = new URL(target.url);
  const set = (name: string, value: unknown) => {
    if (value !== undefined && value !== null && value !== "") url.searchParams.set(name, String(value));
  };
  set("phone_number_id", event.phone_number_id);
  if (event.message) {
    const m = event.message.content;
    set("action_type", m.type === "interactive" ? "button" : m.type);
    set("tel_user", m.from);
    set("message", textOf(m));
    set("message_id", m.id);
    set("profile_name", event.message.profile_name);
    const media = mediaOf(m);
    if (media) {
      set("media_id", media.id);
      set("mime_type", media.mime_type);
      set("filename", media.filename);
    }
    const button = m.button as { payload?: string } | undefined;
    set("button_payload", button?.payload);
    const reply = interactiveReply(m);
    set("reply_id", reply?.id);
    const location = m.location as { latitude?: number; longitude?: number } | undefined;
    set("latitude", location?.latitude);
    set("longitude", location?.longitude);
    set("reacted_message_id", (m.reaction as { message_id?: string } | undefined)?.message_id);
    set("context_message_id", (m.context as { id?: string } | undefined)?.id);
  } else if (event.status) {
    const s = event.status;
    set("action_type", "status");
    set("status", s.status);
    set("tel_user", s.recipient);
    set("message", s.error?.title ?? s.status);
    set("message_id", s.wamid);
    set("tuma_message_id", s.message_id);
    set("error_code", s.error?.code);
  } else {
    set("action_type", "error");
    set("message", event.error?.title ?? event.error?.message);
    set("error_code", event.error?.code);
  }
  return { method: "GET", url: url.toString(), headers: { ...target.headers }, body: null };
};

/** The account's `webhook` (signup, update infos): one endpoint per account, following that URL. */
export const tokabolaWebhook: WebhookFormat = {
  name: "tokabola",
  endpoints: { kind: "account-webhook", howToChange: "the toKABOLA one follows the account's webhook URL: change it with update infos" },
  // toKABOLA's GETs have no shape for a template review.
  events: ["message.received", "message.status", "number.error"],
  request: tokabolaFormat,
};

function interactiveReply(m: MetaInboundMessage): { id?: string; title?: string } | undefined {
  const i = m.interactive as { type?: string; [k: string]: unknown } | undefined;
  return i?.type ? (i[i.type] as { id?: string; title?: string } | undefined) : undefined;
}

/** The message's words: its text, caption, button or reply title, emoji, place, names. */
function textOf(m: MetaInboundMessage): string {
  const part = (m[m.type] ?? {}) as Record<string, unknown>;
  switch (m.type) {
    case "text":
    case "system":
      return String(part.body ?? "");
    case "button":
      return String(part.text ?? "");
    case "interactive":
      return String(interactiveReply(m)?.title ?? "");
    case "reaction":
      return String(part.emoji ?? "");
    case "order":
      return String(part.text ?? "");
    case "location":
      return [part.name, part.address].filter(Boolean).join(", ") || `${part.latitude},${part.longitude}`;
    case "contacts":
      return (m.contacts as { name?: { formatted_name?: string } }[] | undefined)?.map((c) => c.name?.formatted_name).filter(Boolean).join(", ") ?? "";
    default:
      return String(part.caption ?? "");
  }
}
