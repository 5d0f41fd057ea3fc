import { expect } from "vitest";
import { engagelab, type EngagelabClient } from "./helpers";

let sequence = 0;
/** A template name no other test uses. */
export const templateName = (prefix = "promo") => `${prefix}_${Date.now().toString(36)}_${++sequence}_${Math.random().toString(36).slice(2, 6)}`;

/** A header document and a body taking text, currency and two date_time parameters (the seed's example). */
export const INVOICE_COMPONENTS = [
  { type: "HEADER", format: "DOCUMENT" },
  { type: "BODY", text: "Bonjour {{1}}, vous devez {{2}} avant le {{3}} (envoyé le {{4}})." },
  { type: "BUTTONS", buttons: [{ type: "URL", text: "Payer", url: "https://pay.example.com/{{1}}" }] },
];

export async function createTemplate(client: EngagelabClient, body: Record<string, unknown>): Promise<string> {
  const res = await engagelab("POST", "/templates", client.auth, body);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json<{ template_id: string }>()).template_id;
}
