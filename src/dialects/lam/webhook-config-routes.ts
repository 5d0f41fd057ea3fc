import { getNumberWebhook, setNumberWebhook } from "../../core/client-webhooks/number-webhook";
import { AppError, unwrap } from "../../lib/errors";
import { json } from "../../lib/http";
import { declareRoute } from "../../lib/openapi";
import { NUMBER_WEBHOOK } from "../client-webhook-formats";
import { WebhookConfig, WebhookConfigAnswer } from "../webhook-config";
import { LamErrorSchema } from "./errors";
import { LAM_BASE, lamParse, lamRouter, requireNumber } from "./router";

/**
 * 360dialog's `/configs/webhook` for the key's number: `{url, headers?}` in, `{url, headers}` out.
 * The same setting as the native `/api/v1/numbers/{phone_number_id}/webhook`.
 */
async function keyNumber(request: Request, rc: Parameters<typeof requireNumber>[1]) {
  const number = await requireNumber(request, rc);
  if (!number.phoneNumberId) {
    throw new AppError("conflict", "The number is not registered with WhatsApp yet", { reason: "number_not_ready" });
  }
  return { accountId: number.accountId, phoneNumberId: number.phoneNumberId };
}

const errors = {
  401: { description: "Missing or unknown API key (1005)", schema: LamErrorSchema },
  409: { description: "The number is not registered yet (1011)", schema: LamErrorSchema },
};
const setWebhookRoute = declareRoute({
  method: "post",
  path: `${LAM_BASE}/configs/webhook`,
  operationId: "lamSetWebhook",
  tag: "LAfricaMobile / 360dialog",
  summary: "Set the key's number's webhook: deliveries POST the On-Premise shape with these headers",
  security: "lam_api_key",
  body: WebhookConfig(false),
  responses: { 200: { description: "The webhook", schema: WebhookConfigAnswer }, 400: { description: "Invalid url or headers (1009)", schema: LamErrorSchema }, ...errors },
});
lamRouter.post("/configs/webhook", async (request, rc) => {
  const { accountId, phoneNumberId } = await keyNumber(request, rc);
  const { body } = await setWebhookRoute.read(request, lamParse, WebhookConfig(rc.core.config.production));
  return json(unwrap(await setNumberWebhook(rc.core, NUMBER_WEBHOOK, accountId, phoneNumberId, body.url, body.headers ?? {})));
});
lamRouter.get("/configs/webhook", async (request, rc) => {
  const { accountId, phoneNumberId } = await keyNumber(request, rc);
  return json(unwrap(await getNumberWebhook(rc.core, NUMBER_WEBHOOK, accountId, phoneNumberId)));
});

declareRoute({
  method: "get",
  path: `${LAM_BASE}/configs/webhook`,
  operationId: "lamGetWebhook",
  tag: "LAfricaMobile / 360dialog",
  summary: "The key's number's webhook ({url: \"\"} when none)",
  security: "lam_api_key",
  responses: { 200: { description: "The webhook", schema: WebhookConfigAnswer }, ...errors },
});
