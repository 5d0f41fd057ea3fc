import { env, exports } from "cloudflare:workers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BASE } from "../helpers";
import { badBodies, badQuery, badSegment, type JsonSchema } from "./malformed";
import { bearer, buildWorld, snapshot, vonageJwt, type World } from "./world";

/** Change it to explore; a failure prints it, and the same seed replays the same requests. */
const SEED = 20261121;
/** Requests per route (bounded: the whole file runs in seconds). */
const RUNS = 16;

/** Routes with no input to get wrong: any request to them does their (legitimate) work. */
const NO_INPUT = new Set(["POST /api/v1/account/rotate-key", "DELETE /api/v1/engagelab/callback"]);

/** What a body must never show: stack traces, SQL, store and runtime errors, source paths. */
const INTERNALS = /\bat \S+ \(|\bD1_|SQLITE|\bSELECT\b|\bINSERT INTO\b|TypeError|ReferenceError|RangeError|Maximum call stack|\/src\/|\.ts:\d+|node_modules|undefined is not|Cannot read prop/;

interface Operation {
  key: string;
  method: string;
  path: string;
  security: string | null;
  request: JsonSchema | null;
}

async function operations(): Promise<Operation[]> {
  const doc = await (await exports.default.fetch(`${BASE}/openapi.json`)).json<{ paths: Record<string, Record<string, any>> }>();
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([m, op]) => ({
      key: `${m.toUpperCase()} ${path}`,
      method: m.toUpperCase(),
      path,
      security: op.security[0] ? Object.keys(op.security[0])[0]! : null,
      request: op.requestBody?.content["application/json"]?.schema ?? null,
    })),
  );
}

async function credentials(security: string | null, w: World): Promise<Record<string, string>> {
  if (security === "bearer") return bearer(w.token);
  if (security === "admin") return bearer((env as unknown as { ADMIN_TOKEN: string }).ADMIN_TOKEN);
  if (security === "lam_api_key") return { "LAM-API-KEY": w.apiKey };
  if (security === "engagelab_basic") return { Authorization: w.engagelabAuth };
  if (security === "vonage_jwt") return { Authorization: `Bearer ${await vonageJwt(w)}` };
  if (security === "cloud_api_token") return bearer(w.cloudToken);
  return {};
}

/** The world's own value for a path parameter, so a bad body reaches the handler behind a real id. */
function ownId(w: World, path: string, param: string): string {
  if (param === "id") return path.includes("/webhooks/") ? w.endpointId : path.includes("/deliveries/") ? w.deliveryIds[0]! : path.includes("/campaigns/") ? w.campaignId : w.mediaId;
  const ids: Record<string, string> = {
    phone_number_id: w.phoneNumberId,
    deployment_id: w.deploymentId,
    template: w.templateId,
    name: w.templateName,
    dev_key: w.devKey,
    token_id: w.cloudTokenId,
    media_id: w.mediaId,
    version: "v23.0",
    waba_id: "100000000000000",
    stickerpack_id: w.stickerpackId,
    sticker_index: "0",
  };
  return ids[param] ?? "x";
}

interface Sent {
  route: string;
  url: string;
  kind: string;
  status: number;
  problem: string | null;
}

/**
 * Bad path parameters on every route; on routes with a body, bad bodies behind the world's own
 * ids (admin routes excepted: their ids stay bad, so no slip can touch what other tests share).
 */
function requestsFor(op: Operation, w: World): fc.Arbitrary<{ path: string; kind: string; body?: { contentType: string; body: string } }> {
  const params = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const admin = op.security === "admin";
  const segment = (p: string) => (op.request && !admin ? fc.oneof(fc.constant(encodeURIComponent(ownId(w, op.path, p))), badSegment) : badSegment);
  const path = fc.tuple(...params.map(segment)).map((values) => params.reduce((acc, p, i) => acc.replace(`{${p}}`, values[i]!), op.path));
  if (op.request) return fc.tuple(path, badBodies(op.request)).map(([p, b]) => ({ path: p, kind: b.kind, body: b }));
  if (params.length) return path.map((p) => ({ path: p, kind: "bad path parameter" }));
  return badQuery.map((q) => ({ path: op.path + q, kind: "bad query" }));
}

async function send(op: Operation, w: World, r: { path: string; kind: string; body?: { contentType: string; body: string } }): Promise<Sent> {
  const res = await exports.default.fetch(`${BASE}${r.path}`, {
    method: op.method,
    redirect: "manual",
    headers: { ...(await credentials(op.security, w)), ...(r.body ? { "Content-Type": r.body.contentType } : {}) },
    body: r.body?.body,
  });
  const text = await res.text();
  // The operator's own listings show stored diagnostics on purpose (why an event failed); their
  // error answers, and every answer a client gets, must show nothing internal.
  const leak = op.security === "admin" && res.ok ? null : INTERNALS.exec(text);
  const problem = res.status >= 500 ? `answered ${res.status}: ${text.slice(0, 200)}` : leak ? `shows "${leak[0]}": ${text.slice(0, 300)}` : null;
  return { route: op.key, url: r.path.slice(0, 120), kind: r.kind, status: res.status, problem };
}

describe("Fuzz: malformed input of every kind on every route of /openapi.json", () => {
  it("never answers 5xx, never shows internals, and changes nothing", async () => {
    const w = await buildWorld();
    const before = await snapshot(w.id);
    const ops = (await operations()).filter((o) => !NO_INPUT.has(o.key));
    const sent: Sent[] = [];
    for (const op of ops) {
      for (const r of fc.sample(requestsFor(op, w), { seed: SEED, numRuns: RUNS })) sent.push(await send(op, w, r));
    }
    const problems = sent.filter((s) => s.problem);
    console.log(`fuzz (seed ${SEED}): ${ops.length} routes, ${sent.length} requests, ${sent.filter((s) => s.status >= 500).length} answered 5xx`);
    expect.soft(problems.map((p) => `[seed ${SEED}] ${p.route} ${p.kind} ${p.url}: ${p.problem}`)).toEqual([]);
    expect.soft(await snapshot(w.id), `[seed ${SEED}] the account's stored state`).toEqual(before);
    // The budget grows with the routes (83 routes, 1,328 requests: ~35 s alone, over 60 s beside the whole suite on two shared cores).
  }, 120_000);
});
