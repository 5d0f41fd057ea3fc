import * as z from "zod";
import { sendMessage } from "../../core/messages/send";
import { unwrap } from "../../lib/errors";
import { json } from "../../lib/http";
import { declareRoute } from "../../lib/openapi";
import { requireAccount } from "../bearer";
import { cloudBodyEnvelope } from "../cloud-message-body";
import { NativeErrorSchema } from "./errors";
import { nativeRouter } from "./router";

/**
 * A text from the account's own number, natively: what the console's "send a text" needs (the
 * session cookie authenticates only /api/v1). Every other message type goes through a dialect.
 */
const SendText = z.strictObject({
  phone_number_id: z.string().min(1).optional().describe("The sending number; default: the account's only READY number"),
  to: cloudBodyEnvelope.to,
  type: z.literal("text"),
  text: z.strictObject({ body: z.string().trim().min(1, "must not be empty").max(4096), preview_url: z.boolean().optional() }),
});
const Sent = z.object({
  id: z.string().describe("Tuma's message id (msg_…): GET /api/v1/messages/{id} has its status timeline"),
  wamid: z.string(),
  to: z.string(),
  wa_id: z.string(),
  phone_number_id: z.string(),
  charge: z.object({ currency: z.string(), amount: z.number().int() }).nullable(),
  replayed: z.boolean(),
});

const sendRoute = declareRoute({
  method: "post",
  path: "/api/v1/messages",
  operationId: "sendText",
  tag: "Native: messages",
  summary: "Send a text from one of the account's READY numbers (inside the customer's 24-hour window)",
  description: "The statuses follow in the message's timeline and on the account's webhooks. An Idempotency-Key header makes a retry answer the first message.",
  security: "bearer",
  headers: z.object({ "Idempotency-Key": z.string().optional().describe("Makes a retry answer the message it sent") }),
  body: SendText,
  examples: { text: { summary: "A text", value: { to: "243812345678", type: "text", text: { body: "Votre commande est prête." } } } },
  responses: {
    200: { description: "Replayed (same Idempotency-Key): the first answer, nothing sent or charged", schema: Sent },
    201: { description: "Accepted by WhatsApp", schema: Sent },
    400: { description: "Invalid field, or outside the 24-hour window", schema: NativeErrorSchema },
    401: { description: "Missing or invalid credentials", schema: NativeErrorSchema },
    402: { description: "The balance cannot pay for it", schema: NativeErrorSchema },
    404: { description: "No such READY number on the account", schema: NativeErrorSchema },
  },
});
nativeRouter.post("/messages", async (request, rc) => {
  const accountId = await requireAccount(request, rc);
  const { headers, body } = await sendRoute.read(request);
  const { phone_number_id, ...message } = body;
  const sent = unwrap(
    await sendMessage(rc.core, {
      accountId,
      phoneNumberId: phone_number_id ?? null,
      message: { ...message, messaging_product: "whatsapp", recipient_type: "individual" },
      idempotencyKey: headers["Idempotency-Key"] ?? null,
    }),
  );
  const view = { id: sent.id, wamid: sent.wamid, to: sent.to, wa_id: sent.waId, phone_number_id: sent.phoneNumberId, charge: sent.charge, replayed: sent.replayed };
  return json(view, sent.replayed ? 200 : 201);
});
