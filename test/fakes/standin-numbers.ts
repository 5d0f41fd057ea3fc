/**
 * The Meta stand-in (meta-standin.ts) behind graph.facebook.com, for the numbers a test hands it:
 * `POST https://standin.fake.test/numbers/<phone_number_id>` (JSON StandinOptions without
 * functions: latencyMs, ratePerSecond, …) gives that number its own stand-in, so its sends take
 * Meta's latency, bucket and pair limit while every other number keeps graph.ts's instant fake.
 * `GET https://standin.fake.test/numbers/<phone_number_id>` answers its counters (sends accepted,
 * refusals, most requests open at once overall and per invocation). No statuses are posted.
 */
import { MetaStandin, type StandinOptions } from "./meta-standin.ts";

const standins = new Map<string, MetaStandin>();

/** The stand-in of the number a send names, if a test registered it. */
export function routeToStandin(request: Request): Promise<Response> | null {
  const [, phoneNumberId, edge] = new URL(request.url).pathname.split("/").filter(Boolean);
  const standin = edge === "messages" && phoneNumberId ? standins.get(phoneNumberId) : undefined;
  return standin ? standin.handle(request) : null;
}

export async function standinControl(request: Request): Promise<Response> {
  const [kind, phoneNumberId] = new URL(request.url).pathname.split("/").filter(Boolean);
  if (kind !== "numbers" || !phoneNumberId) return new Response("unknown stand-in route", { status: 404 });
  if (request.method === "POST") {
    const options = (await request.json()) as Pick<StandinOptions, "latencyMs" | "jitter" | "ratePerSecond" | "pairWindowMs">;
    standins.set(phoneNumberId, new MetaStandin(options));
    return new Response(null, { status: 204 });
  }
  const standin = standins.get(phoneNumberId);
  return standin ? Response.json(standin.counters) : new Response("no stand-in for this number", { status: 404 });
}
