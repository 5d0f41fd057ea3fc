import * as z from "zod";
import {
  configuredEndpoint,
  createEndpoint,
  deleteConfiguredEndpoint,
  deleteEndpoint,
  listEndpoints,
  rotateEndpointSecret,
  setConfiguredEndpoint,
} from "../../core/client-webhooks/endpoints";
import { AppError, unwrap } from "../../lib/errors";
import { json } from "../../lib/http";
import { declareRoute } from "../../lib/openapi";
import { clientUrl, parseInput } from "../../lib/validation";
import { requireAccount } from "../bearer";
import { WEBHOOK_FORMATS } from "../client-webhook-formats";
import { NativeErrorSchema } from "./errors";
import { nativeRouter } from "./router";

/** The account's client webhook endpoints, every format (README "Webhooks"). */
const Endpoint = z.object({
  id: z.string(),
  format: z.enum(["native", "tokabola", "lam", "engagelab"]),
  url: z.string().nullable(),
  phone_number_id: z.string().nullable().describe("LAfricaMobile endpoints receive only this number's events"),
  created_at: z.string(),
});
const NATIVE = WEBHOOK_FORMATS.endpointFormat("native", "listed");
const ENGAGELAB_CALLBACK = WEBHOOK_FORMATS.endpointFormat("engagelab", "configured");
const WithSecret = Endpoint.extend({ secret: z.string().describe("Signs Tuma-Signature; shown once") });
const iso = (ms: number) => new Date(ms).toISOString();

const errors = {
  401: { description: "Missing, unknown or expired token", schema: NativeErrorSchema },
};

nativeRouter.get("/webhooks", async (request, rc) => {
  const accountId = await requireAccount(request, rc);
  const endpoints = await listEndpoints(rc.core, WEBHOOK_FORMATS, accountId);
  return json({ endpoints: endpoints.map((e) => ({ id: e.id, format: e.format, url: e.url, phone_number_id: e.phone_number_id, created_at: iso(e.created_at) })) });
});
declareRoute({
  method: "get",
  path: "/api/v1/webhooks",
  operationId: "listWebhookEndpoints",
  tag: "Native: webhooks",
  summary: "Every endpoint that receives the account's events (native, toKABOLA webhook, LAfricaMobile, EngageLab)",
  security: "bearer",
  responses: { 200: { description: "Endpoints", schema: z.object({ endpoints: z.array(Endpoint) }) }, ...errors },
});

const NewEndpoint = (production: boolean) => z.strictObject({ url: clientUrl(production) });

const createEndpointRoute = declareRoute({
  method: "post",
  path: "/api/v1/webhooks",
  operationId: "createWebhookEndpoint",
  tag: "Native: webhooks",
  summary: "Add an endpoint receiving the canonical events as JSON (at most 10)",
  security: "bearer",
  body: NewEndpoint(false),
  responses: {
    201: { description: "The endpoint and its signing secret, shown once", schema: WithSecret },
    400: { description: "Invalid URL", schema: NativeErrorSchema },
    409: { description: "Already 10 endpoints", schema: NativeErrorSchema },
    ...errors,
  },
});
nativeRouter.post("/webhooks", async (request, rc) => {
  const accountId = await requireAccount(request, rc);
  const { body } = await createEndpointRoute.read(request, parseInput, NewEndpoint(rc.core.config.production));
  const { endpoint, secret } = unwrap(await createEndpoint(rc.core, NATIVE, accountId, body.url));
  return json({ id: endpoint.id, format: endpoint.format, url: endpoint.url, phone_number_id: null, created_at: iso(endpoint.created_at), secret }, 201);
});

nativeRouter.delete("/webhooks/:id", async (request, rc) => {
  const accountId = await requireAccount(request, rc);
  unwrap(await deleteEndpoint(rc.core, WEBHOOK_FORMATS, accountId, String(request.params.id)));
  return new Response(null, { status: 204 });
});
declareRoute({
  method: "delete",
  path: "/api/v1/webhooks/{id}",
  operationId: "deleteWebhookEndpoint",
  tag: "Native: webhooks",
  summary: "Remove an endpoint; its pending deliveries are dead-lettered at their next attempt",
  security: "bearer",
  responses: { 204: { description: "Removed" }, 404: { description: "No such endpoint", schema: NativeErrorSchema }, ...errors },
});

