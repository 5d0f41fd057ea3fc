import * as z from "zod";
import { configuredEndpoint, deleteConfiguredEndpoint, setConfiguredEndpoint } from "../../core/client-webhooks/endpoints";
import { signupVonageAccount, vonageSignatureSecret, vonageSigningKey } from "../../core/credentials/vonage-auth";
import { unwrap } from "../../lib/errors";
import { clientIp, json } from "../../lib/http";
import { declareRoute } from "../../lib/openapi";
import { clientUrl, parseInput } from "../../lib/validation";
import { requireAccount } from "../bearer";
import { WEBHOOK_FORMATS } from "../client-webhook-formats";
import type { RequestContext } from "../dialect";
import { requireMessagesAccount } from "../vonage-messages/router";
import { NativeErrorSchema } from "./errors";
import { nativeRouter } from "./router";

/**
 * A Vonage customer's own way in, without toKABOLA: one call makes the account, its API key and
 * secret, its application (and key pair, unless it brings its public key) and its webhooks; after
 * that the Vonage credentials (Basic or the JWT) manage the application's webhooks.
 */
const STATUS = WEBHOOK_FORMATS.endpointFormat("vonage-status", "configured");
const INBOUND = WEBHOOK_FORMATS.endpointFormat("vonage-inbound", "configured");

const publicKey = z.string().trim().min(100, "must be a PEM public key").max(4096);
const Webhooks = (production: boolean) =>
  z.strictObject({
    status_url: clientUrl(production).nullable().optional().describe("Message statuses (Vonage's status webhook); null removes it"),
    inbound_url: clientUrl(production).nullable().optional().describe("Customer messages (Vonage's inbound webhook); null removes it"),
  });
const Signup = (production: boolean) =>
  Webhooks(production).extend({
    name: z.string().trim().min(2, "must be at least 2 characters").max(100),
    public_key: publicKey.optional().describe("The application's RSA public key (PEM); without it Tuma makes a key pair and returns its private half once"),
  });

const WebhooksView = z.object({ status_url: z.string().nullable(), inbound_url: z.string().nullable() });
const ApplicationView = z.object({
  id: z.string().describe("application_id: the `application_id` claim of the JWTs it signs"),
  api_key: z.string().nullable(),
  signature_secret: z.string().describe("HS256 key of the signed webhooks' JWT (Vonage's signature secret)"),
  webhooks: WebhooksView,
});
const SignupView = z.object({
  account_id: z.string(),
  api_key: z.string(),
  api_secret: z.string().describe("Shown once; only its hash is stored"),
  signature_secret: z.string(),
  application: z.object({
    id: z.string(),
    keys: z.object({ public_key: z.string(), private_key: z.string().optional().describe("Only when Tuma made the key pair; shown once, never stored") }),
    webhooks: WebhooksView,
  }),
});

async function setWebhooks(rc: RequestContext, accountId: string, change: { status_url?: string | null; inbound_url?: string | null }) {
  for (const [format, url] of [[STATUS, change.status_url], [INBOUND, change.inbound_url]] as const) {
    if (url === null) await deleteConfiguredEndpoint(rc.core, format, accountId, null);
    else if (url !== undefined) await setConfiguredEndpoint(rc.core, format, accountId, null, url, null);
  }
  return readWebhooks(rc, accountId);
}

async function readWebhooks(rc: RequestContext, accountId: string) {
  const [status, inbound] = await Promise.all([configuredEndpoint(rc.core, STATUS, accountId, null), configuredEndpoint(rc.core, INBOUND, accountId, null)]);
  return { status_url: status?.url ?? null, inbound_url: inbound?.url ?? null };
}

/** Vonage credentials (Basic api_key:api_secret, or a Bearer JWT) or the native bearer token. */
function requireVonageCaller(request: Request, rc: RequestContext): Promise<string> {
  const header = request.headers.get("Authorization") ?? "";
  const vonage = /^Basic\s/i.test(header) || /^Bearer\s+[\w-]+\.[\w-]+\.[\w-]+\s*$/i.test(header);
  return vonage ? requireMessagesAccount(request, rc) : requireAccount(request, rc);
}

