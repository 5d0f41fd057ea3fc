import * as z from "zod";
import { markMessageRead } from "../../core/messages/read-receipts";
import { sendMessage } from "../../core/messages/send";
import { unwrap } from "../../lib/errors";
import { json, readJsonBody } from "../../lib/http";
import { declareRoute } from "../../lib/openapi";
import { parseWith } from "../../lib/validation";
import type { RequestContext } from "../dialect";
import { GraphErrorSchema } from "./errors";
import { isReadReceipt, ReadReceiptBody } from "../cloud-message-body";
import { GraphMessageRequest, GraphMessageResponse, GraphSuccess } from "./message-wire";
import { CLOUD_API_BASE, cloudApiRouter, requireGraphAccount } from "./router";
import { graphToSendInput } from "./translate";

/** A message, or a read receipt (`status: "read"`), from the account's own number only: another account's number is Meta's "object does not exist". */
cloudApiRouter.post("/:version/:phoneNumberId/messages", async (request, rc: RequestContext) => {
  const accountId = await requireGraphAccount(request, rc);
  const phoneNumberId = request.params.phoneNumberId!;
  const body = await readJsonBody(request);
  if (isReadReceipt(body)) {
    const read = unwrap(parseWith(ReadReceiptBody, body));
    unwrap(await markMessageRead(rc.core, { accountId, phoneNumberId, messageId: read.message_id, typing: read.typing_indicator !== undefined }));
    return json({ success: true });
  }
  const msg = unwrap(parseWith(GraphMessageRequest, body));
  const sent = unwrap(await sendMessage(rc.core, graphToSendInput(accountId, phoneNumberId, msg)));
  return json({ messaging_product: "whatsapp", contacts: [{ input: sent.to, wa_id: sent.waId }], messages: [{ id: sent.wamid }] });
});

const err = (description: string) => ({ description, schema: GraphErrorSchema });
declareRoute({
  method: "post",
  operationId: "cloudApiSendMessage",
  path: `${CLOUD_API_BASE}/{version}/{phone_number_id}/messages`,
  tag: "Meta Cloud API",
  summary: "Send a message, or mark one read (with the typing indicator), as Meta's Cloud API does",
  description:
    "Point a Cloud API client at Tuma with its base URL option (`https://<tuma>/graph`); any `vNN.N` version. `phone_number_id` is one of the account's READY numbers. " +
    "Every message type of Meta's OpenAPI: text, image/video/audio/document/sticker by `id` or `link`, template with components, interactive, location, contacts, " +
    "reaction, with `context.message_id` for replies. `{messaging_product, status: \"read\", message_id, typing_indicator?}` marks a customer's message read. " +
    "Auth: `Bearer <access token>` from POST /api/v1/cloud-api/tokens.",
  security: "cloud_api_token",
  body: z.union([GraphMessageRequest, ReadReceiptBody]),
  responses: {
    200: { description: "Accepted (a message), or `{success: true}` (a read receipt)", schema: GraphMessageResponse.or(GraphSuccess) },
    400: err("Invalid parameter (100), outside the 24-hour window (131047), number not registered (133010), payment (131042), another account's number (100, subcode 33)"),
    401: err("Missing, unknown or revoked access token (190)"),
    404: err("Template missing or not approved (132001)"),
    429: err("Rate limit hit (130429), pair rate limit (131056); see Retry-After"),
    500: err("Something went wrong (131000); retry"),
  },
});
