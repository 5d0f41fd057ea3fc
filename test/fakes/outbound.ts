/**
 * Runs in Node, inside miniflare's `outboundService`: every outbound `fetch` of the Worker lands
 * here, so the code calls the real upstream URLs and the fakes decide what answers. There is no
 * internet in tests; a host without a fake gets a 599 that names it.
 *
 * Fakes are deterministic on their inputs (a payer number, a phone number, an id), so test files
 * running side by side never need to share or reset state.
 */
import { fakePawapay } from "./pawapay.ts";
import { graphFake, imagesFake } from "./graph.ts";
import { graphMedia, lookaside } from "./meta-media.ts";
import { exampleHooks, webhookSink } from "./webhook-sink.ts";
import { routeToStandin, standinControl } from "./standin-numbers.ts";

type Fake = (request: Request) => Promise<Response> | Response;

const fakes: Record<string, Fake> = {
  // The issues that add upstreams register their fake per host here.
  "api.sandbox.pawapay.io": fakePawapay,
  "graph.facebook.com": (request) => routeToStandin(request) ?? graphMedia(request) ?? graphFake(request),
  "standin.fake.test": standinControl,
  "lookaside.fbsbx.com": lookaside,
  "images.fake.test": imagesFake,
  "hooks.sink.test": webhookSink,
  "hooks.example.com": exampleHooks,
  "echo.fake.test": async (request) =>
    Response.json({ method: request.method, url: request.url, body: request.body ? await request.text() : null }),
};

export async function outboundService(request: Request): Promise<Response> {
  const host = new URL(request.url).host;
  const fake = fakes[host];
  if (!fake) return new Response(`no fake for ${host}`, { status: 599 });
  return fake(request);
}
