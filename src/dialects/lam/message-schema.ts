import * as z from "zod";
import { templateObject, textBody } from "../../core/messages/canonical";
import { cloudBodyEnvelope, cloudTypedBodies } from "../cloud-message-body";
import { LamMetaSchema } from "./errors";

/**
 * `POST /lam/messages`: the On-Premise body (`recipient_type` "individual", or the seed's
 * "individu"; `preview_url` beside `text`; `template.namespace` and `language.policy`) and the
 * Cloud body (`messaging_product: "whatsapp"`, `text.preview_url`) are both accepted. Each type's
 * object is the canonical piece, so Meta's limits apply and errors name LAM's own fields.
 */
const lamEnvelope = {
  messaging_product: z.literal("whatsapp").optional().describe("Cloud API style; optional here"),
  recipient_type: z.enum(["individual", "individu"]).optional().describe('"individu" is the seed\'s spelling; both mean individual'),
  ...cloudBodyEnvelope,
};

const lamTemplate = templateObject.extend({
  namespace: z.string().trim().max(128).optional().describe("On-Premise templates' namespace; accepted and ignored"),
});

export const LamMessageSchema = z.discriminatedUnion("type", [
  z.strictObject({
    ...lamEnvelope,
    type: z.literal("text"),
    preview_url: z.boolean().optional().describe("On-Premise place of text.preview_url"),
    text: z.strictObject({ body: textBody, preview_url: z.boolean().optional() }),
  }),
  ...cloudTypedBodies(lamEnvelope, lamTemplate),
]).meta({ id: "LamMessage" });

export type LamMessage = z.output<typeof LamMessageSchema>;

/** 360dialog's answer to an accepted message (201). */
export const LamSentSchema = z.object({
  messages: z.array(z.object({ id: z.string().describe("The WhatsApp message id (wamid.…)") })),
  contacts: z.array(z.object({ input: z.string(), wa_id: z.string() })),
  meta: LamMetaSchema,
}).meta({ id: "LamSent" });
