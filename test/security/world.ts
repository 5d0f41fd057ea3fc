import { env, exports } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { exportSPKI, SignJWT, type CryptoKey } from "jose";
import { expect } from "vitest";
import { sendMessage } from "../../src/core/messages/send";
import { SANDBOX_SENDER_ID } from "../../src/core/messages/sender";
import { basic } from "../engagelab/helpers";
import { templateName } from "../engagelab/templates-helpers";
import { seedReadyNumber } from "../fixtures/numbers";
import { BASE, signup, tokabola, tokenFor } from "../helpers";
import { Harness, metaPayload, sinkKey, uniqueWamid } from "../inbound/harness";
import { input, recipient, text } from "../messages/helpers";
import { PAYER } from "../money/helpers";
import { newKeyPair } from "../vonage/helpers";

/**
 * An account with some of everything, made through its own routes (a READY number seeded
 * directly): what the security tests attack (test/security/) and whose state they compare.
 */
export interface World {
  id: string;
  name: string;
  key: string;
  publicKeyPem: string;
  token: string;
  phoneNumberId: string;
  deploymentId: string;
  cc: string;
  number: string;
  apiKey: string;
  devKey: string;
  engagelabAuth: string;
  applicationId: string;
  privateKey: CryptoKey;
  endpointId: string;
  templateName: string;
  templateId: string;
  depositId: string;
  campaignId: string;
  wamid: string;
  customer: string;
  mediaId: string;
  /** A file the account uploaded (R2), by the number's key. */
  uploadedMediaId: string;
  deliveryIds: string[];
  stickerpackId: string;
  /** A Cloud API access token (/graph) and its id. */
  cloudToken: string;
  cloudTokenId: string;
}

/** A request to the worker; a string body is sent verbatim, an object as JSON. */
function call(method: string, path: string, headers: Record<string, string> = {}, body?: unknown): Promise<Response> {
  return exports.default.fetch(`${BASE}${path}`, {
    method,
    headers: body === undefined ? headers : { "Content-Type": "application/json", ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** A Vonage JWT for the world's application (another key or application id to forge one). */
export async function vonageJwt(w: Pick<World, "applicationId" | "privateKey">, applicationId = w.applicationId, key = w.privateKey): Promise<string> {
  const iat = Math.floor(Date.now() / 1000);
  return new SignJWT({ application_id: applicationId, iat, jti: crypto.randomUUID(), exp: iat + 900 }).setProtectedHeader({ typ: "JWT", alg: "RS256" }).sign(key);
}

async function ok<T>(res: Promise<Response>, status = [200, 201, 202]): Promise<T> {
  const r = await res;
  const text = await r.text();
  expect(status, `${r.url}: ${text}`).toContain(r.status);
  return (text ? JSON.parse(text) : {}) as T;
}

export async function buildWorld(): Promise<World> {
  const sink = sinkKey();
  const account = await signup({ webhook: `https://hooks.sink.test/${sink}/ok` });
  const token = await tokenFor(account);
  const auth = bearer(token);
  // An OWNER account: the plan Embedded Signup starts for.
  await env.DB.prepare("UPDATE accounts SET plan = 'OWNER' WHERE id = ?").bind(account.id).run();
  const n = await seedReadyNumber(account.id);
  const endpoint = await ok<{ id: string }>(call("POST", "/api/v1/webhooks", auth, { url: `https://hooks.sink.test/${sink}/dead` }));
  await ok(call("POST", `/api/v1/numbers/${n.phoneNumberId}/webhook`, auth, { url: `https://hooks.sink.test/${sink}/ok` }));
  await ok(call("PUT", "/api/v1/engagelab/callback", auth, { url: `https://hooks.sink.test/${sink}/ok` }));
  await ok(call("POST", "/lam/configs/webhook", { "LAM-API-KEY": n.apiKey }, { url: `https://hooks.sink.test/${sink}/ok` }));
  const devKey = await ok<{ dev_key: string; dev_secret: string }>(call("POST", "/api/v1/engagelab/keys", auth, { label: "world" }));
  const engagelabAuth = basic(devKey.dev_key, devKey.dev_secret);
  const cloud = await ok<{ id: string; access_token: string }>(call("POST", "/api/v1/cloud-api/tokens", auth, { label: "world" }));
  const upload = new FormData();
  upload.set("messaging_product", "whatsapp");
  upload.set("file", new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xd9])], { type: "image/jpeg" }), "world.jpg");
  const uploaded = await ok<{ id: string }>(exports.default.fetch(`${BASE}/lam/media`, { method: "POST", headers: { "LAM-API-KEY": n.apiKey }, body: upload }));
  const { publicKey, privateKey } = await newKeyPair();
  const applicationId = crypto.randomUUID();
  const publicKeyPem = await exportSPKI(publicKey);
  await ok(call("PUT", "/api/v1/vonage/application", auth, { application_id: applicationId, public_key: publicKeyPem }));

  const name = templateName("world");
  const template = await ok<{ template_id: string }>(
    call("POST", "/engagelab/v1/templates", { Authorization: engagelabAuth }, { name, language: "fr", category: "UTILITY", components: [{ type: "BODY", text: "Bonjour {{1}}" }] }),
  );
  const started = await ok<{ data: { deposit_id: string } }>(tokabola({ type: "addfund", addfund: { from: PAYER.completes, amount: "25000", currency: "CDF" } }, token));
  // The sandbox completes a deposit on its second check.
  for (let i = 0; i < 2; i++) await ok(tokabola({ type: "verify", verify: { deposit_id: started.data.deposit_id } }, token));
  const startAt = new Date(Date.now() + 86_400_000).toISOString();
  const campaign = await ok<{ id: string }>(
    call("POST", "/api/v1/campaigns", auth, { template: { name, language: "fr" }, parameters: ["Awa"], recipients: [recipient()], start_at: startAt, sandbox: true }),
  );
  const w = { id: account.id, name: account.name, key: account.key, publicKeyPem, token, ...n, devKey: devKey.dev_key, engagelabAuth, applicationId, privateKey, endpointId: endpoint.id, templateName: name, templateId: template.template_id, depositId: started.data.deposit_id, campaignId: campaign.id, cloudToken: cloud.access_token, cloudTokenId: cloud.id, uploadedMediaId: uploaded.id };
  const vonage = { Authorization: `Bearer ${await vonageJwt(w)}` };
  const packs = await ok<{ stickerpacks: { id: string }[] }>(
    call("POST", `/vonage/v0.1/whatsapp-manager/deployments/${n.deploymentId}/stickerpacks`, vonage, { publisher: "World", name: "Pack" }),
  );
  return { ...w, ...(await conversation(account.id, n.phoneNumberId)), stickerpackId: packs.stickerpacks[0]!.id };
}

