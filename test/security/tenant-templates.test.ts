import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { handleFetch } from "../../src/app/fetch";
import type { Env } from "../../src/config/env";
import { GRAPH_WABA_ID } from "../fakes/graph";
import { BASE, signupWithToken } from "../helpers";
import { fund, META, readyNumber, recipient } from "../messages/helpers";

/** The Worker in Meta mode (the fake Graph API), every account on the operator's WABA. */
const metaEnv = { ...(env as unknown as Env), ...META };
const call = (method: string, path: string, token: string, body?: unknown) =>
  handleFetch(
    new Request(`${BASE}${path}`, {
      method,
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    metaEnv,
    createExecutionContext(),
  );

const onMeta = async (waba: string) => (await (await fetch(`https://graph.facebook.com/v23.0/fake/templates/${waba}`)).json<{ names: string[] }>()).names;
const sentAs = async (to: string) => (await (await fetch(`https://graph.facebook.com/v23.0/fake/sent-template/${to}`)).json<{ name: string | null }>()).name;

async function metaAccount() {
  const account = await signupWithToken();
  await readyNumber(account.id, true);
  await fund(account.id, "CDF", 100_000);
  return account;
}

const welcome = (text: string) => ({ name: "welcome", language: "fr", category: "MARKETING", components: [{ type: "BODY", text }] });

describe("templates of two accounts on the operator's shared WABA", () => {
  it("each account has its own `welcome`: Meta holds them under per-account names, sends use the sender's, and a delete takes only its own", async () => {
    const a = await metaAccount();
    const b = await metaAccount();
    expect((await call("POST", "/api/v1/templates", a.token, welcome("Bonjour {{1}}"))).status).toBe(201);
    // The same plain name in another account is no squat: it is another template on Meta.
    expect((await call("POST", "/api/v1/templates", b.token, welcome("Salut {{1}}"))).status).toBe(201);
    const held = await onMeta(GRAPH_WABA_ID);
    expect(held).toEqual(expect.arrayContaining([`t${a.id}_welcome`, `t${b.id}_welcome`]));
    expect(held).not.toContain("welcome");

    // Each account sees its own template, by its plain name (listing also refreshes it to APPROVED).
    const listed = await (await call("GET", "/api/v1/templates", a.token)).json<{ templates: { name: string; components: unknown[] }[] }>();
    expect(listed.templates).toEqual([expect.objectContaining({ name: "welcome", components: [{ type: "BODY", text: "Bonjour {{1}}" }] })]);
    await call("GET", "/api/v1/templates", b.token);

    // A send naming `welcome` goes to Meta under the sender's own name.
    const to = recipient();
    const sent = await call("POST", "/tokabola/v1/", a.token, { type: "marketing", marketing: { to, name: "welcome", language: "fr", parameters: ["Ana"] } });
    expect(sent.status).toBe(200);
    expect(await sentAs(to)).toBe(`t${a.id}_welcome`);

    // A deletes its `welcome`: B's stays, on Meta and in B's list, and B can still send it.
    expect(await (await call("DELETE", "/api/v1/templates/welcome", a.token)).json()).toEqual({ deleted: 1 });
    const after = await onMeta(GRAPH_WABA_ID);
    expect(after).not.toContain(`t${a.id}_welcome`);
    expect(after).toContain(`t${b.id}_welcome`);
    const bList = await (await call("GET", "/api/v1/templates", b.token)).json<{ templates: { name: string }[] }>();
    expect(bList.templates.map((t) => t.name)).toEqual(["welcome"]);
    const toB = recipient();
    expect((await call("POST", "/tokabola/v1/", b.token, { type: "marketing", marketing: { to: toB, name: "welcome", language: "fr", parameters: ["Ana"] } })).status).toBe(200);
    expect(await sentAs(toB)).toBe(`t${b.id}_welcome`);
    // And A's name is gone for A.
    expect((await call("DELETE", "/api/v1/templates/welcome", a.token)).status).toBe(404);
  });

  it("a name too long once prefixed (Meta's 512) is refused, naming the field and the account's own maximum", async () => {
    const a = await metaAccount();
    const res = await call("POST", "/api/v1/templates", a.token, { ...welcome("Bonjour"), name: "x".repeat(510) });
    expect(res.status).toBe(400);
    const max = 512 - `t${a.id}_`.length;
    expect(JSON.stringify(await res.json())).toContain(`must be at most ${max} characters`);
    expect((await call("POST", "/api/v1/templates", a.token, { ...welcome("Bonjour"), name: "x".repeat(max) })).status).toBe(201);
  });
});
