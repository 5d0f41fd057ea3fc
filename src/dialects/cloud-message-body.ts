import * as z from "zod";
import {
  audioMedia,
  contact,
  documentMedia,
  envelope,
  imageMedia,
  interactive,
  location,
  stickerMedia,
  videoMedia,
} from "../core/messages/canonical";
import { normalizeRecipient } from "../core/messages/recipient";
import { withKind } from "../lib/validation";

/**
 * The envelope of a Cloud API message body as clients write it, shared by the dialects that take
 * Meta's body (LAfricaMobile/360dialog on /lam, Meta's own on /graph): `to` as the client writes it
 * (checked here so one answer names every bad field; the pipeline normalizes it), `context` for
 * replies, `biz_opaque_callback_data`.
 */
export const cloudBodyEnvelope = {
  to: z
    .string()
    .trim()
    .min(1, "must not be empty")
    .max(64)
    .superRefine((value, ctx) => {
      if (value === "") return; // already "must not be empty"
      const normalized = normalizeRecipient(value);
      if (normalized.ok) return;
      const issue = normalized.error.details.issues?.[0];
      ctx.addIssue({ code: "custom", message: issue?.reason ?? normalized.error.message, params: withKind(issue?.kind ?? "invalid_value") });
    })
    .describe("The recipient's WhatsApp id or phone number in international form"),
  context: envelope.context,
  biz_opaque_callback_data: envelope.biz_opaque_callback_data,
};

/**
 * The message types whose Cloud API body is the same in every dialect that takes it (each type's
 * object is the canonical piece, so Meta's limits apply), on the dialect's own envelope; `template`
 * is the dialect's (LAM accepts On-Premise's `namespace`). Text (LAM also takes On-Premise's
 * top-level `preview_url`) and reaction (Graph only) stay in each dialect.
 */
export function cloudTypedBodies<Envelope extends z.ZodRawShape, Template extends z.ZodType>(dialectEnvelope: Envelope, template: Template) {
  return [
    z.strictObject({ ...dialectEnvelope, type: z.literal("image"), image: imageMedia }),
    z.strictObject({ ...dialectEnvelope, type: z.literal("video"), video: videoMedia }),
    z.strictObject({ ...dialectEnvelope, type: z.literal("audio"), audio: audioMedia }),
    z.strictObject({ ...dialectEnvelope, type: z.literal("document"), document: documentMedia }),
    z.strictObject({ ...dialectEnvelope, type: z.literal("sticker"), sticker: stickerMedia }),
    z.strictObject({ ...dialectEnvelope, type: z.literal("template"), template }),
    z.strictObject({ ...dialectEnvelope, type: z.literal("interactive"), interactive }),
    z.strictObject({ ...dialectEnvelope, type: z.literal("location"), location }),
    z.strictObject({ ...dialectEnvelope, type: z.literal("contacts"), contacts: z.array(contact).min(1).max(5) }),
  ] as const;
}

/**
 * A read receipt in the Cloud API body (`POST …/messages` with `status: "read"`): marks the
 * customer's message read, with the typing indicator when asked (shown until the reply, at most 25 s).
 */
export const ReadReceiptBody = z.strictObject({
  messaging_product: z.literal("whatsapp"),
  status: z.literal("read"),
  message_id: z.string().min(1).max(256).describe("The customer's message (wamid) to mark read"),
  typing_indicator: z.strictObject({ type: z.literal("text") }).optional().describe("Shows “typing…” until the reply (at most 25 s)"),
});

/** A body that asks for a read receipt rather than a message. */
export const isReadReceipt = (body: unknown) => typeof body === "object" && body !== null && "status" in body && !("type" in body);
