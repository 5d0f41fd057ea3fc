import * as z from "zod";
import { sendMessage } from "../../core/messages/send";
import { unwrap } from "../../lib/errors";
import { json, readJsonBody } from "../../lib/http";
import { documentRoute } from "../../lib/openapi";
import { LAM_META, LamErrorSchema, LamMetaSchema } from "./errors";
import { LamMessageSchema, LamSentSchema } from "./message-schema";
import { LAM_BASE, lamBody, lamParse, lamRouter, requireSendingNumber } from "./router";
import { isReadReceipt, ReadReceiptBody } from "../cloud-message-body";
import { markMessageRead } from "../../core/messages/read-receipts";
import type { RequestContext } from "../dialect";
import { lamToSendInput } from "./translate";

/** `Idempotency-Key`: a retry with the same key and body answers the first 201 and sends nothing. */
const IdempotencyKey = z
  .string()
  .regex(/^[\x21-\x7e]{1,255}$/, "must be 1 to 255 printable ASCII characters without spaces")
  .nullable();

/** Marks a customer's message read from the key's number (360dialog's Cloud API body, or On-Premise `PUT /v1/messages/{id}`). */
async function markRead(rc: RequestContext, number: { accountId: string; phoneNumberId: string }, messageId: string, typing: boolean) {
  unwrap(await markMessageRead(rc.core, { accountId: number.accountId, phoneNumberId: number.phoneNumberId, messageId, typing }));
  return json({ success: true, meta: LAM_META });
}

lamRouter.post("/messages", async (request, rc) => {
  const number = await requireSendingNumber(request, rc);
  const data = await readJsonBody(request);
  if (isReadReceipt(data)) {
    const read = lamParse(ReadReceiptBody, data);
    return markRead(rc, number, read.message_id, read.typing_indicator !== undefined);
  }
  const idempotencyKey = lamParse(z.object({ "Idempotency-Key": IdempotencyKey }), {
    "Idempotency-Key": request.headers.get("Idempotency-Key"),
  })["Idempotency-Key"];
  const body = lamParse(LamMessageSchema, data);
  const input = lamToSendInput(body, { accountId: number.accountId, phoneNumberId: number.phoneNumberId, idempotencyKey });
  const sent = unwrap(await sendMessage(rc.core, input));
  return json({ messages: [{ id: sent.wamid }], contacts: [{ input: sent.to, wa_id: sent.waId }], meta: LAM_META }, 201, sent.replayed ? { "Idempotent-Replayed": "true" } : {});
});

const OnPremiseRead = z.strictObject({ status: z.literal("read") });
const LamReadSchema = z.object({ success: z.literal(true), meta: LamMetaSchema });
lamRouter.put("/messages/:messageId", async (request, rc) => {
  const number = await requireSendingNumber(request, rc);
  await lamBody(request, OnPremiseRead);
  return markRead(rc, number, decodeURIComponent(request.params.messageId!), false);
});

const err = (description: string) => ({ description, schema: LamErrorSchema });
documentRoute({
  method: "post",
  path: `${LAM_BASE}/messages`,
  tag: "LAfricaMobile / 360dialog",
  summary: "Send a message from the key's number (On-Premise or Cloud API body)",
  description:
    "Text, image, video, audio, document, sticker, template, interactive, location and contacts. The number must be READY. " +
    "A free-form message needs the recipient to have written in the last 24 hours (470 otherwise). " +
    "Send `Idempotency-Key` to make retries safe: the same key and body answer the first 201 (header `Idempotent-Replayed: true`). " +
    "`{messaging_product: \"whatsapp\", status: \"read\", message_id, typing_indicator?}` marks a customer's message read (200 `{success: true}`).",
  security: "lam_api_key",
  request: z.union([LamMessageSchema, ReadReceiptBody]),
  responses: {
    200: { description: "A read receipt, done", schema: LamReadSchema },
    201: { description: "Accepted by WhatsApp; `messages[0].id` is the wamid", schema: LamSentSchema },
    400: err("Invalid JSON (1025), missing (1008), invalid (1009) or unexpected (1010) fields, template parameter count (2000), recipient not on WhatsApp (1026)"),
    401: err("Missing or unknown API key (1005)"),
    402: err("No funds or no active plan for a paid message (402)"),
    403: err("Outside the 24-hour window: only a template can be sent (470)"),
    404: err("Unknown template in this language (2001)"),
    409: err("Number not READY (1011), template not approved (2001), Idempotency-Key reused for another body (1000)"),
    429: err("Too many requests (1015)"),
    502: err("WhatsApp refused or failed (1000)"),
  },
});

documentRoute({
  method: "put",
  path: `${LAM_BASE}/messages/{message_id}`,
  tag: "LAfricaMobile / 360dialog",
  summary: "Mark a customer's message read (On-Premise `PUT /v1/messages/{message_id}` with `{status: \"read\"}`)",
  security: "lam_api_key",
  request: OnPremiseRead,
  responses: {
    200: { description: "Marked read", schema: LamReadSchema },
    400: err("Invalid body (1009, 1010)"),
    401: err("Missing or unknown API key (1005)"),
    409: err("Number not READY (1011)"),
  },
});
