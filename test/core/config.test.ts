import { env } from "cloudflare:workers";
import { createExecutionContext } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { handleFetch } from "../../src/app/fetch";
import { loadConfig, type Env } from "../../src/config/env";
import { AppError } from "../../src/lib/errors";
import { productionEnv } from "../fixtures/production";
import { META } from "../messages/helpers";

const base = env as unknown as Env;

/** The configuration's refusal, as the operator's log line says it. */
function refusal(config: Record<string, unknown>): string {
  try {
    loadConfig(config);
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return (e as AppError).message;
  }
  throw new Error("expected the configuration to be refused");
}

/** A request through the worker with this configuration: its status, and the error lines it logged. */
async function request(config: Env, path = "/api/v1/webhooks", method = "GET") {
  const errors: string[] = [];
  const spy = vi.spyOn(console, "error").mockImplementation((line: string) => void errors.push(line));
  const res = await handleFetch(new Request(`http://tuma.test${path}`, { method }), config, createExecutionContext());
  spy.mockRestore();
  return { status: res.status, body: await res.text(), log: errors.join("\n") };
}

describe("configuration", () => {
  afterEach(() => vi.restoreAllMocks());

  it("defaults both upstreams to the sandbox", () => {
    const config = loadConfig({ ...base, WHATSAPP_UPSTREAM: undefined, MOBILE_MONEY: undefined });
    expect(config.WHATSAPP_UPSTREAM).toBe("sandbox");
    expect(config.MOBILE_MONEY).toBe("sandbox");
    expect(config.production).toBe(false);
  });

  it("treats a secret left empty (NAME= as in .dev.vars.example) as unset, so development still runs on the sandbox", () => {
    const config = loadConfig({ ...base, META_ACCESS_TOKEN: "", PAWAPAY_API_TOKEN: "", WEBHOOK_SIGNING_KEY: "" });
    expect(config.META_ACCESS_TOKEN).toBeUndefined();
    expect(config.WHATSAPP_UPSTREAM).toBe("sandbox");
  });

  it("names every missing secret in production with the meta and pawapay upstreams", () => {
    const broken = { ...base, ENVIRONMENT: "production", WHATSAPP_UPSTREAM: "meta", MOBILE_MONEY: "pawapay", ADMIN_TOKEN: undefined, META_ACCESS_TOKEN: undefined, META_APP_SECRET: undefined, META_VERIFY_TOKEN: undefined, EMBEDDED_SIGNUP_KEY: undefined };
    const message = refusal(broken);
    for (const name of ["ADMIN_TOKEN", "META_ACCESS_TOKEN", "META_APP_SECRET", "META_VERIFY_TOKEN", "META_WABA_ID", "EMBEDDED_SIGNUP_KEY", "PAWAPAY_API_TOKEN", "WEBHOOK_SIGNING_KEY"]) {
      expect(message).toContain(name);
    }
  });

  it("refuses an unknown upstream name", () => {
    expect(() => loadConfig({ ...base, WHATSAPP_UPSTREAM: "twilio" })).toThrow(AppError);
  });

  it("fails the first request clearly, without naming settings to the client", async () => {
    const broken = { ...base, ENVIRONMENT: "production", ADMIN_TOKEN: undefined };
    const res = await handleFetch(new Request("http://tuma.test/tokabola/v1/", { method: "POST", body: "{}" }), broken, createExecutionContext());
    expect(res.status).toBe(503);
    const body = await res.json<any>();
    expect(body.code).toBe(503);
    expect(JSON.stringify(body)).not.toContain("ADMIN_TOKEN");
  });

  it("wrangler.toml's defaults are a working development setup on the sandbox, with the public development keys", () => {
    const config = loadConfig(base);
    expect(config).toMatchObject({ production: false, WHATSAPP_UPSTREAM: "sandbox", MOBILE_MONEY: "sandbox", WEBHOOK_SIGNING_KEY: "tuma-dev-webhook-signing-key" });
  });
});

