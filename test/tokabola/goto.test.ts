import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { BASE, signup, coreContext } from "../helpers";
import { hmacSha256Hex } from "../../src/lib/crypto";
import { GRAPH_APP_ID, GRAPH_APP_SECRET, GRAPH_CONFIG_ID } from "../fakes/graph";

const get = (path: string) => exports.default.fetch(`${BASE}${path}`, { redirect: "manual" });
const start = (fields: Record<string, string>) =>
  exports.default.fetch(`${BASE}/tokabola/goto/addnumber/`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
const startFor = (account: { id: string; key: string }) => start({ id_user: account.id, key_user: account.key });

async function ownerAccount(plan = "OWNER") {
  const account = await signup();
  await coreContext().db.prepare("UPDATE accounts SET plan = ?, plan_expires_at = ? WHERE id = ?").bind(plan, Date.now() + 86_400_000, account.id).run();
  return account;
}

let seq = 0;
const digits = () => `8${(Date.now() % 1_000_000).toString().padStart(6, "0")}${(++seq % 100).toString().padStart(2, "0")}`.replace(/000$/, "001");

describe("toKABOLA goto/addnumber (Embedded Signup)", () => {
  it("the seed's link opens a form asking for key_user, and looks nothing up", async () => {
    const account = await ownerAccount();
    const res = await get(`/tokabola/goto/addnumber/?id_user=${account.id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const html = await res.text();
    expect(html).toContain(`name="id_user" value="${account.id}"`);
    expect(html).toContain(`name="key_user" type="password"`);
    const unknown = await get("/tokabola/goto/addnumber/?id_user=1");
    expect(unknown.status).toBe(200);
    expect(await unknown.text()).toBe(html.replace(`value="${account.id}"`, `value="1"`));
  });

  it("sends an OWNER account that proves its key_user to Meta's Embedded Signup with the app, config and a signed state", async () => {
    const account = await ownerAccount();
    const res = await startFor(account);
    expect(res.status).toBe(302);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const to = new URL(res.headers.get("Location")!);
    expect(to.origin + to.pathname).toBe("https://www.facebook.com/v23.0/dialog/oauth");
    expect(to.searchParams.get("client_id")).toBe(GRAPH_APP_ID);
    expect(to.searchParams.get("config_id")).toBe(GRAPH_CONFIG_ID);
    expect(to.searchParams.get("redirect_uri")).toBe(`${BASE}/tokabola/goto/addnumber/callback`);
    expect(to.searchParams.get("state")).toMatch(new RegExp(`^${account.id}\\.\\d+\\.[0-9a-f]{64}$`));
  });

  it("refuses a wrong key, an unknown account, a missing field and a malformed form with one identical page", async () => {
    const owner = await ownerAccount();
    const trial = await signup();
    const attempts = [
      start({ id_user: owner.id, key_user: trial.key }),
      start({ id_user: trial.id, key_user: owner.key }),
      start({ id_user: "1", key_user: owner.key }),
      start({ id_user: owner.id }),
      start({ id_user: "%%%", key_user: "x".repeat(5000) }),
    ];
    const answers = await Promise.all((await Promise.all(attempts)).map(async (r) => ({ status: r.status, type: r.headers.get("Content-Type"), location: r.headers.get("Location"), body: await r.text() })));
    expect(answers[0]!.status).toBe(401);
    expect(answers[0]!.body).toContain("Identifiants invalides");
    for (const a of answers) expect(a).toEqual(answers[0]);
  });

  it("throttles key_user guessing per id_user, with Retry-After", async () => {
    const owner = await ownerAccount();
    const answers = [];
    for (let i = 0; i < 11; i++) answers.push(await start({ id_user: owner.id, key_user: `1-wrong-${i}` }));
    expect(answers.slice(0, 10).map((r) => r.status)).toEqual(Array(10).fill(401));
    expect(answers[10]!.status).toBe(429);
    expect(answers[10]!.headers.get("Retry-After")).toBe("60");
  });

  it("tells an account that proved its key but is not on OWNER to change plan", async () => {
    const trial = await signup();
    const refused = await startFor(trial);
    expect(refused.status).toBe(403);
    expect(refused.headers.get("Content-Type")).toContain("text/html");
    expect(await refused.text()).toContain("OWNER");
  });

  it("the callback records the shared number, registers it to READY and shows its API key once", async () => {
    const account = await ownerAccount();
    const meta = new URL((await startFor(account)).headers.get("Location")!);
    const n = digits();
    const res = await get(`/tokabola/goto/addnumber/callback?code=es-${n}&state=${encodeURIComponent(meta.searchParams.get("state")!)}`);
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    expect(html).toContain("état READY");
    expect(html).toContain(`<code>4${n}</code>`);
    const row = await coreContext().db.prepare("SELECT account_id, state, waba_id, phone_number_id FROM deployments WHERE phone_number_id = ?").bind(`4${n}`).first();
    expect(row).toEqual({ account_id: account.id, state: "READY", waba_id: `3${n}`, phone_number_id: `4${n}` });
  });

  it("the callback refuses a forged state and a WABA that shares no number", async () => {
    const account = await ownerAccount();
    const forged = await get(`/tokabola/goto/addnumber/callback?code=es-${digits()}&state=${account.id}.9999999999999.${"0".repeat(64)}`);
    expect(forged.status).toBe(400);
    const meta = new URL((await startFor(account)).headers.get("Location")!);
    const none = await get(`/tokabola/goto/addnumber/callback?code=es-81234000&state=${encodeURIComponent(meta.searchParams.get("state")!)}`);
    expect(none.status).toBe(400);
  });

  it("signs the state with EMBEDDED_SIGNUP_KEY alone: a state signed with META_APP_SECRET is refused", async () => {
    const account = await ownerAccount();
    const payload = `${account.id}.${Date.now() + 60_000}`;
    for (const key of [GRAPH_APP_SECRET, "test-embedded-signup-key-0123456789abcdef"]) {
      const forged = await get(`/tokabola/goto/addnumber/callback?code=es-${digits()}&state=${payload}.${await hmacSha256Hex(key, payload)}`);
      expect(forged.status).toBe(400);
    }
  });

  it("the OpenAPI document declares the three paths of the flow, the callback with its query and its answers", async () => {
    const doc = await (await get("/openapi.json")).json<{ paths: Record<string, Record<string, any>> }>();
    expect(Object.keys(doc.paths["/tokabola/goto/addnumber"]!).sort()).toEqual(["get", "post"]);
    const callback = doc.paths["/tokabola/goto/addnumber/callback"]?.get;
    expect(callback?.operationId).toBe("tokabolaAddNumberCallback");
    expect(callback.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`).sort()).toEqual(["query:code", "query:state"]);
    expect(Object.keys(callback.responses).sort()).toEqual(["200", "400", "403", "404", "409", "429", "502", "503"]);
  });
});
