import { describe, expect, it } from "vitest";
import { BASE } from "../helpers";
import { exports } from "cloudflare:workers";
import { basic, engagelab, engagelabClient, errorOf, send } from "./helpers";

const text = { to: "243812345678", body: { type: "text", text: { body: "Bonjour" } } };

describe("EngageLab authentication", () => {
  it("answers 2001 (401) without credentials, with a garbled header, an unknown key or a wrong secret", async () => {
    const client = await engagelabClient();
    for (const auth of [null, "Bearer abc", "Basic !!!", `Basic ${btoa("no-colon")}`, basic("dk_000000000000000000000000", client.devSecret), basic(client.devKey, "ds_wrong")]) {
      expect(await errorOf(await send(auth, text)), String(auth)).toMatchObject({ status: 401, code: 2001 });
    }
  });

  it("answers 2002 (401) for a revoked key presented with its secret, and 2001 when the secret is wrong too", async () => {
    const client = await engagelabClient();
    const revoke = await exports.default.fetch(`${BASE}/api/v1/engagelab/keys/${client.devKey}`, {
      method: "DELETE",
      headers: { Authorization: `Bearer ${client.token}` },
    });
    expect(revoke.status).toBe(204);
    expect(await errorOf(await send(client, text))).toMatchObject({ status: 401, code: 2002, message: expect.stringMatching(/revoked/) });
    expect(await errorOf(await send(basic(client.devKey, "ds_wrong"), text))).toMatchObject({ status: 401, code: 2001 });
    expect(await errorOf(await engagelab("GET", "/templates", client.auth))).toMatchObject({ status: 401, code: 2002 });
  });

  it("checks credentials before the body: a bad body without credentials is 2001", async () => {
    expect(await errorOf(await send(null, "{not json"))).toMatchObject({ status: 401, code: 2001 });
  });

  it("guards every template route", async () => {
    for (const [method, path] of [["GET", "/templates"], ["GET", "/templates/1"], ["POST", "/templates"], ["PUT", "/templates/1"], ["DELETE", "/templates/x"]]) {
      expect(await errorOf(await engagelab(method!, path!, null, method === "POST" || method === "PUT" ? {} : undefined)), `${method} ${path}`).toMatchObject({
        status: 401,
        code: 2001,
      });
    }
  });
});
