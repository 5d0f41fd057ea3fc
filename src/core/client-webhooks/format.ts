import type { CoreContext } from "../../config/context";
import type { CanonicalEvent } from "./events";

/** One client webhook call, before signing. */
export interface OutgoingRequest {
  method: "GET" | "POST";
  url: string;
  headers: Record<string, string>;
  /** JSON text for POST; null for GET (the event is in the query string). */
  body: string | null;
}

/** Where the event goes: the endpoint's URL, and the headers it asked for. */
export interface FormatTarget {
  url: string;
  headers: Record<string, string>;
}

/** A dialect's webhook format: a pure function of the event. */
export type Formatter = (event: CanonicalEvent, target: FormatTarget) => OutgoingRequest;

/**
 * How the endpoints of a format come to be: the only per-format rules core knows, registered by
 * the dialect as data (core never compares a format's name with a literal).
 */
type EndpointPolicy =
  /** Added and removed through the webhook routes, at most `max` per account; each receives every number's events. */
  | { kind: "listed"; max: number }
  /**
   * One per account, or one per number receiving only that number's events, set through its
   * dialect's own routes. A number's endpoint that `replaces` a format takes that number's events
   * away from the account's endpoint of that format (Meta's phone-number callback override).
   */
  | { kind: "configured"; per: "account" | "number"; replaces?: string }
  /**
   * One per account, kept in step with the account's webhook URL (written with the account), so it
   * is never removed on its own: `howToChange` tells a client who tries how to change it. It
   * receives message statuses only when the account opts in (endpoints.ts).
   */
  | { kind: "account-webhook"; howToChange: string };

type PolicyKind = EndpointPolicy["kind"];

/**
 * Headers a format adds to each signed call, for a provider whose receivers check their own
 * signature (Vonage's signed JWT): computed per attempt, after Tuma's own signature.
 */
export type Authorizer = (request: OutgoingRequest, call: { ctx: CoreContext; accountId: string; nowMs: number }) => Promise<Record<string, string>>;

/** A dialect's outgoing webhook format, as it registers it with core. */
export interface WebhookFormat {
  /** Stored with each endpoint (`webhook_endpoints.format`); an opaque key to core. */
  name: string;
  endpoints: EndpointPolicy;
  request: Formatter;
  /** The event types its endpoints take (stored with each configured endpoint); every type when absent. */
  events?: readonly CanonicalEvent["type"][];
  authorize?: Authorizer;
}

/** A registered format whose endpoints come to be as `K` says: what core's endpoint writers take. */
export type FormatOf<K extends PolicyKind> = WebhookFormat & { endpoints: Extract<EndpointPolicy, { kind: K }> };

const isOf = <K extends PolicyKind>(format: WebhookFormat, kind: K): format is FormatOf<K> => format.endpoints.kind === kind;

/**
 * The formats the dialects registered, built once by the layer that knows them all. A delivery
 * finds its endpoint's format here by name, and an endpoint is only ever made in a format taken
 * from here (`endpointFormat`).
 */
export class WebhookFormats {
  readonly #byName: ReadonlyMap<string, WebhookFormat>;

  constructor(formats: readonly WebhookFormat[]) {
    this.#byName = new Map(formats.map((f) => [f.name, f]));
    if (this.#byName.size !== formats.length) throw new Error("Two webhook formats are registered under one name");
  }

  /** The format of a stored endpoint; undefined when no dialect registers that name. */
  find(name: string): WebhookFormat | undefined {
    return this.#byName.get(name);
  }

  /** The registered format `name`, whose endpoints must come to be as `kind` says; anything else is a wiring mistake and throws. */
  endpointFormat<K extends PolicyKind>(name: string, kind: K): FormatOf<K> {
    const format = this.#byName.get(name);
    if (!format || !isOf(format, kind)) throw new Error(`No ${kind} webhook format named ${name} is registered`);
    return format;
  }

  /** Every registered format whose endpoints come to be as `kind` says. */
  ofKind<K extends PolicyKind>(kind: K): FormatOf<K>[] {
    return [...this.#byName.values()].filter((f): f is FormatOf<K> => isOf(f, kind));
  }
}

export const postJson = (target: FormatTarget, body: unknown): OutgoingRequest => ({
  method: "POST",
  url: target.url,
  headers: { ...target.headers, "Content-Type": "application/json" },
  body: JSON.stringify(body),
});
