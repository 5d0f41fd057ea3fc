import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { BASE, signupWithToken, tokabola } from "../helpers";
import { readyNumber, recipient } from "../messages/helpers";

const call = (method: string, path: string, token: string, body?: unknown) =>
  exports.default.fetch(`${BASE}${path}`, {
    method,
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe("native template routes", () => {
  it("create (approved in the sandbox), send it with toKABOLA marketing, list, delete", async () => {
    const account = await signupWithToken();
    await readyNumber(account.id);
    const created = await call("POST", "/api/v1/templates", account.token, {
      name: "promo_noel",
      language: "fr",
      category: "MARKETING",
      components: [{ type: "BODY", text: "Joyeux Noël {{1}} : -20 % jusqu'au {{2}}" }],
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ name: "promo_noel", status: "APPROVED" });
    const dup = await call("POST", "/api/v1/templates", account.token, { name: "promo_noel", language: "fr", category: "MARKETING", components: [{ type: "BODY", text: "x" }] });
    expect(dup.status).toBe(409);

    const sent = await tokabola({ type: "marketing", marketing: { to: recipient(), name: "promo_noel", language: "fr", parameters: ["Ana", "31/12"] } }, account.token);
    expect(sent.status).toBe(200);

    const listed = await call("GET", "/api/v1/templates?category=MARKETING", account.token);
    expect((await listed.json<{ templates: { name: string }[] }>()).templates.map((t) => t.name)).toEqual(["promo_noel"]);
    const other = await signupWithToken();
    expect((await call("DELETE", "/api/v1/templates/promo_noel", other.token)).status).toBe(404);
    expect(await (await call("DELETE", "/api/v1/templates/promo_noel", account.token)).json()).toEqual({ deleted: 1 });
  });

  it("invalid components name the component", async () => {
    const account = await signupWithToken();
    const res = await call("POST", "/api/v1/templates", account.token, { name: "vide", language: "fr", category: "UTILITY", components: [{ type: "FOOTER", text: "x" }] });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain("must have exactly one BODY");
  });
});
