import * as z from "zod";
import { markMessageRead } from "../../core/messages/read-receipts";
import { sendMessage } from "../../core/messages/send";
import { unwrap } from "../../lib/errors";
import { json, readJsonBody } from "../../lib/http";
import { declareRoute } from "../../lib/openapi";
import { isReadReceipt, ReadReceiptBody } from "../cloud-message-body";
import type { RequestContext } from "../dialect";
import { LAM_META, LamErrorSchema, LamMetaSchema } from "./errors";
import { LamMessageSchema, LamSentSchema } from "./message-schema";
import { LAM_BASE, lamParse, lamRouter, requireSendingNumber } from "./router";
import { lamToSendInput } from "./translate";

const err = (description: string) => ({ description, schema: LamErrorSchema });

/** `Idempotency-Key`: a retry with the same key and body answers the first 201 and sends nothing. */
const IdempotencyKey = z
  .string()
  .regex(/^[\x21-\x7e]{1,255}$/, "must be 1 to 255 printable ASCII characters without spaces")
  .optional();

const LamReadSchema = z.object({ success: z.literal(true), meta: LamMetaSchema });

/** Marks a customer's message read from the key's number (360dialog's Cloud API body, or On-Premise `PUT /v1/messages/{id}`). */
async function markRead(rc: RequestContext, number: { accountId: string; phoneNumberId: string }, messageId: string, typing: boolean) {
  unwrap(await markMessageRead(rc.core, { accountId: number.accountId, phoneNumberId: number.phoneNumberId, messageId, typing }));
  return json({ success: true, meta: LAM_META });
}

const sendRoute = declareRoute({
  method: "post",
  path: `${LAM_BASE}/messages`,
  operationId: "lamSendMessage",
  tag: "LAfricaMobile / 360dialog",
  summary: "Send a message from the key's number (On-Premise or Cloud API body), or mark a customer's message read",
  description:
    "Text, image, video, audio, document, sticker, template, interactive, location and contacts. The number must be READY. " +
    "A free-form message needs the recipient to have written in the last 24 hours (470 otherwise). " +
    "Send `Idempotency-Key` to make retries safe: the same key and body answer the first 201 (header `Idempotent-Replayed: true`). " +
    "`{messaging_product: \"whatsapp\", status: \"read\", message_id, typing_indicator?}` marks a customer's message read (200 `{success: true}`).",
  security: "lam_api_key",
  headers: z.object({ "Idempotency-Key": IdempotencyKey }),
  body: z.union([LamMessageSchema, ReadReceiptBody]),
  examples: {
    text: {
      summary: "LAfricaMobile's text example (its `whatsapp-id` placeholder filled in)",
      value: { recipient_type: "individu", to: "221770000000", type: "text", text: { body: "votre-message-contenu" } },
    },
  },
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
lamRouter.post("/messages", async (request, rc) => {
  const number = await requireSendingNumber(request, rc);
  // One path, two bodies: told apart by `status` first, so each is parsed (and refused) as itself, not as a union.
  const data = await readJsonBody(request);
  if (isReadReceipt(data)) {
    const read = lamParse(ReadReceiptBody, data);
    return markRead(rc, number, read.message_id, read.typing_indicator !== undefined);
  }
  const headers = lamParse(sendRoute.spec.headers, { "Idempotency-Key": request.headers.get("Idempotency-Key") ?? undefined });
  const body = lamParse(LamMessageSchema, data);
  const input = lamToSendInput(body, { accountId: number.accountId, phoneNumberId: number.phoneNumberId, idempotencyKey: headers["Idempotency-Key"] ?? null });
  const sent = unwrap(await sendMessage(rc.core, input));
  return json({ messages: [{ id: sent.wamid }], contacts: [{ input: sent.to, wa_id: sent.waId }], meta: LAM_META }, 201, sent.replayed ? { "Idempotent-Replayed": "true" } : {});
});

const readRoute = declareRoute({
  method: "put",
  path: `${LAM_BASE}/messages/{message_id}`,
  operationId: "lamMarkRead",
  tag: "LAfricaMobile / 360dialog",
  summary: "Mark a customer's message read (On-Premise `PUT /v1/messages/{message_id}` with `{status: \"read\"}`)",
  security: "lam_api_key",
  body: z.strictObject({ status: z.literal("read") }),
  responses: {
    200: { description: "Marked read", schema: LamReadSchema },
    400: err("Invalid body (1009, 1010)"),
    401: err("Missing or unknown API key (1005)"),
    409: err("Number not READY (1011)"),
  },
});
lamRouter.put("/messages/:message_id", async (request, rc) => {
  const number = await requireSendingNumber(request, rc);
  await readRoute.read(request, lamParse);
  return markRead(rc, number, decodeURIComponent(request.params.message_id!), false);
});
