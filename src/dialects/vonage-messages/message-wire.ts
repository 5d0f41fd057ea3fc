import * as z from "zod";
import { textBody } from "../../core/messages/canonical";
import { withKind } from "../../lib/validation";

/**
 * `POST /v1/messages` for `channel: "whatsapp"`, as Vonage's Messages API and its SDK send it
 * (snake_case). Media come by public URL; the pipeline checks them (http/https, public hosts in
 * production), its limits and the template. Fields Vonage documents and Tuma does not honour are
 * refused by name rather than ignored (`webhook_url`: statuses go to the application's URL).
 */

const url = z.string().trim().min(10, "must be a URL").max(2000, "must be at most 2000 characters");
const caption = z.string().min(1).max(3000, "must be at most 3000 characters");

const MESSAGE_TYPES = ["text", "image", "audio", "video", "file", "sticker", "template", "custom"] as const;

export const VonageMessageRequest = z
  .object({
    channel: z.literal("whatsapp", { error: "must be whatsapp: this gateway sends WhatsApp only" }),
    message_type: z.enum(MESSAGE_TYPES, { error: `must be one of: ${MESSAGE_TYPES.join(", ")}` }),
    to: z.string().trim().min(7, "must be the recipient's number in E.164 form, without +").max(20),
    from: z.string().trim().min(6, "must be the sending number in E.164 form, without +").max(20),
    client_ref: z.string().max(100, "must be at most 100 characters").optional(),
    context: z.strictObject({ message_uuid: z.string().min(1).max(256) }).optional(),
    text: textBody.optional(),
    image: z.strictObject({ url, caption: caption.optional() }).optional(),
    audio: z.strictObject({ url }).optional(),
    video: z.strictObject({ url, caption: caption.optional() }).optional(),
    file: z.strictObject({ url, caption: caption.optional(), name: z.string().min(1).max(240).optional() }).optional(),
    sticker: z.union([z.strictObject({ url }), z.strictObject({ id: z.string().min(1).max(128) })], { error: "must be {url} or {id}" }).optional(),
    template: z.strictObject({ name: z.string().min(1).max(600), parameters: z.array(z.string().min(1)).max(100).optional() }).optional(),
    whatsapp: z
      .object({
        policy: z.literal("deterministic", { error: "must be deterministic (WhatsApp dropped fallback)" }).optional(),
        locale: z.string().regex(/^[a-z]{2,3}([-_][A-Za-z]{2})?$/, "must be a BCP 47 locale such as en-GB or fr").optional(),
        category: z.string().optional(),
      })
      .optional(),
    custom: z.object({ type: z.string().min(1) }).loose().optional(),
    ttl: z.number().int().positive().optional(),
    // Documented as refused: any value fails (z.never has no OpenAPI form).
    webhook_url: z.unknown().refine((v) => v === undefined, "is not supported: statuses go to the application's status URL").optional(),
    webhook_version: z.string().optional(),
  })
  .superRefine((m, ctx) => {
    if (m[m.message_type] === undefined) {
      ctx.addIssue({ code: "custom", path: [m.message_type], message: `must be set when message_type is ${m.message_type}`, params: withKind("required") });
    }
    if (m.message_type === "template" && !m.whatsapp?.locale) {
      ctx.addIssue({ code: "custom", path: ["whatsapp", "locale"], message: "must be set for a template", params: withKind("required") });
    }
  });

export type VonageMessage = z.output<typeof VonageMessageRequest>;

export const VonageMessageResponse = z.object({
  message_uuid: z.string().describe("The message's id (UUID form); status webhooks carry it"),
});
