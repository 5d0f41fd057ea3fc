import { exports } from "cloudflare:workers";
import { expect } from "vitest";
import { BASE } from "../helpers";

export const basic = (key: string, secret: string) => `Basic ${btoa(`${key}:${secret}`)}`;

let sequence = 0;

/**
 * An APPROVED utility template with this body (the sandbox approves at once), made with the
 * account's API key pair through the EngageLab template route: Vonage's api_key/api_secret and
 * EngageLab's dev_key/dev_secret are the same credential.
 */
export async function createTemplateWith(auth: string, body: string, language = "fr"): Promise<string> {
  const name = `vonage_${Date.now().toString(36)}_${++sequence}_${Math.random().toString(36).slice(2, 6)}`;
  const res = await exports.default.fetch(`${BASE}/engagelab/v1/templates`, {
    method: "POST",
    headers: { Authorization: auth, "Content-Type": "application/json" },
    body: JSON.stringify({ name, language, category: "UTILITY", components: [{ type: "BODY", text: body, example: { body_text: [["Awa", "4821"]] } }] }),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return name;
}