const signupRoute = declareRoute({
  method: "post",
  operationId: "vonageSignup",
  path: "/api/v1/vonage/signup",
  tag: "Vonage Messages",
  summary: "Create an account with its Vonage API key and secret, application and webhooks: the one step before Vonage's SDK works",
  description:
    "What Vonage's dashboard gives: `api_key`/`api_secret` (Basic auth), an application whose RSA key signs the SDK's JWTs, and the signature secret of " +
    "its webhooks. Secrets and a generated private key are shown once. Then add a number (Vonage WhatsApp Manager) and send with the SDK.",
  security: "none",
  body: Signup(false),
  responses: {
    201: { description: "Created", schema: SignupView },
    400: { description: "Invalid name, key or URL", schema: NativeErrorSchema },
    409: { description: "The name is taken", schema: NativeErrorSchema },
    429: { description: "Too many signups from this address", schema: NativeErrorSchema },
  },
});

nativeRouter.post("/vonage/signup", async (request, rc) => {
  const { body } = await signupRoute.read(request, parseInput, Signup(rc.core.config.production));
  const made = unwrap(await signupVonageAccount(rc.core, { name: body.name, publicKey: body.public_key ?? null, keyLabel: "vonage", clientIp: clientIp(request) }));
  const webhooks = await setWebhooks(rc, made.accountId, body);
  rc.log.log("info", "vonage_account_created", { account_id: made.accountId, application_id: made.application.applicationId });
  const { application: app } = made;
  return json(
    {
      account_id: made.accountId,
      api_key: made.apiKey,
      api_secret: made.apiSecret,
      signature_secret: made.signatureSecret,
      application: { id: app.applicationId, keys: { public_key: app.publicKey, ...(app.privateKey ? { private_key: app.privateKey } : {}) }, webhooks },
    },
    201,
  );
});

const applicationView = async (rc: RequestContext, accountId: string) => {
  const key = unwrap(await vonageSigningKey(rc.core, accountId));
  return { id: key.applicationId, api_key: key.apiKey, signature_secret: key.secret, webhooks: await readWebhooks(rc, accountId) };
};

nativeRouter.get("/vonage/application", async (request, rc) => json(await applicationView(rc, await requireVonageCaller(request, rc))));

const auth = { 401: { description: "Missing or wrong credentials", schema: NativeErrorSchema } };
declareRoute({
  method: "get",
  operationId: "vonageApplicationGet",
  path: "/api/v1/vonage/application",
  tag: "Vonage Messages",
  summary: "The account's Vonage application: id, API key, signature secret, webhooks",
  description: "Authenticated by the Vonage credentials (Basic api_key:api_secret or the application's JWT) or the native bearer token.",
  security: "vonage_jwt",
  responses: { 200: { description: "The application", schema: ApplicationView }, 404: { description: "No application", schema: NativeErrorSchema }, ...auth },
});
const webhooksRoute = declareRoute({
  method: "put",
  operationId: "vonageApplicationWebhooksPut",
  path: "/api/v1/vonage/application/webhooks",
  tag: "Vonage Messages",
  summary: "Set the application's status and inbound URLs (Vonage's Messages webhooks, signed with the signature secret)",
  description: "An absent field keeps its URL; null removes it. Authenticated like GET /api/v1/vonage/application.",
  security: "vonage_jwt",
  body: Webhooks(false),
  responses: {
    200: { description: "The webhooks", schema: WebhooksView.extend({ signature_secret: z.string() }) },
    400: { description: "Invalid URL", schema: NativeErrorSchema },
    ...auth,
  },
});
nativeRouter.put("/vonage/application/webhooks", async (request, rc) => {
  const accountId = await requireVonageCaller(request, rc);
  const { body: change } = await webhooksRoute.read(request, parseInput, Webhooks(rc.core.config.production));
  const webhooks = await setWebhooks(rc, accountId, change);
  return json({ ...webhooks, signature_secret: await vonageSignatureSecret(rc.core, accountId) });
});
