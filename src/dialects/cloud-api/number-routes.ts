import * as z from "zod";
import { deploymentIdByPhoneNumberId, getDeployment, getProfile, updateProfile } from "../../core/numbers/numbers";
import { getTemplate } from "../../core/templates/templates";
import { isUploadedMediaId } from "../../core/messages/media-upload";
import { fail, unwrap } from "../../lib/errors";
import { json } from "../../lib/http";
import { declareRoute } from "../../lib/openapi";
import { profileFields, website } from "../profile-fields";
import type { RequestContext } from "../dialect";
import { GraphErrorSchema } from "./errors";
import { GraphSuccess } from "./message-wire";
import { MediaObject, mediaObject } from "./media-routes";
import { CLOUD_API_BASE, cloudApiRouter, graphBody, requireGraphAccount } from "./router";
import { GraphTemplate, templateView } from "./template-routes";
import { webhookConfiguration } from "./update-routes";

/** `GET /{phone-number-id}` and its business profile, for the account's own numbers only (another's is Meta's "object does not exist"). */

const ProfileUpdate = z.strictObject({
  messaging_product: z.literal("whatsapp"),
  about: profileFields.about.optional(),
  address: profileFields.address.optional(),
  description: profileFields.description.optional(),
  email: profileFields.email.optional(),
  websites: z.array(website).max(2, "must hold at most two websites").optional(),
  vertical: profileFields.vertical.optional(),
});
const PhoneNumber = z.object({
  id: z.string(),
  display_phone_number: z.string(),
  verified_name: z.string(),
  code_verification_status: z.enum(["VERIFIED", "NOT_VERIFIED"]),
  quality_rating: z.string(),
  platform_type: z.literal("CLOUD_API"),
  status: z.string().describe("CONNECTED when the number can send; PENDING while it is being verified"),
  webhook_configuration: z
    .object({ application: z.string().optional(), phone_number: z.string().optional() })
    .optional()
    .describe("With ?fields=webhook_configuration: the account's webhook and the number's own (POST /{id})"),
});
const Profile = z.object({ data: z.array(z.object({ messaging_product: z.literal("whatsapp") }).loose()) });

async function ownDeployment(request: Parameters<typeof requireGraphAccount>[0], rc: RequestContext) {
  const accountId = await requireGraphAccount(request, rc);
  return { accountId, deploymentId: unwrap(await deploymentIdByPhoneNumberId(rc.core, accountId, request.params.phoneNumberId!)) };
}

/** Graph ids are global: `GET /{id}` is one of the account's numbers, else a template or a customer's media (media-routes.ts). */
cloudApiRouter.get("/:version/:phoneNumberId", async (request, rc) => {
  const accountId = await requireGraphAccount(request, rc);
  const id = request.params.phoneNumberId!;
  // An upload's id has a shape no number or template id has: straight to R2, no D1 lookup.
  if (isUploadedMediaId(id)) return mediaObject(request, rc, accountId, id, fail("not_found", `Object with ID '${id}' does not exist`));
  const found = await deploymentIdByPhoneNumberId(rc.core, accountId, id);
  if (!found.ok) {
    const template = await getTemplate(rc.core, accountId, id);
    return template.ok ? json(templateView(template.value)) : mediaObject(request, rc, accountId, id, found);
  }
  const d = unwrap(await getDeployment(rc.core, accountId, found.value));
  const ready = d.state === "READY";
  const fields = new URL(request.url).searchParams.get("fields") ?? "";
  return json({
    id: d.phoneNumberId,
    display_phone_number: `+${d.cc} ${d.number}`,
    verified_name: d.verifiedName,
    code_verification_status: ready ? "VERIFIED" : "NOT_VERIFIED",
    quality_rating: "GREEN",
    platform_type: "CLOUD_API",
    status: ready ? "CONNECTED" : "PENDING",
    ...(fields.includes("webhook_configuration") ? { webhook_configuration: await webhookConfiguration(rc, accountId, id) } : {}),
  });
});

cloudApiRouter.get("/:version/:phoneNumberId/whatsapp_business_profile", async (request, rc) => {
  const { accountId, deploymentId } = await ownDeployment(request, rc);
  const { profile, photoUrl } = unwrap(await getProfile(rc.core, accountId, deploymentId));
  return json({ data: [{ ...profile, ...(photoUrl ? { profile_picture_url: photoUrl } : {}), messaging_product: "whatsapp" }] });
});

cloudApiRouter.post("/:version/:phoneNumberId/whatsapp_business_profile", async (request, rc) => {
  const { accountId, deploymentId } = await ownDeployment(request, rc);
  const { messaging_product: _product, ...changes } = await graphBody(request, ProfileUpdate);
  unwrap(await updateProfile(rc.core, accountId, deploymentId, changes));
  return json({ success: true });
});

const err = (description: string) => ({ description, schema: GraphErrorSchema });
const tag = "Meta Cloud API";
const notOwn = err("Another account's number, or no such number (100, subcode 33); invalid parameter (100)");
declareRoute({
  method: "get",
  operationId: "cloudApiGetObject",
  path: `${CLOUD_API_BASE}/{version}/{id}`,
  tag,
  summary: "The account's number as Meta describes a phone number, or its template, or a customer's media (Graph ids are global)",
  description: "For a template id: the template as in the list. For a media id: `{messaging_product, id, url, mime_type, sha256}`; download `url` with the same access token.",
  security: "cloud_api_token",
  responses: { 200: { description: "The number, or the media", schema: z.union([PhoneNumber, GraphTemplate, MediaObject]) }, 400: notOwn, 401: err("Bad access token (190)") },
});
declareRoute({
  method: "get",
  operationId: "cloudApiGetBusinessProfile",
  path: `${CLOUD_API_BASE}/{version}/{phone_number_id}/whatsapp_business_profile`,
  tag,
  summary: "The number's business profile",
  security: "cloud_api_token",
  responses: { 200: { description: "`{data: [profile]}`", schema: Profile }, 400: notOwn, 401: err("Bad access token (190)") },
});
declareRoute({
  method: "post",
  operationId: "cloudApiSetBusinessProfile",
  path: `${CLOUD_API_BASE}/{version}/{phone_number_id}/whatsapp_business_profile`,
  tag,
  summary: "Change the number's business profile (about, address, description, email, websites, vertical)",
  security: "cloud_api_token",
  body: ProfileUpdate,
  responses: { 200: { description: "Changed", schema: GraphSuccess }, 400: notOwn, 401: err("Bad access token (190)") },
});
