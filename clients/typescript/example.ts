import { createTumaClient } from "./src";

/**
 * The README's walk-through as code (type-checked by `npm run typecheck`): a toKABOLA account, a
 * token, a webhook endpoint for the statuses, a text through the sandbox. Answers the message's wamid.
 */
export async function sendFirstMessage(baseUrl: string, to: string, webhookUrl: string): Promise<string> {
  const anonymous = createTumaClient({ baseUrl });
  const created = await anonymous.POST("/tokabola/v1", { body: { type: "signup", signup: { name: "Boutique Ana" } } });
  if (created.error) throw new Error(created.error.message); // toKABOLA's { status, code, message }
  const { id_user, key_user } = created.data.data as { id_user: string; key_user: string };

  const issued = await anonymous.POST("/tokabola/v1", { body: { type: "token", token: { id_user, key_user } } });
  if (issued.error) throw new Error(issued.error.message);
  const client = createTumaClient({ baseUrl, token: (issued.data.data as { token: string }).token });

  // The sandbox's statuses (sent, delivered, read) reach this endpoint; GET /api/v1/deliveries lists them.
  const endpoint = await client.POST("/api/v1/webhooks", { body: { url: webhookUrl } });
  if (endpoint.error) throw new Error(endpoint.error.error.message); // the native API's { error: { code, message } }

  const sent = await client.POST("/tokabola/v1", { body: { type: "assistance", assistance: { method: "text", server: "SANDBOX", to, body: "Bonjour" } } });
  if (sent.error) throw new Error(sent.error.message);
  return (sent.data.data as { message_id: string }).message_id;
}
