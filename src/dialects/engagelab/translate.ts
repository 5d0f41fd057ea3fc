import { filename } from "../../core/messages/canonical";
import type { CampaignMessage } from "../../core/campaigns/message";
import type { OutgoingMessage, SendInput } from "../../core/messages/contract";
import type { EngagelabMessage } from "./message-wire";

/**
 * EngageLab's send request → the pipeline's `SendInput`. Pure: the sending number is resolved
 * by the route (`from` → phone_number_id) before this is called.
 */

type Message = OutgoingMessage;

const envelope = (to: string) => ({ messaging_product: "whatsapp", recipient_type: "individual", to }) as const;

/** The one recipient (the schema refuses zero or several). */
const recipientOf = (to: EngagelabMessage["to"]): string => (Array.isArray(to) ? to[0]! : to);

function toCanonical(msg: EngagelabMessage): Message {
  const base = envelope(recipientOf(msg.to));
  const body = msg.body;
  switch (body.type) {
    case "template": {
      const t = body.template!;
      return {
        ...base,
        type: "template",
        template: { name: t.name, language: { code: t.language, policy: "deterministic" }, ...(t.components ? { components: t.components } : {}) },
      };
    }
    case "text":
      return { ...base, type: "text", text: { body: body.text!.body } };
    case "image":
      return { ...base, type: "image", image: body.image! };
    case "audio":
      return { ...base, type: "audio", audio: body.audio! };
    case "video":
      return { ...base, type: "video", video: body.video! };
    case "sticker":
      return { ...base, type: "sticker", sticker: body.sticker! };
    case "document": {
      // Seed: without a filename, the caption names the file (when it can be a file name).
      const doc = body.document!;
      const named = doc.filename ?? (doc.caption !== undefined && filename.safeParse(doc.caption).success ? doc.caption : undefined);
      return { ...base, type: "document", document: { ...doc, ...(named !== undefined ? { filename: named } : {}) } };
    }
  }
}

/** Several recipients' one message (a campaign's): the same translation, without a recipient. */
export function toCampaignMessage(msg: EngagelabMessage): CampaignMessage {
  const { to: _to, messaging_product: _product, recipient_type: _type, ...message } = toCanonical(msg);
  return message;
}

/** A canonical path (`text.body`, `template.language.code`, `to`) as the client wrote it. */
export function engagelabFieldName(canonicalPath: string): string {
  if (canonicalPath === "to" || canonicalPath.startsWith("to[")) return "to";
  if (canonicalPath === "phone_number_id") return "from";
  if (canonicalPath.startsWith("template.language")) return "body.template.language";
  return canonicalPath ? `body.${canonicalPath}` : "body";
}

export function toSendInput(accountId: string, phoneNumberId: string | null, msg: EngagelabMessage): SendInput {
  return {
    accountId,
    phoneNumberId,
    message: toCanonical(msg),
    idempotencyKey: msg.request_id ?? null,
    idempotencyPerRequest: true,
    clientData: msg.custom_args ?? null,
    fieldName: engagelabFieldName,
  };
}
