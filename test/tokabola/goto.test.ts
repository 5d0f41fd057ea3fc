import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { BASE, signup, coreContext } from "../helpers";
import { GRAPH_APP_ID, GRAPH_CONFIG_ID } from "../fakes/graph";

const get = (path: string) => exports.default.fetch(`${BASE}${path}`, { redirect: "manual" });

async function ownerAccount(plan = "OWNER") {
  const account = await signup();
  await coreContext().db.prepare("UPDATE accounts SET plan = ?, plan_expires_at = ? WHERE id = ?").bind(plan, Date.now() + 86_400_000, account.id).run();
  return account;
}

let seq = 0;
const digits = () => `8${(Date.now() % 1_000_000).toString().padStart(6, "0")}${(++seq % 100).toString().padStart(2, "0")}`.replace(/000$/, "001");

describe("toKABOLA goto/addnumber (Embedded Signup)", () => {
  it("sends an OWNER account to Meta's Embedded Signup with the app, config and a signed state", async () => {
    const account = await ownerAccount();
    const res = await get(`/tokabola/goto/addnumber/?id_user=${account.id}`);
    expect(res.status).toBe(302);
    const to = new URL(res.headers.get("Location")!);
    expect(to.origin + to.pathname).toBe("https://www.facebook.com/v23.0/dialog/oauth");
    expect(to.searchParams.get("client_id")).toBe(GRAPH_APP_ID);
    expect(to.searchParams.get("config_id")).toBe(GRAPH_CONFIG_ID);
    expect(to.searchParams.get("redirect_uri")).toBe(`${BASE}/tokabola/goto/addnumber/callback`);
    expect(to.searchParams.get("state")).toMatch(new RegExp(`^${account.id}\\.\\d+\\.[0-9a-f]{64}$`));
  });

  it("refuses other plans, and unknown accounts, with a clear page", async () => {
    const trial = await signup();
    const refused = await get(`/tokabola/goto/addnumber/?id_user=${trial.id}`);
    expect(refused.status).toBe(403);
    expect(refused.headers.get("Content-Type")).toContain("text/html");
    expect(await refused.text()).toContain("OWNER");
    expect((await get("/tokabola/goto/addnumber/?id_user=1")).status).toBe(404);
  });

  it("the callback records the shared number, registers it to READY and shows its API key once", async () => {
    const account = await ownerAccount();
    const start = new URL((await get(`/tokabola/goto/addnumber/?id_user=${account.id}`)).headers.get("Location")!);
    const n = digits();
    const res = await get(`/tokabola/goto/addnumber/callback?code=es-${n}&state=${encodeURIComponent(start.searchParams.get("state")!)}`);
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain("état READY");
    expect(html).toContain(`<code>4${n}</code>`);
    const row = await coreContext().db.prepare("SELECT account_id, state, waba_id, phone_number_id FROM deployments WHERE phone_number_id = ?").bind(`4${n}`).first();
    expect(row).toEqual({ account_id: account.id, state: "READY", waba_id: `3${n}`, phone_number_id: `4${n}` });
  });

  it("the callback refuses a forged state and a WABA that shares no number", async () => {
    const account = await ownerAccount();
    const forged = await get(`/tokabola/goto/addnumber/callback?code=es-${digits()}&state=${account.id}.9999999999999.${"0".repeat(64)}`);
    expect(forged.status).toBe(400);
    const start = new URL((await get(`/tokabola/goto/addnumber/?id_user=${account.id}`)).headers.get("Location")!);
    const none = await get(`/tokabola/goto/addnumber/callback?code=es-81234000&state=${encodeURIComponent(start.searchParams.get("state")!)}`);
    expect(none.status).toBe(400);
  });
});
