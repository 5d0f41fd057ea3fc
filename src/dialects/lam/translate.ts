import type { OutgoingMessage, SendInput } from "../../core/messages/contract";
import type { LamMessage } from "./message-schema";

export interface LamSender {
  accountId: string;
  /** The number the API key belongs to: a LAM key always sends from its own number. */
  phoneNumberId: string;
  idempotencyKey: string | null;
}

type CanonicalInput = OutgoingMessage;

/**
 * A validated LAM body as the canonical message (Meta's Cloud API object): `recipient_type`
 * becomes "individual", `messaging_product` is set, an On-Premise top-level `preview_url` moves
 * into `text`, and a template's `namespace` is dropped (Cloud templates have none) while
 * `language.code` and `language.policy` stay. `to` is passed as written; the pipeline normalizes it.
 */
export function lamToSendInput(body: LamMessage, sender: LamSender): SendInput {
  const { messaging_product: _product, recipient_type: _recipientType, ...rest } = body;
  const common = { messaging_product: "whatsapp", recipient_type: "individual" } as const;
  let message: CanonicalInput;
  let fieldName = (path: string) => path;
  if (rest.type === "text") {
    const { preview_url: topLevel, text, ...others } = rest;
    const previewUrl = text.preview_url ?? topLevel;
    message = { ...common, ...others, text: { body: text.body, ...(previewUrl === undefined ? {} : { preview_url: previewUrl }) } };
    if (text.preview_url === undefined && topLevel !== undefined) {
      fieldName = (path) => (path === "text.preview_url" ? "preview_url" : path);
    }
  } else if (rest.type === "template") {
    const { namespace: _namespace, ...template } = rest.template;
    message = { ...common, ...rest, template };
  } else {
    message = { ...common, ...rest };
  }
  return {
    accountId: sender.accountId,
    phoneNumberId: sender.phoneNumberId,
    message,
    idempotencyKey: sender.idempotencyKey,
    fieldName,
  };
}
