import * as z from "zod";
import { deploymentIdByPhoneNumberId, getProfile, updateProfile } from "../../core/numbers/numbers";
import { unwrap } from "../../lib/errors";
import { json } from "../../lib/http";
import { declareRoute } from "../../lib/openapi";
import type { BusinessProfile } from "../../upstreams/whatsapp/types";
import { requireAccount } from "../bearer";
import { profileFields } from "../profile-fields";
import { NativeErrorSchema } from "./errors";
import { nativeRouter } from "./router";

/** A number's WhatsApp business profile in the native API: the same core as toKABOLA's `update` (number) and the Cloud API's whatsapp_business_profile. */
const Param = z.object({ phone_number_id: z.string().regex(/^\d{5,20}$/, "must be a numeric id") });
const fields = {
  about: profileFields.about.describe("The short text under the name, at most 139 characters"),
  address: profileFields.address,
  description: profileFields.description,
  email: profileFields.email,
  websites: profileFields.websites.describe("One or two http(s) URLs"),
  vertical: profileFields.vertical.describe("The business's category, Meta's code"),
};
const ProfileSchema = z
  .object({
    phone_number_id: z.string(),
    about: fields.about.optional(),
    address: fields.address.optional(),
    description: fields.description.optional(),
    email: fields.email.optional(),
    websites: fields.websites.optional(),
    vertical: fields.vertical.optional(),
    photo_url: z.string().nullable().describe("The profile photo (set it with toKABOLA `update` or Vonage)"),
  })
  .meta({ id: "NumberProfile" });
const errors = {
  401: { description: "Missing, unknown or expired token", schema: NativeErrorSchema },
  404: { description: "No such number for this account", schema: NativeErrorSchema },
  502: { description: "WhatsApp did not answer; retry", schema: NativeErrorSchema },
};

const profileJson = (phoneNumberId: string, { profile, photoUrl }: { profile: BusinessProfile; photoUrl: string | null }) => ({ phone_number_id: phoneNumberId, ...profile, photo_url: photoUrl });

const getRoute = declareRoute({
  method: "get",
  path: "/api/v1/numbers/{phone_number_id}/profile",
  operationId: "getNumberProfile",
  tag: "Native: numbers",
  summary: "The number's business profile (live from WhatsApp once the number is READY)",
  security: "bearer",
  params: Param,
  responses: { 200: { description: "The profile", schema: ProfileSchema }, ...errors },
});
nativeRouter.get("/numbers/:phone_number_id/profile", async (request, rc) => {
  const accountId = await requireAccount(request, rc);
  const { params } = await getRoute.read(request);
  const id = unwrap(await deploymentIdByPhoneNumberId(rc.core, accountId, params.phone_number_id));
  return json(profileJson(params.phone_number_id, unwrap(await getProfile(rc.core, accountId, id))));
});

const putRoute = declareRoute({
  method: "put",
  path: "/api/v1/numbers/{phone_number_id}/profile",
  operationId: "updateNumberProfile",
  tag: "Native: numbers",
  summary: "Change the number's business profile; fields left out keep their value",
  description: "As toKABOLA `update` (account `number`) and the Cloud API's POST whatsapp_business_profile. The number must be READY.",
  security: "bearer",
  params: Param,
  body: z
    .strictObject({
      about: fields.about.optional(),
      address: fields.address.optional(),
      description: fields.description.optional(),
      email: fields.email.optional(),
      websites: fields.websites.optional(),
      vertical: fields.vertical.optional(),
    })
    .refine((o) => Object.keys(o).length > 0, "must change at least one profile field"),
  examples: { shop: { summary: "A shop's profile", value: { about: "Ouvert 8h-20h", address: "Av. du Commerce 12, Kinshasa", websites: ["https://boutique.example.cd"], vertical: "RETAIL" } } },
  responses: {
    200: { description: "The profile after the change", schema: ProfileSchema },
    400: { description: "Invalid field, or no field", schema: NativeErrorSchema },
    ...errors,
    409: { description: "The number is not READY", schema: NativeErrorSchema },
  },
});
nativeRouter.put("/numbers/:phone_number_id/profile", async (request, rc) => {
  const accountId = await requireAccount(request, rc);
  const { params, body } = await putRoute.read(request);
  const id = unwrap(await deploymentIdByPhoneNumberId(rc.core, accountId, params.phone_number_id));
  return json(profileJson(params.phone_number_id, unwrap(await updateProfile(rc.core, accountId, id, body))));
});
