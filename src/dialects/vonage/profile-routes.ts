import * as z from "zod";
import { getProfile, setProfilePhoto, updateProfile } from "../../core/numbers/numbers";
import { unwrap } from "../../lib/errors";
import { json } from "../../lib/http";
import { declareRoute } from "../../lib/openapi";
import type { BusinessProfile } from "../../upstreams/whatsapp/types";
import { photoUrl, profileFields } from "../profile-fields";
import { VonageErrorSchema } from "./errors";
import { requireVonageAccount, VONAGE_BASE, vonageParse, vonageRouter } from "./router";

/** Vonage's vertical labels and Meta's codes for them. */
const VERTICALS: Record<string, string> = {
  Automotive: "AUTO",
  "Beauty, Spa and Salon": "BEAUTY",
  "Clothing and Apparel": "APPAREL",
  Education: "EDU",
  Entertainment: "ENTERTAIN",
  "Event Planning and Service": "EVENT_PLAN",
  "Finance and Banking": "FINANCE",
  "Food and Grocery": "GROCERY",
  "Public Service": "GOVT",
  "Hotel and Lodging": "HOTEL",
  "Medical and Health": "HEALTH",
  "Non-profit": "NONPROFIT",
  "Professional Services": "PROF_SERVICES",
  "Shopping and Retail": "RETAIL",
  "Travel and Transportation": "TRAVEL",
  Restaurant: "RESTAURANT",
  Other: "OTHER",
};
const LABELS = Object.fromEntries(Object.entries(VERTICALS).map(([label, code]) => [code, label]));
const verticalLabels = Object.keys(VERTICALS) as [string, ...string[]];

const Profile = z.object({
  about: profileFields.about.optional(),
  address: profileFields.address.optional(),
  description: profileFields.description.optional(),
  email: profileFields.email.optional(),
  vertical: z.enum(verticalLabels).optional(),
  websites: profileFields.websites.optional(),
});

function vonageProfile(p: BusinessProfile) {
  const { vertical, ...rest } = p;
  return { ...rest, ...(vertical ? { vertical: LABELS[vertical] ?? "Other" } : {}) };
}

const path = (p: string) => `${VONAGE_BASE}/deployments/{deployment_id}${p}`;
const err = (description: string) => ({ description, schema: VonageErrorSchema });

vonageRouter.get("/deployments/:id/profile", async (request, rc) => {
  const accountId = await requireVonageAccount(request, rc);
  return json(vonageProfile(unwrap(await getProfile(rc.core, accountId, request.params.id!)).profile));
});
declareRoute({
  method: "get",
  path: path("/profile"),
  operationId: "vonageGetProfile",
  tag: "Vonage WhatsApp Manager",
  summary: "Get the business profile",
  security: "vonage_jwt",
  responses: { 200: { description: "The profile", schema: Profile }, 401: err("unauthorized"), 404: err("not-found") },
});

const updateProfileRoute = declareRoute({
  method: "patch",
  path: path("/profile"),
  operationId: "vonageUpdateProfile",
  tag: "Vonage WhatsApp Manager",
  summary: "Update the business profile (any subset of fields; READY deployments only)",
  security: "vonage_jwt",
  body: Profile,
  responses: {
    200: { description: "The updated profile", schema: Profile },
    400: err("invalid-json"),
    401: err("unauthorized"),
    404: err("not-found"),
    409: err("conflict-deployment-state"),
    422: err("unprocessable-profile-update"),
  },
});
vonageRouter.patch("/deployments/:id/profile", async (request, rc) => {
  const accountId = await requireVonageAccount(request, rc);
  const { vertical, ...rest } = (await updateProfileRoute.read(request, vonageParse("profile"))).body;
  const changes: BusinessProfile = { ...rest, ...(vertical ? { vertical: VERTICALS[vertical] } : {}) };
  return json(vonageProfile(unwrap(await updateProfile(rc.core, accountId, request.params.id!, changes)).profile));
});

const Photo = z.object({ image_url: z.string().nullable() });

vonageRouter.get("/deployments/:id/profile/photo", async (request, rc) => {
  const accountId = await requireVonageAccount(request, rc);
  return json({ image_url: unwrap(await getProfile(rc.core, accountId, request.params.id!)).photoUrl });
});
declareRoute({
  method: "get",
  path: path("/profile/photo"),
  operationId: "vonageGetProfilePhoto",
  tag: "Vonage WhatsApp Manager",
  summary: "Get the profile photo URL (null when none is set)",
  security: "vonage_jwt",
  responses: { 200: { description: "The photo", schema: Photo }, 401: err("unauthorized"), 404: err("not-found") },
});

const setPhotoRoute = declareRoute({
  method: "post",
  path: path("/profile/photo"),
  operationId: "vonageSetProfilePhoto",
  tag: "Vonage WhatsApp Manager",
  summary: "Set the profile photo from a .png or .jpg URL",
  security: "vonage_jwt",
  body: z.object({ image_url: z.string() }),
  responses: {
    200: { description: "The photo", schema: Photo },
    400: err("invalid-json"),
    401: err("unauthorized"),
    404: err("not-found"),
    422: err("unprocessable"),
  },
});
vonageRouter.post("/deployments/:id/profile/photo", async (request, rc) => {
  const accountId = await requireVonageAccount(request, rc);
  const { image_url } = (await setPhotoRoute.read(request, vonageParse(), z.object({ image_url: photoUrl(rc.core.config.production) }))).body;
  return json({ image_url: unwrap(await setProfilePhoto(rc.core, accountId, request.params.id!, image_url)).photoUrl });
});
