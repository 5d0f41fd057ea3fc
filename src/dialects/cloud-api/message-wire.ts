import * as z from "zod";
import { templateObject, textBody } from "../../core/messages/canonical";
import { cloudBodyEnvelope, cloudTypedBodies } from "../cloud-message-body";

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
  ...cloudTypedBodies(graphEnvelope, templateObject),
  z.strictObject({ ...graphEnvelope, type: z.literal("reaction"), reaction }),
]);

export type GraphMessage = z.output<typeof GraphMessageRequest>;

export const GraphMessageResponse = z.object({
  messaging_product: z.literal("whatsapp"),
  contacts: z.array(z.object({ input: z.string(), wa_id: z.string() })),
  messages: z.array(z.object({ id: z.string().describe("The message id (wamid.…)") })),
});

export const GraphSuccess = z.object({ success: z.literal(true) });