describe("production configuration fails closed", () => {
  afterEach(() => vi.restoreAllMocks());

  it("a complete production configuration runs", async () => {
    expect(loadConfig(productionEnv())).toMatchObject({ production: true, WHATSAPP_UPSTREAM: "meta", MOBILE_MONEY: "pawapay" });
    expect((await request(productionEnv())).status).toBe(401);
  });

  it.each([
    ["the sandbox WhatsApp upstream", { WHATSAPP_UPSTREAM: "sandbox" }, "WHATSAPP_UPSTREAM=sandbox is refused in production"],
    ["sandbox money", { MOBILE_MONEY: "sandbox" }, "MOBILE_MONEY=sandbox is refused in production"],
    ["pawaPay's sandbox host", { PAWAPAY_BASE_URL: undefined }, "PAWAPAY_BASE_URL is pawaPay's sandbox"],
    ["sandbox charges", { SANDBOX_CHARGES: "true" }, "SANDBOX_CHARGES=true is refused in production"],
    ["a chaos switch", { CHAOS_SEND_BATCH_FAILURE_RATE: "0.05" }, "CHAOS_SEND_BATCH_FAILURE_RATE must be 0 in production"],
    ["the emulated connection cap", { EMULATE_CONNECTION_CAP: "true" }, "EMULATE_CONNECTION_CAP=true is refused in production"],
    ["no webhook signing key (the public development key)", { WEBHOOK_SIGNING_KEY: undefined }, "WEBHOOK_SIGNING_KEY is required in production"],
    ["the public development signing key", { WEBHOOK_SIGNING_KEY: "tuma-dev-webhook-signing-key" }, "WEBHOOK_SIGNING_KEY is a public default"],
    ["the sandbox's public app secret as Meta's", { META_APP_SECRET: "tuma-sandbox-app-secret" }, "META_APP_SECRET is a public default"],
    ["no admin token", { ADMIN_TOKEN: undefined }, "ADMIN_TOKEN is required in production"],
  ])("refuses %s: every request answers 503 and the log names the setting", async (_what, change, message) => {
    const config = productionEnv(change as Partial<Env>);
    expect(refusal(config)).toContain(message);
    const res = await request(config);
    expect(res.status).toBe(503);
    expect(res.log).toContain(message);
    expect(res.body).not.toContain(message.split(/[ =]/)[0]);
  });

  it("a malformed value is named, not a crash", () => {
    expect(refusal(productionEnv({ PAWAPAY_BASE_URL: "api.pawapay.io" }))).toContain("PAWAPAY_BASE_URL");
  });

  it("the sandbox's OTP code cannot matter: production on the sandbox upstream does not run, whatever the code", () => {
    expect(refusal(productionEnv({ WHATSAPP_UPSTREAM: "sandbox", SANDBOX_OTP_CODE: "654321" }))).toContain("WHATSAPP_UPSTREAM=sandbox is refused");
  });

  it("the /sandbox routes answer 404 (development asks for credentials)", async () => {
    expect((await request(productionEnv(), "/sandbox/inbound", "POST")).status).toBe(404);
    expect((await request(base, "/sandbox/inbound", "POST")).status).toBe(401);
  });
});

describe("a real upstream needs real secrets in any environment", () => {
  const development = (overrides: Partial<Env>) => ({ ...base, ...META, ...overrides }) as Env;

  it("Meta with sandbox money is refused in development too (free credit on the operator's Meta bill)", async () => {
    const config = development({ MOBILE_MONEY: "sandbox", PAWAPAY_API_TOKEN: undefined });
    expect(refusal(config)).toContain("MOBILE_MONEY=sandbox is refused with WHATSAPP_UPSTREAM=meta");
    expect((await request(config)).status).toBe(503);
  });

  it("Meta needs its secrets and a webhook signing key: development never signs a real customer's events with the public key", () => {
    const message = refusal(development({ WEBHOOK_SIGNING_KEY: undefined, META_WABA_ID: undefined }));
    expect(message).toContain("WEBHOOK_SIGNING_KEY is required when WHATSAPP_UPSTREAM=meta");
    expect(message).toContain("META_WABA_ID is required when WHATSAPP_UPSTREAM=meta");
    expect(loadConfig(development({})).WEBHOOK_SIGNING_KEY).toBe("test-webhook-signing-key");
  });

  it("pawaPay needs its token", () => {
    expect(refusal({ ...base, MOBILE_MONEY: "pawapay", PAWAPAY_API_TOKEN: undefined })).toContain("PAWAPAY_API_TOKEN is required when MOBILE_MONEY=pawapay");
  });

  it("a public default value is refused as a real secret", () => {
    expect(refusal(development({ WEBHOOK_SIGNING_KEY: "tuma-dev-webhook-signing-key" }))).toContain("WEBHOOK_SIGNING_KEY is a public default");
  });
});
