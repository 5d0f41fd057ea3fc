import { phoneNumberIdByDisplay } from "../../core/numbers/display-number";
import { sendMessage } from "../../core/messages/send";
import { AppError, unwrap } from "../../lib/errors";
import { json } from "../../lib/http";
import { declareRoute } from "../../lib/openapi";
import type { RequestContext } from "../dialect";
import { VonageErrorSchema } from "../vonage/errors";
import { VonageMessageRequest, VonageMessageResponse } from "./message-wire";
import { requireMessagesAccount, VONAGE_MESSAGES_BASE, vonageMessagesRouter } from "./router";
import { messageUuid, toSendInput } from "./translate";

/** `from` must be a live number of the account: anything else is Vonage's "Invalid sender", naming `from`. */
async function senderOf(rc: RequestContext, accountId: string, from: string): Promise<string> {
  const found = await phoneNumberIdByDisplay(rc.core, accountId, from, "from");
  if (found.ok) return found.value;
  const { code, message, details } = found.error;
  throw new AppError(code, message, { ...details, issues: details.issues ?? [{ field: "from", kind: "invalid_value", reason: message }] });
}

const err = (description: string) => ({ description, schema: VonageErrorSchema });
const sendRoute = declareRoute({
  method: "post",
  path: VONAGE_MESSAGES_BASE,
  operationId: "vonageMessagesSend",
  tag: "Vonage Messages",
  summary: "Send a WhatsApp message as Vonage's Messages API does (text, image, audio, video, file, sticker, template, custom)",
  description:
    "Point Vonage's SDK at Tuma with its API host option (`apiHost: https://<tuma>/vonage`). `channel` must be `whatsapp`; `from` is one of the account's " +
    "READY numbers; media come by URL. A template takes `template.name`, `template.parameters` (the body's {{1}}, {{2}}…) and `whatsapp.locale`. `custom` is " +
    "Meta's message object (interactive, location, contacts, reaction, a template with components). `client_ref` comes back in status webhooks. " +
    "Auth: `Bearer <JWT>` (RS256, the application's private key) or `Basic api_key:api_secret`.",
  security: "vonage_jwt",
  body: VonageMessageRequest,
  responses: {
    202: { description: "Accepted", schema: VonageMessageResponse },
    401: err("Missing, unknown or expired credentials"),
    402: err("Low balance"),
    403: err("No active plan"),
    422: err("Invalid JSON (#invalid-json), parameters (#1150), sender (#1120), template (#1022), outside the 24-hour window (#1340)"),
    429: err("Rate limit hit; see Retry-After"),
    500: err("Internal error"),
    502: err("WhatsApp failed; retry"),
  },
});

const send = async (request: Request, rc: RequestContext) => {
  const accountId = await requireMessagesAccount(request, rc);
  const { body: msg } = await sendRoute.read(request);
  const phoneNumberId = await senderOf(rc, accountId, msg.from);
  const sent = unwrap(await sendMessage(rc.core, toSendInput(accountId, phoneNumberId, msg)));
  return json({ message_uuid: messageUuid(sent.id) }, 202);
};
// The SDK posts to `${apiHost}/v1/messages`; a trailing slash is the same resource.
vonageMessagesRouter.post("", send);
vonageMessagesRouter.post("/", send);

