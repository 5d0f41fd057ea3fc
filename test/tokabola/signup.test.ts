import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/lib/crypto";
import { signup, tokabola, uniqueName } from "../helpers";

describe("toKABOLA signup", () => {
  it("creates an account with a numeric id_user, a 1-… key_user shown once, and a 3-day trial", async () => {
    const name = uniqueName();
    const res = await tokabola({
      type: "signup",
      signup: {
        name,
        description: "Ma boutique",
        logourl: "https://www.example.com/img/logo.png",
        webhook: "https://www.example.com/webhook/",
      },
    });
    expect(res.status).toBe(201);
    const body = await res.json<any>();
    expect(body.status).toBe("success");
    expect(body.data.id_user).toMatch(/^\d{9}$/);
    expect(body.data.key_user).toMatch(/^1-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(body.data.type_abonnement).toBe("TRIAL");
    const expiry = Date.parse(`${body.data.date_expiration}T${body.data.time_expiration}Z`);
    expect(expiry - Date.now()).toBeGreaterThan(3 * 24 * 3600_000 - 60_000);
    expect(expiry - Date.now()).toBeLessThanOrEqual(3 * 24 * 3600_000);
  });

  it("stores only a hash of key_user", async () => {
    const account = await signup();
    const row = await env.DB.prepare("SELECT * FROM accounts WHERE id = ?").bind(account.id).first<Record<string, unknown>>();
    expect(Object.values(row!)).not.toContain(account.key);
    expect(row!.key_hash).toBe(await sha256Hex(account.key));
  });

  it("refuses a name already used, ignoring case and surrounding spaces, with 1002", async () => {
    const first = await signup();
    const res = await tokabola({ type: "signup", signup: { name: `  ${first.name.toUpperCase()} ` } });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({
      status: "error",
      code: 1002,
      message: "Création de compte impossible. Nom du compte existant.",
    });
  });

  it("requires a name, with 1001 naming the field", async () => {
    const res = await tokabola({ type: "signup", signup: { description: "sans nom" } });
    expect(res.status).toBe(400);
    const body = await res.json<any>();
    expect(body.code).toBe(1001);
    expect(body.errors.map((e: any) => e.field)).toContain("signup.name");
    expect(body.message).toContain("signup.name");
  });

  it("refuses a blank name", async () => {
    const res = await tokabola({ type: "signup", signup: { name: "   " } });
    expect((await res.json<any>()).errors[0].field).toBe("signup.name");
  });

  it("refuses non-https URLs but allows http on localhost outside production", async () => {
    const bad = await tokabola({ type: "signup", signup: { name: uniqueName(), webhook: "http://example.com/hook" } });
    expect(bad.status).toBe(400);
    expect((await bad.json<any>()).errors[0].field).toBe("signup.webhook");

    const notUrl = await tokabola({ type: "signup", signup: { name: uniqueName(), logourl: "logo.png" } });
    expect((await notUrl.json<any>()).errors[0].field).toBe("signup.logourl");

    const local = await tokabola({ type: "signup", signup: { name: uniqueName(), webhook: "http://localhost:9000/hook" } });
    expect(local.status).toBe(201);
  });

  it("refuses unknown fields inside signup rather than silently dropping them", async () => {
    const res = await tokabola({ type: "signup", signup: { name: uniqueName(), webhok: "https://x.example" } });
    expect(res.status).toBe(400);
    expect((await res.json<any>()).code).toBe(1001);
  });

  it("writes nothing when the request is invalid", async () => {
    const name = uniqueName();
    await tokabola({ type: "signup", signup: { name, webhook: "ftp://nope" } });
    const row = await env.DB.prepare("SELECT id FROM accounts WHERE name = ?").bind(name).first();
    expect(row).toBeNull();
  });
});
