import * as z from "zod";
import { envelope } from "../core/messages/canonical";
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
