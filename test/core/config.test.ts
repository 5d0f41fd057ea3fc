import { env } from "cloudflare:workers";
import { createExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { handleFetch } from "../../src/app/fetch";
import { loadConfig, type Env } from "../../src/config/env";
import { AppError } from "../../src/lib/errors";

const base = env as unknown as Env;

describe("configuration", () => {
  it("defaults both upstreams to the sandbox", () => {
    const config = loadConfig({ ...base, WHATSAPP_UPSTREAM: undefined, MOBILE_MONEY: undefined });
    expect(config.WHATSAPP_UPSTREAM).toBe("sandbox");
    expect(config.MOBILE_MONEY).toBe("sandbox");
    expect(config.production).toBe(false);
  });

  it("names every missing secret in production with the meta and pawapay upstreams", () => {
    const broken = { ...base, ENVIRONMENT: "production", WHATSAPP_UPSTREAM: "meta", MOBILE_MONEY: "pawapay", ADMIN_TOKEN: undefined, META_ACCESS_TOKEN: undefined, META_APP_SECRET: undefined, META_VERIFY_TOKEN: undefined, EMBEDDED_SIGNUP_KEY: undefined };
    let error: unknown;
    try {
      loadConfig(broken);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    const message = (error as AppError).message;
    for (const name of ["ADMIN_TOKEN", "META_ACCESS_TOKEN", "META_APP_SECRET", "META_VERIFY_TOKEN", "META_WABA_ID", "EMBEDDED_SIGNUP_KEY", "PAWAPAY_API_TOKEN"]) {
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
});
