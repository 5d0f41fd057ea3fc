import type { EndpointFormat } from "./endpoints";
import type { CanonicalEvent } from "./events";

/** One client webhook call, before signing. */
export interface OutgoingRequest {
  method: "GET" | "POST";
  url: string;
  headers: Record<string, string>;
  /** JSON text for POST; null for GET (the event is in the query string). */
  body: string | null;
}

/** Where the event goes: the endpoint's URL now, and the headers it asked for (LAfricaMobile). */
export interface FormatTarget {
  url: string;
  headers: Record<string, string>;
}

/** A dialect's webhook format: a pure function of the event. */
export type Formatter = (event: CanonicalEvent, target: FormatTarget) => OutgoingRequest;

/** Each endpoint format's formatter, as the dialects define them (the app passes them in). */
export type WebhookFormats = Readonly<Record<EndpointFormat, Formatter>>;

export const postJson = (target: FormatTarget, body: unknown): OutgoingRequest => ({
  method: "POST",
  url: target.url,
  headers: { ...target.headers, "Content-Type": "application/json" },
  body: JSON.stringify(body),
});
