import { phoneNumberIdByDisplay } from "../../core/display-number";
import { sendMessage } from "../../core/messages/send";
import { unwrap } from "../../lib/errors";
import { json } from "../../lib/http";
import { documentRoute } from "../../lib/openapi";
import { EngagelabErrorSchema } from "./errors";
import { EngagelabMessageRequest, EngagelabMessageResponse } from "./message-wire";
import { ENGAGELAB_BASE, engagelabBody, engagelabRouter, requireEngagelabAccount } from "./router";
import { toSendInput } from "./translate";

engagelabRouter.post("/messages", async (request, rc) => {
  const accountId = await requireEngagelabAccount(request, rc);
  const msg = await engagelabBody(request, EngagelabMessageRequest);
  const phoneNumberId = msg.from === undefined ? null : unwrap(await phoneNumberIdByDisplay(rc.core, accountId, msg.from, "from"));
  const sent = unwrap(await sendMessage(rc.core, toSendInput(accountId, phoneNumberId, msg)));
  return json({ message_id: sent.id, ...(msg.request_id !== undefined ? { request_id: msg.request_id } : {}) });
});

const err = (description: string) => ({ description, schema: EngagelabErrorSchema });
documentRoute({
  method: "post",
  path: `${ENGAGELAB_BASE}/messages`,
  tag: "EngageLab",
  summary: "Send a WhatsApp message (template, text, image, audio, video, document or sticker) to one recipient",
  description:
    "`from` is the sending number (`+243…` or digits); without it the account's READY number sends. `to` is a number or an array " +
    "holding one number (several answer 3002 and send nothing until campaigns are available). `request_id` makes the request " +
    "idempotent: a retry answers the same message_id and sends and charges nothing. `custom_args` comes back in status callbacks.",
  security: "engagelab_basic",
  request: EngagelabMessageRequest,
  responses: {
    200: { description: "Accepted", schema: EngagelabMessageResponse },
    400: err("3001 not JSON, 3002 invalid parameters, 3003 a parameter refused (message says why), 4001 unknown template, 2003 WhatsApp authentication"),
    401: err("2001 no valid key, 2002 key revoked"),
    403: err("2004 not allowed to send (from not a number of this account, balance, plan)"),
    429: err("1000 too many requests; see Retry-After"),
    500: err("1000 internal error"),
    502: err("1000 WhatsApp failed; retry"),
  },
});