nativeRouter.post("/webhooks/:id/secret", async (request, rc) => {
  const accountId = await requireAccount(request, rc);
  const secret = unwrap(await rotateEndpointSecret(rc.core, accountId, String(request.params.id)));
  return json({ id: request.params.id, secret });
});
declareRoute({
  method: "post",
  path: "/api/v1/webhooks/{id}/secret",
  operationId: "rotateWebhookSecret",
  tag: "Native: webhooks",
  summary: "Issue a new signing secret for an endpoint (shown once; the old one stops at once)",
  description: "Also how the toKABOLA, LAfricaMobile and EngageLab endpoints get a secret to verify Tuma-Signature with.",
  security: "bearer",
  responses: { 200: { description: "The new secret", schema: z.object({ id: z.string(), secret: z.string() }) }, 404: { description: "No such endpoint", schema: NativeErrorSchema }, ...errors },
});

/** EngageLab's callback URL is set in EngageLab's console; here it is a native route, one per account. */
const Callback = (production: boolean) => z.strictObject({ url: clientUrl(production) });
const CallbackAnswer = z.object({ id: z.string(), url: z.string(), secret: z.string().optional().describe("Shown when the callback is first set") });

const setCallbackRoute = declareRoute({
  method: "put",
  path: "/api/v1/engagelab/callback",
  operationId: "setEngagelabCallback",
  tag: "Native: webhooks",
  summary: "Set the account's EngageLab callback URL (statuses and inbound messages, {total, rows} format)",
  security: "bearer",
  body: Callback(false),
  responses: { 200: { description: "The callback", schema: CallbackAnswer }, 400: { description: "Invalid URL", schema: NativeErrorSchema }, ...errors },
});
nativeRouter.put("/engagelab/callback", async (request, rc) => {
  const accountId = await requireAccount(request, rc);
  const { body } = await setCallbackRoute.read(request, parseInput, Callback(rc.core.config.production));
  const { endpoint, secret } = await setConfiguredEndpoint(rc.core, ENGAGELAB_CALLBACK, accountId, null, body.url, null);
  return json({ id: endpoint.id, url: endpoint.url, ...(secret ? { secret } : {}) });
});

nativeRouter.get("/engagelab/callback", async (request, rc) => {
  const accountId = await requireAccount(request, rc);
  const endpoint = await configuredEndpoint(rc.core, ENGAGELAB_CALLBACK, accountId, null);
  if (!endpoint) throw new AppError("not_found", "No EngageLab callback is set");
  return json({ id: endpoint.id, url: endpoint.url });
});
declareRoute({
  method: "get",
  path: "/api/v1/engagelab/callback",
  operationId: "getEngagelabCallback",
  tag: "Native: webhooks",
  summary: "The account's EngageLab callback URL",
  security: "bearer",
  responses: { 200: { description: "The callback", schema: CallbackAnswer }, 404: { description: "None set", schema: NativeErrorSchema }, ...errors },
});

nativeRouter.delete("/engagelab/callback", async (request, rc) => {
  const accountId = await requireAccount(request, rc);
  if (!(await deleteConfiguredEndpoint(rc.core, ENGAGELAB_CALLBACK, accountId, null))) throw new AppError("not_found", "No EngageLab callback is set");
  return new Response(null, { status: 204 });
});
declareRoute({
  method: "delete",
  path: "/api/v1/engagelab/callback",
  operationId: "deleteEngagelabCallback",
  tag: "Native: webhooks",
  summary: "Stop EngageLab callbacks",
  security: "bearer",
  responses: { 204: { description: "Removed" }, 404: { description: "None set", schema: NativeErrorSchema }, ...errors },
});
