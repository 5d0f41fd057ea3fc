import { phoneNumberIdByDisplay } from "../../core/numbers/display-number";
import { sendMessage } from "../../core/messages/send";
import { createCampaign } from "../../core/campaigns/create";
import { listRecipients } from "../../core/campaigns/list";
import { MAX_RECIPIENTS } from "../../core/campaigns/model";
import { unwrap } from "../../lib/errors";
import type { RequestContext } from "../dialect";
import { json } from "../../lib/http";
import { declareRoute } from "../../lib/openapi";
import { EngagelabErrorSchema } from "./errors";
import { EngagelabMessageRequest, EngagelabMessageResponse, type EngagelabMessage } from "./message-wire";
import { ENGAGELAB_BASE, engagelabRouter, requireEngagelabAccount } from "./router";
import { engagelabFieldName, toCampaignMessage, toSendInput } from "./translate";

const err = (description: string) => ({ description, schema: EngagelabErrorSchema });
const sendRoute = declareRoute({
  method: "post",
  path: `${ENGAGELAB_BASE}/messages`,
  operationId: "engagelabSendMessage",
  tag: "EngageLab",
  summary: "Send a WhatsApp message (template, text, image, audio, video, document or sticker) to one recipient",
  description:
    "`from` is the sending number (`+243…` or digits); without it the account's READY number sends. `to` is a number or an array " +
    "of numbers: several (up to 10,000, any body type) become a campaign answered at once, `message_id` being the campaign id, which every recipient's " +
    "status rows carry (with `to` and `custom_args`), and `messages` each recipient's own message id (progress: GET /api/v1/campaigns/{id}); every recipient is " +
    "priced and held first (2004 when the balance cannot pay for all), and a free-form body goes only to recipients inside their 24-hour window. `request_id` is echoed and makes " +
    "an identical retry idempotent: it answers the same message_id and sends and charges nothing; a different request with the same request_id is sent as a new one. " +
    "`custom_args` comes back in status callbacks.",
  security: "engagelab_basic",
  body: EngagelabMessageRequest,
  examples: {
    template: {
      summary: "EngageLab's own request body",
      value: {
        from: "+8613800138000",
        to: ["00447911123456"],
        body: { type: "template", template: { name: "code", language: "zh_CN", components: [{ type: "body", parameters: [{ type: "text", text: "12345" }] }] } },
        request_id: "123asdbbqwe9faweg",
        custom_args: { arg1: "string val", arg2: 123 },
      },
    },
    sticker: { summary: "EngageLab's sticker example", value: { to: "00447911123456", body: { type: "sticker", sticker: { link: "http://sample-file.bazadanni.com/download/images/webp/sample.webp" } } } },
  },
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
engagelabRouter.post("/messages", async (request, rc) => {
  const accountId = await requireEngagelabAccount(request, rc);
  const { body: msg } = await sendRoute.read(request);
  const phoneNumberId = msg.from === undefined ? null : unwrap(await phoneNumberIdByDisplay(rc.core, accountId, msg.from, "from"));
  if (Array.isArray(msg.to) && msg.to.length > 1) return json(await campaignOf(rc, accountId, phoneNumberId, msg as EngagelabMessage & { to: string[] }));
  const sent = unwrap(await sendMessage(rc.core, toSendInput(accountId, phoneNumberId, msg)));
  return json({ message_id: sent.id, ...(msg.request_id !== undefined ? { request_id: msg.request_id } : {}) });
});

/**
 * Several recipients: any body becomes a campaign (paced at the number's throughput), answered
 * at once. `message_id` is the campaign's id, which every recipient's status rows carry with the
 * recipient as written and `custom_args`; `messages` lists each recipient's own message id.
 */
async function campaignOf(rc: RequestContext, accountId: string, phoneNumberId: string | null, msg: EngagelabMessage & { to: string[] }) {
  const created = unwrap(
    await createCampaign(rc.core, {
      accountId,
      phoneNumberId,
      message: toCampaignMessage(msg),
      recipients: msg.to.map((to) => ({ to })),
      clientData: msg.custom_args ?? null,
      requestKey: msg.request_id ?? null,
      requestKeyPerRequest: true,
      fieldName: (path, index) => (path === "to" && index !== undefined ? `to[${index}]` : engagelabFieldName(path)),
    }),
  );
  const c = created.campaign;
  const { recipients } = unwrap(await listRecipients(rc.core, accountId, c.id, { limit: MAX_RECIPIENTS }));
  return {
    message_id: c.id,
    ...(msg.request_id !== undefined ? { request_id: msg.request_id } : {}),
    campaign_id: c.id,
    total: c.total,
    messages: recipients.map((r) => ({ to: r.to, message_id: r.messageId })),
  };
}