/**
 * A customer writes (with an image) and the account answers, through queues the test runs itself
 * with a clock it moves past the 24 h retry window: every delivery is settled (delivered, or dead
 * at the `dead` endpoint) before the world is attacked, so nothing changes it in the background.
 */
async function conversation(accountId: string, phoneNumberId: string) {
  const h = new Harness();
  const customer = recipient();
  const mediaId = `14519${Date.now()}${Math.floor(Math.random() * 1000)}`;
  await h.intake(
    metaPayload(phoneNumberId, {
      contacts: [{ profile: { name: "Client" }, wa_id: customer }],
      messages: [{ from: customer, id: uniqueWamid(), timestamp: String(Math.floor(Date.now() / 1000)), type: "image", image: { mime_type: "image/jpeg", sha256: "abc", id: mediaId } }],
    }),
  );
  await h.runInbound();
  const sent = await sendMessage(h.ctx, input(accountId, text(customer, "Merci, bien reçu")));
  if (!sent.ok) throw sent.error;
  await h.settle();
  for (let i = 0; i < 5; i++) {
    await h.runInbound();
    await h.runDeliveriesUntil(h.clock.now() + 25 * 3_600_000);
  }
  const { results } = await env.DB.prepare("SELECT id FROM deliveries WHERE account_id = ? ORDER BY id").bind(accountId).all<{ id: string }>();
  expect(results.length).toBeGreaterThan(0);
  return { wamid: sent.value.wamid, customer, mediaId, deliveryIds: results.map((r) => r.id) };
}

/** An account with no number that wrote to a customer from the shared sandbox sender (toKABOLA `server: SANDBOX`). */
export async function sharedSenderVictim(): Promise<{ id: string; customer: string }> {
  const account = await signup();
  const customer = recipient();
  const res = await tokabola({ type: "assistance", assistance: { to: customer, method: "text", body: "Bonjour", server: "SANDBOX" } }, await tokenFor(account));
  expect(res.status, await res.clone().text()).toBe(200);
  expect((await res.json<{ data: { phone_number_id: string } }>()).data.phone_number_id).toBe(SANDBOX_SENDER_ID);
  await settled(account.id);
  return { id: account.id, customer };
}

/** Waits for the real queues to finish with an account's sends: every status in (read), every delivery settled. */
async function settled(accountId: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const busy = await env.DB.prepare(
      `SELECT (SELECT COUNT(*) FROM messages WHERE account_id = ?1 AND status != 'read') + (SELECT COUNT(*) FROM deliveries WHERE account_id = ?1 AND state = 'pending') AS n`,
    )
      .bind(accountId)
      .first<number>("n");
    if (busy === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`account ${accountId} never settled`);
}

/** Tables holding an account's rows, with their account column. */
const ACCOUNT_TABLES: [string, string][] = [
  ["accounts", "id"],
  ["tokens", "account_id"],
  ["wallets", "account_id"],
  ["ledger_entries", "account_id"],
  ["holds", "account_id"],
  ["deposits", "account_id"],
  ["deployments", "account_id"],
  ["vonage_applications", "account_id"],
  ["dev_keys", "account_id"],
  ["cloud_api_tokens", "account_id"],
  ["messages", "account_id"],
  ["templates", "account_id"],
  ["idempotency_keys", "account_id"],
  ["inbound_messages", "account_id"],
  ["webhook_endpoints", "account_id"],
  ["deliveries", "account_id"],
  ["campaigns", "account_id"],
];

/** Everything stored for an account: its rows in D1 and its numbers' Deployment records. */
export async function snapshot(accountId: string): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [table, column] of ACCOUNT_TABLES) {
    out[table] = (await env.DB.prepare(`SELECT * FROM ${table} WHERE ${column} = ? ORDER BY rowid`).bind(accountId).all()).results;
  }
  const deployments = out.deployments as { id: string }[];
  for (const d of deployments) {
    out[`deployment:${d.id}`] = await runInDurableObject(env.DEPLOYMENTS.get(env.DEPLOYMENTS.idFromName(d.id)), (_i, state) => state.storage.kv.get("record"));
  }
  return out;
}

export { SANDBOX_SENDER_ID };
