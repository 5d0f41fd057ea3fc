import * as z from "zod";
import { configuredEndpoint, deleteConfiguredEndpoint, setConfiguredEndpoint } from "../../core/client-webhooks/endpoints";
import { cloudApiAppSecret, createCloudApiToken, listCloudApiTokens, revokeCloudApiToken } from "../../core/credentials/cloud-api-tokens";
import { accountWabaId } from "../../core/numbers/waba";
import { unwrap } from "../../lib/errors";
import { json, readJsonBody } from "../../lib/http";
import { declareRoute } from "../../lib/openapi";
import { clientUrl, parseWith } from "../../lib/validation";
import { requireAccount } from "../bearer";
import { WEBHOOK_FORMATS } from "../client-webhook-formats";
import { verifyLikeMeta } from "../cloud-api/webhook-handshake";
import { NativeErrorSchema } from "./errors";
import { nativeRouter } from "./router";

/**
 * What Meta's app dashboard gives a Cloud API developer, at Tuma: access tokens for /graph (shown
 * once, stored hashed, revocable), the WABA id its templates live on, and the webhook (verified
 * with Meta's handshake, signed with the account's app secret).
 */
const CLOUD_API = WEBHOOK_FORMATS.endpointFormat("cloud-api", "configured");

const CreateTokenBody = z.strictObject({ label: z.string().trim().min(1).max(100).optional() });
const TokenView = z.object({ id: z.string(), label: z.string().nullable(), created_at: z.string(), revoked_at: z.string().nullable() });
const CreatedToken = TokenView.extend({
  access_token: z.string().describe("Shown once; only its hash is stored. Send it as `Authorization: Bearer …` on /graph"),
  waba_id: z.string().describe("The WABA id for /graph/{version}/{waba_id}/message_templates"),
});
const WebhookBody = (production: boolean) =>
  z.strictObject({
    url: clientUrl(production).describe("Your webhook; it must pass Meta's verification request first"),
    verify_token: z.string().min(1).max(256).describe("Sent as hub.verify_token in the verification request"),
  });
const WebhookView = z.object({
  url: z.string().nullable(),
  app_secret: z.string().describe("Verify X-Hub-Signature-256 (HMAC-SHA256 of the body) with it, as with Meta's app secret"),
});

const unauthorized = { description: "Missing, unknown or expired token", schema: NativeErrorSchema };
const tag = "Native: Meta Cloud API";

nativeRouter.post("/cloud-api/tokens", async (request, rc) => {
  const accountId = await requireAccount(request, rc);
  const body = unwrap(parseWith(CreateTokenBody, await readJsonBody(request)));
  const made = await createCloudApiToken(rc.core, accountId, body.label ?? null);
  rc.log.log("info", "cloud_api_token_created", { account_id: accountId, token_id: made.view.id });
  return json({ ...made.view, access_token: made.token, waba_id: await accountWabaId(rc.core, accountId) }, 201);
});
declareRoute({
  method: "post",
  operationId: "createCloudApiToken",
  path: "/api/v1/cloud-api/tokens",
  tag,
  summary: "Issue an access token for the Meta Cloud API dialect (/graph)",
  security: "bearer",
  body: CreateTokenBody,
  responses: { 201: { description: "The token; access_token is shown only here", schema: CreatedToken }, 400: { description: "Invalid body", schema: NativeErrorSchema }, 401: unauthorized },
});

nativeRouter.get("/cloud-api/tokens", async (request, rc) => {
  const accountId = await requireAccount(request, rc);
  return json({ tokens: await listCloudApiTokens(rc.core, accountId) });
});
declareRoute({
  method: "get",
  operationId: "listCloudApiTokens",
  path: "/api/v1/cloud-api/tokens",
  tag,
  summary: "List the account's access tokens (never the tokens themselves)",
  security: "bearer",
  responses: { 200: { description: "The tokens", schema: z.object({ tokens: z.array(TokenView) }) }, 401: unauthorized },
});

nativeRouter.delete("/cloud-api/tokens/:tokenId", async (request, rc) => {
  const accountId = await requireAccount(request, rc);
  unwrap(await revokeCloudApiToken(rc.core, accountId, request.params.tokenId!));
  return new Response(null, { status: 204 });
});
declareRoute({
  method: "delete",
  operationId: "revokeCloudApiToken",
  path: "/api/v1/cloud-api/tokens/{token_id}",
  tag,
  summary: "Revoke an access token at once",
  security: "bearer",
  responses: { 204: { description: "Revoked (also when it already was)" }, 401: unauthorized, 404: { description: "No such token for this account", schema: NativeErrorSchema } },
});

nativeRouter.put("/cloud-api/webhook", async (request, rc) => {
  const accountId = await requireAccount(request, rc);
  const body = unwrap(parseWith(WebhookBody(rc.core.config.production), await readJsonBody(request)));
  await verifyLikeMeta(rc, body.url, body.verify_token);
  await setConfiguredEndpoint(rc.core, CLOUD_API, accountId, null, body.url, null);
  return json({ url: body.url, app_secret: await cloudApiAppSecret(rc.core, accountId) });
});
nativeRouter.get("/cloud-api/webhook", async (request, rc) => {
  const accountId = await requireAccount(request, rc);
  const endpoint = await configuredEndpoint(rc.core, CLOUD_API, accountId, null);
  return json({ url: endpoint?.url ?? null, app_secret: await cloudApiAppSecret(rc.core, accountId) });
});
nativeRouter.delete("/cloud-api/webhook", async (request, rc) => {
  const accountId = await requireAccount(request, rc);
  await deleteConfiguredEndpoint(rc.core, CLOUD_API, accountId, null);
  return new Response(null, { status: 204 });
});
declareRoute({
  method: "put",
  operationId: "setCloudApiWebhook",
  path: "/api/v1/cloud-api/webhook",
  tag,
  summary: "Set the Cloud API webhook: Tuma performs Meta's verification request against it first",
  description:
    "Tuma GETs `url?hub.mode=subscribe&hub.verify_token=<verify_token>&hub.challenge=<n>` and registers the URL only if it answers 200 with the challenge. " +
    "Every event then comes in Meta's `whatsapp_business_account` shape, signed `X-Hub-Signature-256: sha256=<HMAC-SHA256(app_secret, body)>`.",
  security: "bearer",
  body: WebhookBody(false),
  responses: { 200: { description: "Registered", schema: WebhookView }, 400: { description: "Invalid URL, or the verification failed", schema: NativeErrorSchema }, 401: unauthorized },
});
declareRoute({
  method: "get",
  operationId: "getCloudApiWebhook",
  path: "/api/v1/cloud-api/webhook",
  tag,
  summary: "The Cloud API webhook and its app secret",
  security: "bearer",
  responses: { 200: { description: "The webhook (url null when none)", schema: WebhookView }, 401: unauthorized },
});
declareRoute({
  method: "delete",
  operationId: "deleteCloudApiWebhook",
  path: "/api/v1/cloud-api/webhook",
  tag,
  summary: "Remove the Cloud API webhook",
  security: "bearer",
  responses: { 204: { description: "Removed (also when there was none)" }, 401: unauthorized },
});
