import type { SendInput } from "../messages/contract";
import type { CampaignRow } from "./model";

/**
 * What every recipient of a campaign gets: Meta's message object without `to` (any type a single
 * send takes), validated per recipient by the single send's own validation (messages/validate.ts).
 * A recipient's own `parameters` are its template's body text parameters, replacing the body
 * component the campaign's message may carry (the header, buttons and the rest stay as written).
 */
export type CampaignMessage = { type: string } & Record<string, unknown>;

type Components = { type: string; parameters: unknown[] }[];

/** A template by name and language, without parameters (the shape the toKABOLA and older native requests name). */
export const templateCampaignMessage = (name: string, language: string): CampaignMessage => ({ type: "template", template: { name, language: { code: language } } });

/** One recipient's message, as the single send's validation takes it. */
export function recipientMessage(message: CampaignMessage, to: string, parameters: string[]): SendInput["message"] {
  let own: CampaignMessage = message;
  if (parameters.length && message.type === "template") {
    const template = message.template as { components?: Components };
    const body = { type: "body", parameters: parameters.map((text) => ({ type: "text", text })) };
    const others = (template.components ?? []).filter((c) => c.type !== "body");
    own = { ...message, template: { ...template, components: [...others, body] } };
  }
  return { messaging_product: "whatsapp", recipient_type: "individual", ...own, to } as SendInput["message"];
}

/** The campaign's message as stored; campaigns written before it was stored whole sent their template with body parameters. */
export function storedMessage(c: Pick<CampaignRow, "message" | "template">): CampaignMessage {
  if (c.message) return JSON.parse(c.message) as CampaignMessage;
  const t = JSON.parse(c.template) as { name: string; upstream?: string; language: { code: string } };
  // Campaigns written before templates were namespaced have no `upstream` name.
  return templateCampaignMessage(t.upstream ?? t.name, t.language.code);
}
