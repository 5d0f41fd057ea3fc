import * as z from "zod";
import {
  addNumberNow,
  deploymentIdByPhoneNumberId,
  requestCode,
  setProfilePhoto,
  updateProfile,
  verifyCode,
} from "../../../core/numbers/numbers";
import { unwrap } from "../../../lib/errors";
import type { BusinessProfile } from "../../../upstreams/whatsapp/types";
import { photoUrl, profileFields, website } from "../../profile-fields";
import { defineAction, defineUpdateTarget } from "../action";

const language = z.string().trim().regex(/^[a-z]{2}_[A-Z]{2}$/, "must look like fr_FR").default("fr_FR");
const phoneNumberId = z.union([z.string().trim().regex(/^\d{5,20}$/, "must be a numeric id"), z.number().int().positive()]).transform(String);
const digits = (min: number, max: number) =>
  z
    .string()
    .transform((s) => s.replace(/[\s().+-]/g, ""))
    .pipe(z.string().regex(new RegExp(`^\\d{${min},${max}}$`), `must be ${min} to ${max} digits`));

export const add = defineAction({
  type: "add",
  summary: "Add a new number: runs to CLUSTER_CREATED and returns its phone_number_id (keep it) and API key (shown once)",
  auth: true,
  body: () =>
    z.object({
      type: z.literal("add"),
      add: z.strictObject({
        cc: digits(1, 3),
        phone_number: digits(4, 14),
        phone_name: z.string().trim().min(2, "must be 2 to 75 characters").max(75, "must be 2 to 75 characters"),
        language,
      }),
    }),
  data: z.object({
    phone_number_id: z.string(),
    deployment_id: z.string(),
    cc: z.string(),
    phone_number: z.string(),
    phone_name: z.string(),
    status: z.string(),
    api_key: z.string().describe("The number's API key, shown once; only its hash is stored"),
  }),
  async run(rc, { add: a }, accountId) {
    const { deployment, apiKey } = unwrap(
      await addNumberNow(rc.core, accountId!, { cc: a.cc, number: a.phone_number, verifiedName: a.phone_name, method: "SMS", language: a.language }),
    );
    return {
      message: "Numéro ajouté. Conservez phone_number_id et api_key, puis demandez le code avec ask_code.",
      data: {
        phone_number_id: deployment.phoneNumberId,
        deployment_id: deployment.id,
        cc: deployment.cc,
        phone_number: deployment.number,
        phone_name: a.phone_name,
        status: deployment.state,
        api_key: apiKey,
      },
    };
  },
});

export const number = defineAction({
  type: "number",
  summary: "Activate a number: method ask_code (SMS or VOICE) sends the code, method verify checks it and makes the number READY",
  auth: true,
  body: () =>
    z.object({
      type: z.literal("number"),
      number: z.discriminatedUnion("method", [
        z.strictObject({
          method: z.literal("ask_code"),
          phone_number_id: phoneNumberId,
          otp_type: z.enum(["SMS", "VOICE"]).default("SMS"),
          language,
        }),
        z.strictObject({
          method: z.literal("verify"),
          phone_number_id: phoneNumberId,
          otp_code: z.union([z.string().trim(), z.number().int().transform(String)]).pipe(z.string().regex(/^\d{6}$/, "must be 6 digits")),
        }),
      ]),
    }),
  data: z.object({ phone_number_id: z.string(), status: z.string() }),
  async run(rc, { number: n }, accountId) {
    const id = unwrap(await deploymentIdByPhoneNumberId(rc.core, accountId!, n.phone_number_id));
    if (n.method === "ask_code") {
      const d = unwrap(await requestCode(rc.core, accountId!, id, n.otp_type, n.language));
      return { message: `Code envoyé par ${n.otp_type}.`, data: { phone_number_id: n.phone_number_id, status: d.state } };
    }
    const d = unwrap(await verifyCode(rc.core, accountId!, id, n.otp_code, { inline: true }));
    return { message: "Numéro activé.", data: { phone_number_id: n.phone_number_id, status: d.state } };
  },
});

/** `update` with `update.account = "number"`: the number's WhatsApp business profile; `logo` becomes its photo. */
export const updateNumber = defineUpdateTarget({
  name: "number",
  summary: "Change the number's business profile (about, address, description, websites, email) and logo",
  body: ({ production }) =>
    z.object({
      number: z
        .strictObject({
          phone_number_id: phoneNumberId,
          about: profileFields.about.optional(),
          address: profileFields.address.optional(),
          description: profileFields.description.optional(),
          websites: z.union([website.transform((w) => [w]), profileFields.websites]).optional(),
          email: profileFields.email.optional(),
          logo: photoUrl(production).optional(),
          language: language.optional(),
        })
        .refine((o) => Object.keys(o).some((k) => k !== "phone_number_id" && k !== "language"), "must change at least one profile field"),
    }),
  async run(rc, { number: n }, accountId) {
    const id = unwrap(await deploymentIdByPhoneNumberId(rc.core, accountId, n.phone_number_id));
    const { phone_number_id, logo, language: _language, ...changes } = n;
    let view = Object.keys(changes).length
      ? unwrap(await updateProfile(rc.core, accountId, id, changes as BusinessProfile))
      : null;
    if (logo) view = unwrap(await setProfilePhoto(rc.core, accountId, id, logo));
    return {
      message: "Profil du numéro mis à jour.",
      data: { phone_number_id, ...view!.profile, logo: view!.photoUrl },
    };
  },
});
