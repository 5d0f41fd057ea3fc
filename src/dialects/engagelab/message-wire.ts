import * as z from "zod";
import { MAX_RECIPIENTS } from "../../core/campaigns/model";
import {
  audioMedia,
  documentMedia,
  imageMedia,
  languageCode,
  stickerMedia,
  templateComponent,
  templateName,
  textBody,
  videoMedia,
} from "../../core/messages/canonical";
import { withKind } from "../../lib/validation";

/**
 * `POST /v1/messages` as the seed describes it, built from the canonical pieces so Meta's limits
 * apply and each issue names the client's own field (`body.template.name`, `to`).
 */

const MEDIA_PARAMETERS = new Set(["image", "video", "document"]);

/** Header, body and button components; media parameters exist only in the header (seed). */
const EngagelabComponent = templateComponent.superRefine((component, ctx) => {
  if (component.type === "header") return;
  component.parameters.forEach((p, i) => {
    if (MEDIA_PARAMETERS.has(p.type)) {
      ctx.addIssue({ code: "custom", path: ["parameters", i, "type"], message: `${p.type} parameters are allowed in the header component only` });
    }
  });
});

const EngagelabTemplate = z.strictObject({
  name: templateName,
  language: languageCode,
  components: z.array(EngagelabComponent).max(20).optional(),
});

const BODY_TYPES = ["template", "text", "image", "audio", "video", "document", "sticker"] as const;

const EngagelabMessageBody = z
  .object({
    type: z.enum(BODY_TYPES, { error: `must be one of: ${BODY_TYPES.join(", ")}` }),
    template: EngagelabTemplate.optional(),
    text: z.strictObject({ body: textBody }).optional(),
    image: imageMedia.optional(),
    audio: audioMedia.optional(),
    video: videoMedia.optional(),
    document: documentMedia.optional(),
    sticker: stickerMedia.optional(),
  })
  .superRefine((body, ctx) => {
    if (body[body.type] === undefined) {
      ctx.addIssue({ code: "custom", path: [body.type], message: `must be set when body.type is ${body.type}`, params: withKind("required") });
    }
  });

const recipient = z.string().trim().min(1, "must not be empty").max(32, "must be at most 32 characters");

/** One recipient is sent at once; several become a campaign (message-routes.ts). */
const Recipients = z
  .union([recipient, z.array(recipient)], { error: "must be a phone number or an array of phone numbers" })
  .superRefine((to, ctx) => {
    if (!Array.isArray(to)) return;
    if (to.length === 0) ctx.addIssue({ code: "custom", message: "must hold one recipient", params: withKind("too_short") });
    if (to.length > MAX_RECIPIENTS) ctx.addIssue({ code: "custom", message: `must hold at most ${MAX_RECIPIENTS} recipients`, params: withKind("too_long") });
  });

const CUSTOM_ARGS_MAX_BYTES = 4096;

export const EngagelabMessageRequest = z.object({
  from: z.string().trim().min(1, "must not be empty").max(32, "must be at most 32 characters").optional().describe("The sending number; the account's READY number when absent"),
  to: Recipients,
  body: EngagelabMessageBody,
  request_id: z.string().min(1, "must not be empty").max(128, "must be at most 128 characters").optional(),
  custom_args: z
    .record(z.string(), z.unknown(), { error: "must be a JSON object" })
    .refine((args) => JSON.stringify(args).length <= CUSTOM_ARGS_MAX_BYTES, {
      message: `must be at most ${CUSTOM_ARGS_MAX_BYTES} characters of JSON`,
      params: withKind("too_long"),
    })
    .optional(),
}).meta({ id: "EngageLabMessage" });

export type EngagelabMessage = z.output<typeof EngagelabMessageRequest>;

export const EngagelabMessageResponse = z.object({
  message_id: z.string().describe("Tuma's message id; the same on an idempotent retry. Several recipients: the campaign's id, carried by each recipient's status rows"),
  request_id: z.string().optional().describe("The request's request_id, echoed"),
  campaign_id: z.string().optional().describe("Several recipients: the campaign (GET /api/v1/campaigns/{id})"),
  total: z.number().int().optional().describe("Several recipients: how many, each person once"),
  messages: z.array(z.object({ to: z.string(), message_id: z.string() })).optional().describe("Several recipients: each one's own message id (GET /api/v1/messages/{id})"),
});
