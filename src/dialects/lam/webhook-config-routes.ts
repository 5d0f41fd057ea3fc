import * as z from "zod";
import { configuredEndpoint, deleteConfiguredEndpoint } from "../../core/client-webhooks/endpoints";
import { getNumberWebhook, setNumberWebhook } from "../../core/client-webhooks/number-webhook";
import { AppError, unwrap } from "../../lib/errors";
import { json } from "../../lib/http";
import { declareRoute } from "../../lib/openapi";
import { NUMBER_WEBHOOK, NUMBER_WEBHOOK_CLOUD } from "../client-webhook-formats";
import type { RequestContext } from "../dialect";
import { WebhookConfig, WebhookConfigAnswer } from "../webhook-config";
import { LamErrorSchema } from "./errors";
import { LAM_BASE, lamParse, lamRouter, requireNumber } from "./router";

/**
 * 360dialog's `/configs/webhook` for the key's number: `{url, headers?, format?}` in, `{url,
 * headers, format}` out. `format` is the payload's shape: "on-premise" (360dialog's On-Premise,
 * the default) or "cloud" (Meta's Cloud API, as 360dialog's v2 sends); a number has one webhook,
 * in one shape, and a change of `url` alone keeps its shape. The on-premise one is the same
 * setting as the native `/api/v1/numbers/{phone_number_id}/webhook`.
 */
const FORMATS = { "on-premise": NUMBER_WEBHOOK, cloud: NUMBER_WEBHOOK_CLOUD } as const;
const Shape = z.enum(["on-premise", "cloud"]).describe('The payload\'s shape: 360dialog On-Premise ("on-premise", the default) or Meta\'s Cloud API ("cloud", 360dialog v2)');
const LamWebhookConfig = (production: boolean) => WebhookConfig(production).extend({ format: Shape.optional() });
const LamWebhookAnswer = WebhookConfigAnswer.extend({ format: Shape });

/** The shape of the number's webhook now: "cloud" only when a Cloud API one is set. */
async function currentShape(rc: RequestContext, accountId: string, phoneNumberId: string): Promise<keyof typeof FORMATS> {
  return (await configuredEndpoint(rc.core, NUMBER_WEBHOOK_CLOUD, accountId, phoneNumberId)) ? "cloud" : "on-premise";
}
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
  summary: "Set the key's number's webhook: deliveries POST the On-Premise shape (or the Cloud API's, `format: \"cloud\"`) with these headers",
  security: "lam_api_key",
  body: LamWebhookConfig(false),
  responses: { 200: { description: "The webhook", schema: LamWebhookAnswer }, 400: { description: "Invalid url or headers (1009)", schema: LamErrorSchema }, ...errors },
});
lamRouter.post("/configs/webhook", async (request, rc) => {
  const { accountId, phoneNumberId } = await keyNumber(request, rc);
  const { body } = await setWebhookRoute.read(request, lamParse, LamWebhookConfig(rc.core.config.production));
  const shape = body.format ?? (await currentShape(rc, accountId, phoneNumberId));
  const set = unwrap(await setNumberWebhook(rc.core, FORMATS[shape], accountId, phoneNumberId, body.url, body.headers ?? {}));
  await deleteConfiguredEndpoint(rc.core, FORMATS[shape === "cloud" ? "on-premise" : "cloud"], accountId, phoneNumberId);
  return json({ ...set, format: shape });
});
lamRouter.get("/configs/webhook", async (request, rc) => {
  const { accountId, phoneNumberId } = await keyNumber(request, rc);
  const shape = await currentShape(rc, accountId, phoneNumberId);
  return json({ ...unwrap(await getNumberWebhook(rc.core, FORMATS[shape], accountId, phoneNumberId)), format: shape });
});

declareRoute({
  method: "get",
  path: `${LAM_BASE}/configs/webhook`,
  operationId: "lamGetWebhook",
  tag: "LAfricaMobile / 360dialog",
  summary: "The key's number's webhook ({url: \"\"} when none)",
  security: "lam_api_key",
  responses: { 200: { description: "The webhook", schema: LamWebhookAnswer }, ...errors },
});
