import * as z from "zod";
import { clientUrl } from "../lib/validation";

/** A number's webhook as 360dialog / LAfricaMobile configure it (`/configs/webhook`): shared by the LAM and native routes. */
export const WebhookConfig = (production: boolean) =>
  z.strictObject({
    url: clientUrl(production),
    headers: z
      .record(z.string().regex(/^[A-Za-z0-9-]{1,64}$/, "must be a header name"), z.string().max(1024))
      .optional()
      .describe("Sent with every delivery (e.g. your own auth header)"),
  });

export const WebhookConfigAnswer = z.object({
  url: z.string(),
  headers: z.record(z.string(), z.string()),
  secret: z.string().optional().describe("Tuma-Signature secret, shown when the webhook is first set"),
});
