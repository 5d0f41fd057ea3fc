import * as z from "zod";
import {
  audioMedia,
  contact,
  documentMedia,
  imageMedia,
  interactive,
  location,
  stickerMedia,
  templateObject,
  textBody,
  videoMedia,
} from "../../core/messages/canonical";
import { cloudBodyEnvelope } from "../cloud-message-body";

/**
 * `POST /{phone-number-id}/messages` as Meta's OpenAPI has it: a message of any type (each type's
 * object is the canonical piece, so Meta's limits apply), or a read receipt (`status: "read"`,
 * with the typing indicator when asked).
 */
const graphEnvelope = {
  messaging_product: z.literal("whatsapp").describe('Always "whatsapp"'),
  recipient_type: z.literal("individual").optional(),
  ...cloudBodyEnvelope,
};

const reaction = z.strictObject({
  message_id: z.string().min(1).describe("The wamid reacted to"),
  emoji: z.string().max(16).describe("An emoji; empty removes the reaction"),
});

export const GraphMessageRequest = z.discriminatedUnion("type", [
  z.strictObject({ ...graphEnvelope, type: z.literal("text"), text: z.strictObject({ body: textBody, preview_url: z.boolean().optional() }) }),
  z.strictObject({ ...graphEnvelope, type: z.literal("image"), image: imageMedia }),
  z.strictObject({ ...graphEnvelope, type: z.literal("video"), video: videoMedia }),
  z.strictObject({ ...graphEnvelope, type: z.literal("audio"), audio: audioMedia }),
  z.strictObject({ ...graphEnvelope, type: z.literal("document"), document: documentMedia }),
  z.strictObject({ ...graphEnvelope, type: z.literal("sticker"), sticker: stickerMedia }),
  z.strictObject({ ...graphEnvelope, type: z.literal("template"), template: templateObject }),
  z.strictObject({ ...graphEnvelope, type: z.literal("interactive"), interactive }),
  z.strictObject({ ...graphEnvelope, type: z.literal("location"), location }),
  z.strictObject({ ...graphEnvelope, type: z.literal("contacts"), contacts: z.array(contact).min(1).max(5) }),
  z.strictObject({ ...graphEnvelope, type: z.literal("reaction"), reaction }),
]);

export type GraphMessage = z.output<typeof GraphMessageRequest>;

export const GraphMessageResponse = z.object({
  messaging_product: z.literal("whatsapp"),
  contacts: z.array(z.object({ input: z.string(), wa_id: z.string() })),
  messages: z.array(z.object({ id: z.string().describe("The message id (wamid.…)") })),
});

export const GraphSuccess = z.object({ success: z.literal(true) });
