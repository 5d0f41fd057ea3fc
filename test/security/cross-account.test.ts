import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { BASE } from "../helpers";
import { ROUTE_CASES, TOKABOLA_CASES, type Attempt, type Auth, type Victims } from "./cross-account-cases";
import { bearer, buildWorld, sharedSenderVictim, snapshot, vonageJwt, type World } from "./world";

interface Operation {
  key: string;
  method: string;
  path: string;
}

async function operations(): Promise<Operation[]> {
  const doc = await (await exports.default.fetch(`${BASE}/openapi.json`)).json<{ paths: Record<string, Record<string, unknown>> }>();
  return Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => ({ key: `${m.toUpperCase()} ${path}`, method: m.toUpperCase(), path })));
}

/** The `type`s the toKABOLA endpoint documents (its request schema is a union of one object per action). */
async function tokabolaTypes(): Promise<string[]> {
  const doc = await (await exports.default.fetch(`${BASE}/openapi.json`)).json<{ paths: Record<string, Record<string, any>> }>();
  const schema = doc.paths["/tokabola/v1"]!.post.requestBody.content["application/json"].schema;
  return (schema.anyOf as { properties: { type: { enum: [string] } } }[]).map((s) => s.properties.type.enum[0]);
}

async function headersFor(auth: Auth, b: World): Promise<Record<string, string>> {
  if (auth === "none") return {};
  if (auth === "bearer") return bearer(b.token);
  if (auth === "lam") return { "LAM-API-KEY": b.apiKey };
  if (auth === "engagelab") return { Authorization: b.engagelabAuth };
  if (auth === "cloud") return bearer(b.cloudToken);
  if (auth === "vonage") return { Authorization: `Bearer ${await vonageJwt(b)}` };
  if ("vonageForged" in auth) return { Authorization: `Bearer ${await vonageJwt(b, FORGED.applicationId, b.privateKey)}` };
  return auth.header;
}
const FORGED = { applicationId: "" };

/** What must never show in an answer to B: A's ids and secrets (those B did not send itself). */
function markersOf(a: World): string[] {
  return [a.phoneNumberId, a.deploymentId, a.apiKey, a.devKey, a.applicationId, a.endpointId, a.templateName, a.templateId, a.depositId, a.campaignId, a.wamid, a.customer, a.mediaId, a.uploadedMediaId, a.stickerpackId, a.key, a.token, a.cloudToken, a.cloudTokenId, ...a.deliveryIds, `"${a.id}"`, a.name];
}

/**
 * A refusal reached past validation: no credentials, not allowed, not found, or in use. EngageLab
 * says "no such resource" with 400 and code 4001; Vonage's Messages API says another account's
 * number is an "Invalid sender", 422 #1120; Meta's Cloud API says an object the token cannot see
 * "does not exist", 400 with code 100 and subcode 33.
 */
function refusal(path: string, status: number, text: string): boolean {
  return (
    [401, 403, 404, 409].includes(status) ||
    (path.startsWith("/engagelab/") && status === 400 && text.includes('"code":4001')) ||
    (path.startsWith("/vonage/v1/") && status === 422 && text.includes("#1120")) ||
    (path.startsWith("/graph/") && status === 400 && text.includes('"error_subcode":33')) ||
    // The Embedded Signup return is a page: a state it cannot verify is its 400 "invalid link".
    (path.startsWith("/tokabola/goto/addnumber/callback") && status === 400 && text.includes("Lien invalide"))
  );
}

interface Outcome {
  route: string;
  attempt: Attempt;
  status: number;
  breach: string | null;
}

async function attack(route: Operation, attempt: Attempt, v: Victims): Promise<Outcome> {
  const path = attempt.path ?? route.path;
  const sent = `${path} ${JSON.stringify(attempt.body ?? attempt.form ?? null)}`;
  const multipart = attempt.multipart ? new FormData() : undefined;
  for (const [name, value] of Object.entries(attempt.multipart ?? {})) multipart!.set(name, value);
  const body = multipart ?? (attempt.form ? new URLSearchParams(attempt.form).toString() : attempt.body === undefined ? undefined : JSON.stringify(attempt.body));
  const contentType = attempt.form ? "application/x-www-form-urlencoded" : "application/json";
  const res = await exports.default.fetch(`${BASE}${path}`, {
    method: attempt.method ?? route.method,
    redirect: "manual",
    headers: { ...(await headersFor(attempt.auth, v.b)), ...(body === undefined || multipart ? {} : { "Content-Type": contentType }) },
    body,
  });
  const text = `${[...res.headers].map(([k, h]) => `${k}: ${h}`).join("\n")}\n${await res.text()}`;
  const leaked = markersOf(v.a).filter((m) => !sent.includes(m.replaceAll('"', "")) && text.includes(m));
  let breach: string | null = null;
  if (res.status >= 500) breach = `answered ${res.status}`;
  else if (attempt.expect === "refused" && !refusal(path, res.status, text)) breach = `not refused: ${res.status} ${text.slice(-300)}`;
  else if (leaked.length) breach = `shows A's ${leaked.join(", ")}`;
  return { route: route.key, attempt, status: res.status, breach };
}

describe("Cross-account: B's credentials against A's resources, on every documented route", () => {
  it("every route has cross-account cases declared, and every toKABOLA type", async () => {
    const missing = (await operations()).map((o) => o.key).filter((k) => k !== "POST /tokabola/v1" && !(k in ROUTE_CASES));
    expect(missing, "declare these routes' cross-account attempts in test/security/cross-account-cases.ts").toEqual([]);
    expect((await tokabolaTypes()).filter((t) => !(t in TOKABOLA_CASES))).toEqual([]);
  });

  it("refuses every attempt, shows none of A's data, and leaves A (and a shared-sender account) unchanged", async () => {
    const [a, b, shared] = await Promise.all([buildWorld(), buildWorld(), sharedSenderVictim()]);
    const v: Victims = { a, b, shared };
    FORGED.applicationId = a.applicationId;
    const before = { a: await snapshot(a.id), shared: await snapshot(shared.id) };

    const ops = await operations();
    // Rotating B's key and re-registering B's Vonage application run last: both end B's current credentials.
    const last = ["PUT /api/v1/vonage/application", "POST /api/v1/account/rotate-key"];
    const ordered = [...ops.filter((o) => !last.includes(o.key)), ...last.map((k) => ops.find((o) => o.key === k)!)];
    const outcomes: Outcome[] = [];
    for (const op of ordered) {
      const attempts = op.key === "POST /tokabola/v1" ? Object.values(TOKABOLA_CASES).flatMap((c) => c(v)) : ROUTE_CASES[op.key]!(v);
      for (const attempt of attempts) outcomes.push(await attack(op, attempt, v));
    }
    // What the injected customer message could have triggered runs in the background: let it.
    await new Promise((r) => setTimeout(r, 1500));

    const breaches = outcomes.filter((o) => o.breach);
    console.log(`cross-account: ${ops.length} routes, ${outcomes.length} attempts, ${breaches.length} successes`);
    expect.soft(breaches.map((o) => `${o.route} — ${o.attempt.label}: ${o.breach}`)).toEqual([]);
    expect.soft(await snapshot(a.id), "A's stored state").toEqual(before.a);
    expect.soft(await snapshot(shared.id), "the shared-sender account's stored state").toEqual(before.shared);
  }, 60_000);
});
