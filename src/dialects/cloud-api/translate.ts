import type { SendInput } from "../../core/messages/contract";
import type { GraphMessage } from "./message-wire";

/**
 * A validated Cloud API body is the canonical message already (Meta's object): only the defaults
 * Meta implies are written out. Field names are Meta's, so errors name the client's own fields.
 */
export function graphToSendInput(accountId: string, phoneNumberId: string, body: GraphMessage): SendInput {
  return {
    accountId,
    phoneNumberId,
    message: { ...body, messaging_product: "whatsapp", recipient_type: "individual" },
    idempotencyKey: null,
  };
}
