import type { OutgoingMessage, SendInput } from "../../core/messages/contract";
import type { VonageMessage } from "./message-wire";

/**
 * Vonage's Messages API request → the pipeline's `SendInput`, and Tuma's ids ↔ Vonage's
 * `message_uuid`. Pure: the sending number (`from`) is resolved by the route.
 */

/** Tuma's message id (`msg_` + 32 hex) in UUID form, and back (null: not one of ours). */
export const messageUuid = (messageId: string): string => {
  const hex = messageId.replace(/^msg_/, "");
  return /^[0-9a-f]{32}$/.test(hex) ? `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}` : messageId;
};

/** A BCP 47 locale (`en-GB`) as WhatsApp names languages (`en_GB`), as Vonage translates it. */
const whatsappLanguage = (locale: string) => {
  const [lang, region] = locale.split(/[-_]/);
  return region ? `${lang!.toLowerCase()}_${region.toUpperCase()}` : lang!.toLowerCase();
};

/** Vonage's older template names carry the WhatsApp namespace (`namespace:name`): the name is what follows. */
const templateName = (name: string) => name.slice(name.lastIndexOf(":") + 1);

function toCanonical(m: VonageMessage): OutgoingMessage {
  const base = {
    messaging_product: "whatsapp",
    recipient_type: "individual",
    to: m.to,
    ...(m.context ? { context: { message_id: m.context.message_uuid } } : {}),
  } as const;
  switch (m.message_type) {
    case "text":
      return { ...base, type: "text", text: { body: m.text! } };
    case "image":
      return { ...base, type: "image", image: { link: m.image!.url, ...(m.image!.caption ? { caption: m.image!.caption } : {}) } };
    case "audio":
      return { ...base, type: "audio", audio: { link: m.audio!.url } };
    case "video":
      return { ...base, type: "video", video: { link: m.video!.url, ...(m.video!.caption ? { caption: m.video!.caption } : {}) } };
    case "file": {
      const f = m.file!;
      return { ...base, type: "document", document: { link: f.url, ...(f.caption ? { caption: f.caption } : {}), ...(f.name ? { filename: f.name } : {}) } };
    }
    case "sticker": {
      const s = m.sticker!;
      return { ...base, type: "sticker", sticker: "url" in s ? { link: s.url } : { id: s.id } };
    }
    case "template": {
      const t = m.template!;
      const parameters = t.parameters ?? [];
      return {
        ...base,
        type: "template",
        template: {
          name: templateName(t.name),
          language: { code: whatsappLanguage(m.whatsapp!.locale!), policy: "deterministic" },
          ...(parameters.length ? { components: [{ type: "body", parameters: parameters.map((text) => ({ type: "text", text })) }] } : {}),
        },
      };
    }
    case "custom":
      // Meta's message object as is (interactive, location, contacts, reaction, a template with
      // components…); the envelope is Tuma's.
      return { ...(m.custom as object), ...base } as OutgoingMessage;
  }
}

/** A canonical path (`image.link`, `template.language.code`) as the client wrote it (`image.url`, `whatsapp.locale`). */
function vonageFieldName(messageType: VonageMessage["message_type"]) {
  return (path: string): string => {
    if (path === "to" || path.startsWith("to[")) return "to";
    if (path === "phone_number_id") return "from";
    if (path.startsWith("context")) return "context.message_uuid";
    if (messageType === "custom") return path ? `custom.${path}` : "custom";
    if (path === "text.body") return "text";
    if (path.startsWith("template.language")) return "whatsapp.locale";
    if (path.startsWith("template.components")) return "template.parameters";
    if (path.startsWith("document")) return path.replace(/^document/, "file").replace(/\.link$/, ".url").replace(/\.filename$/, ".name");
    return path.replace(/\.link$/, ".url");
  };
}

export function toSendInput(accountId: string, phoneNumberId: string, m: VonageMessage): SendInput {
  return {
    accountId,
    phoneNumberId,
    message: toCanonical(m),
    idempotencyKey: null,
    clientData: m.client_ref !== undefined ? { client_ref: m.client_ref } : null,
    fieldName: vonageFieldName(m.message_type),
  };
}
