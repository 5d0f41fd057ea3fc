import { getNumberWebhook, setNumberWebhook } from "../../core/client-webhooks/number-webhook";
import { unwrap } from "../../lib/errors";
import { json } from "../../lib/http";
import { declareRoute } from "../../lib/openapi";
import { parseInput } from "../../lib/validation";
import { requireAccount } from "../bearer";
import { NUMBER_WEBHOOK } from "../client-webhook-formats";
import { WebhookConfig, WebhookConfigAnswer } from "../webhook-config";
import { NativeErrorSchema } from "./errors";
import { nativeRouter } from "./router";

/** A number's LAfricaMobile-format webhook, by bearer token (the same setting as LAM's /configs/webhook). */
const errors = { 401: { description: "Missing, unknown or expired token", schema: NativeErrorSchema }, 404: { description: "Not a number of this account", schema: NativeErrorSchema } };
const setWebhookRoute = declareRoute({
  method: "post",
  path: "/api/v1/numbers/{phone_number_id}/webhook",
  operationId: "setNumberWebhook",
  tag: "Native: webhooks",
  summary: "Set a number's webhook in the LAfricaMobile (360dialog On-Premise) format: {url, headers}",
  security: "bearer",
  body: WebhookConfig(false),
  responses: { 200: { description: "The webhook", schema: WebhookConfigAnswer }, 400: { description: "Invalid URL or headers", schema: NativeErrorSchema }, ...errors },
});
nativeRouter.post("/numbers/:phone_number_id/webhook", async (request, rc) => {
  const accountId = await requireAccount(request, rc);
  const { body } = await setWebhookRoute.read(request, parseInput, WebhookConfig(rc.core.config.production));
  return json(unwrap(await setNumberWebhook(rc.core, NUMBER_WEBHOOK, accountId, String(request.params.phone_number_id), body.url, body.headers ?? {})));
});
nativeRouter.get("/numbers/:phone_number_id/webhook", async (request, rc) => {
  const accountId = await requireAccount(request, rc);
  return json(unwrap(await getNumberWebhook(rc.core, NUMBER_WEBHOOK, accountId, String(request.params.phone_number_id))));
});
declareRoute({
  method: "get",
  path: "/api/v1/numbers/{phone_number_id}/webhook",
  operationId: "getNumberWebhook",
  tag: "Native: webhooks",
  summary: "A number's LAfricaMobile-format webhook ({url: \"\"} when none)",
  security: "bearer",
  responses: { 200: { description: "The webhook", schema: WebhookConfigAnswer }, ...errors },
});
