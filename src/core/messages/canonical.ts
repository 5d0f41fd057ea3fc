import * as z from "zod";
import { mediaLinkProblem } from "../../lib/url-policy";
import { withKind } from "../../lib/validation";

/**
 * The canonical message: Meta's Cloud API message object (reference §2), which every dialect
 * translates into before calling the one send pipeline. The pieces below carry Meta's limits and
 * are exported so each dialect can build its own wire schema from them, and so its errors name its
 * own fields.
 */

const LIMITS = {
  textBody: 4096,
  caption: 1024,
  filename: 240,
  templateName: 512,
  templateParameterText: 32768,
  interactiveBody: 1024,
  headerFooter: 60,
  buttonTitle: 20,
  reactionEmoji: 16,
} as const;

export const textBody = z.string().min(1, "must not be empty").max(LIMITS.textBody, `must be at most ${LIMITS.textBody} characters`);
const caption = z.string().max(LIMITS.caption, `must be at most ${LIMITS.caption} characters`);
export const filename = z
  .string()
  .min(1)
  .max(LIMITS.filename, `must be at most ${LIMITS.filename} characters`)
  .refine((name) => !/[\\/\u0000]/.test(name), { message: "must not contain slashes or NUL characters", params: withKind("invalid_format") });
export const templateName = z
  .string()
  .max(LIMITS.templateName, `must be at most ${LIMITS.templateName} characters`)
  .regex(/^[a-z0-9_]+$/, "must contain only lowercase letters, digits and underscores");
/** Meta's template language codes: `fr`, `fr_FR`, `en_US`, `pt_BR`, `zh_CN`, … */
export const languageCode = z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, "must be a language code such as fr or fr_FR");

/** A public http or https URL (Meta fetches it, not Tuma; src/lib/url-policy.ts). */
const mediaLink = z.string().superRefine((u, ctx) => {
  const problem = mediaLinkProblem(u);
  if (problem) ctx.addIssue({ code: "custom", message: problem, params: withKind("invalid_format") });
});
const mediaId = z.string().regex(/^[A-Za-z0-9._-]{1,128}$/, "must be a media id");

/** Exactly one of `id` or `link`. */
const media = <T extends z.ZodRawShape>(extra: T) =>
  z
    .strictObject({ id: mediaId.optional(), link: mediaLink.optional(), ...extra })
    .refine((m) => exactlyOneSource(m as { id?: unknown; link?: unknown }), "must have exactly one of id or link");

const exactlyOneSource = (m: { id?: unknown; link?: unknown }) => (m.id === undefined) !== (m.link === undefined);

export const imageMedia = media({ caption: caption.optional() });
export const videoMedia = media({ caption: caption.optional() });
export const audioMedia = media({ voice: z.boolean().optional() });
export const documentMedia = media({ caption: caption.optional(), filename: filename.optional() });
export const stickerMedia = media({});

const localizable = z.object({ fallback_value: z.string().min(1).max(1024) }).loose();

const templateParameter = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("text"), text: z.string().min(1).max(LIMITS.templateParameterText), parameter_name: z.string().optional() }),
  z.strictObject({
    type: z.literal("currency"),
    currency: localizable.extend({ code: z.string().regex(/^[A-Z]{3}$/), amount_1000: z.number().int() }),
    parameter_name: z.string().optional(),
  }),
  z.strictObject({ type: z.literal("date_time"), date_time: localizable, parameter_name: z.string().optional() }),
  z.strictObject({ type: z.literal("image"), image: media({}) }),
  z.strictObject({ type: z.literal("video"), video: media({}) }),
  z.strictObject({ type: z.literal("document"), document: media({ filename: filename.optional() }) }),
  z.strictObject({ type: z.literal("payload"), payload: z.string().min(1).max(256) }),
  z.strictObject({ type: z.literal("coupon_code"), coupon_code: z.string().min(1).max(15) }),
]);

export const templateComponent = z.strictObject({
  type: z.enum(["header", "body", "button"]),
  sub_type: z.enum(["quick_reply", "url", "copy_code", "catalog", "flow"]).optional(),
  index: z.union([z.string().regex(/^\d$/), z.number().int().min(0).max(9)]).optional(),
  parameters: z.array(templateParameter).max(100),
});

export const templateObject = z.strictObject({
  name: templateName,
  language: z.strictObject({ code: languageCode, policy: z.literal("deterministic").optional() }),
  components: z.array(templateComponent).max(20).optional(),
});

export const interactive = z
  .object({
    type: z.enum(["button", "list", "cta_url", "product", "product_list", "catalog_message", "flow", "location_request_message"]),
    body: z.object({ text: z.string().min(1).max(4096) }).optional(),
    header: z.object({ type: z.string() }).loose().optional(),
    footer: z.object({ text: z.string().max(LIMITS.headerFooter) }).optional(),
    action: z.object({}).loose(),
  })
  .loose();

export const location = z.strictObject({
  latitude: z.coerce.number().min(-90).max(90),
  longitude: z.coerce.number().min(-180).max(180),
  name: z.string().max(1000).optional(),
  address: z.string().max(1000).optional(),
});

export const contact = z.object({ name: z.object({ formatted_name: z.string().min(1) }).loose() }).loose();

export const envelope = {
  messaging_product: z.literal("whatsapp"),
  recipient_type: z.literal("individual"),
  /** Digits-only international form; see recipient.ts. */
  to: z.string().regex(/^\d{8,15}$/),
  context: z.strictObject({ message_id: z.string().min(1) }).optional(),
  biz_opaque_callback_data: z.string().max(512).optional(),
};

export const CanonicalMessageSchema = z.discriminatedUnion("type", [
  z.strictObject({ ...envelope, type: z.literal("text"), text: z.strictObject({ body: textBody, preview_url: z.boolean().optional() }) }),
  z.strictObject({ ...envelope, type: z.literal("image"), image: imageMedia }),
  z.strictObject({ ...envelope, type: z.literal("video"), video: videoMedia }),
  z.strictObject({ ...envelope, type: z.literal("audio"), audio: audioMedia }),
  z.strictObject({ ...envelope, type: z.literal("document"), document: documentMedia }),
  z.strictObject({ ...envelope, type: z.literal("sticker"), sticker: stickerMedia }),
  z.strictObject({ ...envelope, type: z.literal("template"), template: templateObject }),
  z.strictObject({ ...envelope, type: z.literal("interactive"), interactive }),
  z.strictObject({ ...envelope, type: z.literal("location"), location }),
  z.strictObject({ ...envelope, type: z.literal("contacts"), contacts: z.array(contact).min(1).max(5) }),
  z.strictObject({
    ...envelope,
    type: z.literal("reaction"),
    reaction: z.strictObject({ message_id: z.string().min(1), emoji: z.string().max(LIMITS.reactionEmoji) }),
  }),
]);

export type CanonicalMessage = z.output<typeof CanonicalMessageSchema>;

/** Only templates may be sent outside the 24-hour customer-service window (reference §7.1). */
export const isFreeForm = (message: CanonicalMessage) => message.type !== "template";
