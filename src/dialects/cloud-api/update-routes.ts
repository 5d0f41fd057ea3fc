import * as z from "zod";
import { configuredEndpoint, deleteConfiguredEndpoint, setConfiguredEndpoint } from "../../core/client-webhooks/endpoints";
import { deploymentIdByPhoneNumberId } from "../../core/numbers/numbers";
import { getTemplate, updateTemplate } from "../../core/templates/templates";
import { AppError, unwrap } from "../../lib/errors";
import { json } from "../../lib/http";
import { declareRoute } from "../../lib/openapi";
import { clientUrl } from "../../lib/validation";
import { WEBHOOK_FORMATS } from "../client-webhook-formats";
import type { RequestContext } from "../dialect";
import { GraphErrorSchema } from "./errors";
import { GraphSuccess } from "./message-wire";
import { CLOUD_API_BASE, cloudApiRouter, graphBody, requireGraphAccount } from "./router";
import { TEMPLATE_CATEGORY } from "./template-routes";
import { verifyLikeMeta } from "./webhook-handshake";

/**
 * `POST /{id}`, as Graph updates an object by its id: one of the account's numbers takes Meta's
 * `webhook_configuration` (its own callback URL, verified with Meta's handshake first, instead of
 * the account's for that number's events; an empty `override_callback_uri` removes it), one of its
 * templates takes Meta's edit (`components`, `category`). Another account's id is Meta's 100/33.
 */
const APP = WEBHOOK_FORMATS.endpointFormat("cloud-api", "configured");
const NUMBER = WEBHOOK_FORMATS.endpointFormat("cloud-api-number", "configured");

const NumberUpdate = (production: boolean) =>
  z.strictObject({
    webhook_configuration: z.strictObject({
      override_callback_uri: z.union([z.literal(""), clientUrl(production)]).describe("The number's own webhook; \"\" removes it (events go to the account's webhook again)"),
      verify_token: z.string().min(1).max(256).optional().describe("Sent as hub.verify_token in Meta's verification request; required with a URL"),
    }),
  });
const TemplateEdit = z
  .strictObject({
    category: TEMPLATE_CATEGORY.optional(),
    components: z.array(z.unknown()).optional(),
    message_send_ttl_seconds: z.number().int().optional().describe("Accepted as Meta does; Tuma keeps no TTL"),
  })
  .refine((b) => b.category !== undefined || b.components !== undefined, { message: "must have components or category", path: ["components"] });

async function setNumberWebhook(request: Request, rc: RequestContext, accountId: string, phoneNumberId: string): Promise<void> {
  const { override_callback_uri: url, verify_token: verifyToken } = (await graphBody(request, NumberUpdate(rc.core.config.production))).webhook_configuration;
  if (url === "") {
    await deleteConfiguredEndpoint(rc.core, NUMBER, accountId, phoneNumberId);
    return;
  }
  if (!verifyToken) throw new AppError("invalid_request", "Invalid parameter", { issues: [{ field: "webhook_configuration.verify_token", kind: "required", reason: "is required with override_callback_uri" }] });
  await verifyLikeMeta(rc, url, verifyToken);
  await setConfiguredEndpoint(rc.core, NUMBER, accountId, phoneNumberId, url, null);
}

/** Meta's `webhook_configuration` field of a number: the account's URL and the number's own, when set. */
export async function webhookConfiguration(rc: RequestContext, accountId: string, phoneNumberId: string): Promise<Record<string, string>> {
  const [app, own] = await Promise.all([configuredEndpoint(rc.core, APP, accountId, null), configuredEndpoint(rc.core, NUMBER, accountId, phoneNumberId)]);
  return { ...(app?.url ? { application: app.url } : {}), ...(own?.url ? { phone_number: own.url } : {}) };
}

cloudApiRouter.post("/:version/:id", async (request, rc) => {
  const accountId = await requireGraphAccount(request, rc);
  const id = request.params.id!;
  const number = await deploymentIdByPhoneNumberId(rc.core, accountId, id);
  if (number.ok) {
    await setNumberWebhook(request, rc, accountId, id);
    return json({ success: true });
  }
  if (!(await getTemplate(rc.core, accountId, id)).ok) unwrap(number);
  const edit = await graphBody(request, TemplateEdit);
  unwrap(await updateTemplate(rc.core, accountId, id, { category: edit.category, components: edit.components }));
  return json({ success: true });
});

declareRoute({
  method: "post",
  operationId: "cloudApiUpdateObject",
  path: `${CLOUD_API_BASE}/{version}/{id}`,
  tag: "Meta Cloud API",
  summary: "Change one of the account's numbers (webhook_configuration) or templates (components, category)",
  description:
    "A number: `{webhook_configuration: {override_callback_uri, verify_token}}` sends that number's messages, statuses and errors to its own URL (after Meta's GET verification " +
    "request succeeds), signed with the account's app secret; `override_callback_uri: \"\"` removes it. A template: Meta's edit body, `{components?, category?}`.",
  security: "cloud_api_token",
  body: z.union([NumberUpdate(false), TemplateEdit]),
  responses: {
    200: { description: "Changed", schema: GraphSuccess },
    400: { description: "Invalid parameter (100), the URL failed the verification request (100), another account's id (100, subcode 33)", schema: GraphErrorSchema },
    401: { description: "Bad access token (190)", schema: GraphErrorSchema },
  },
});
