import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  deleteDeployment,
  getProfile,
  provisionNumber,
  requestCode,
  setProfilePhoto,
  updateProfile,
  verifyCode,
} from "../../src/core/numbers/numbers";
import type { Env } from "../../src/config/env";
import type { Logger } from "../../src/lib/log";
import { metaUpstream } from "../../src/upstreams/whatsapp/meta";
import { graphFault } from "../../src/upstreams/whatsapp/meta-errors";
import { retryable } from "../../src/upstreams/whatsapp/types";
import { expectState, newAccount, request, stubOf, uniqueNumber } from "../durable/numbers-helpers";
import { fakePhoneNumberId, GRAPH_TOKEN, GRAPH_WABA_ID } from "../fakes/graph";
import { coreContext } from "../helpers";

const META: Partial<Env> = {
  WHATSAPP_UPSTREAM: "meta",
  META_ACCESS_TOKEN: GRAPH_TOKEN,
  META_APP_SECRET: "test-app-secret",
  META_VERIFY_TOKEN: "test-verify-token",
  META_WABA_ID: GRAPH_WABA_ID,
};
const ctx = () => coreContext(undefined, META);

async function provisionMeta(accountId: string, number: string, inline: boolean) {
  const r = await provisionNumber(ctx(), accountId, request({ number, inline, autoRequestCode: !inline }));
  if (!r.ok) throw r.error;
  return r.value.deployment;
}

async function alarm(id: string) {
  await runDurableObjectAlarm(stubOf(id));
  return (await stubOf(id).view())!;
}

describe("Meta upstream through the fake Graph API", () => {
  it("adds, sends and verifies the code, registers, edits the profile and photo, and deregisters on delete", async () => {
    const accountId = await newAccount();
    const number = uniqueNumber();
    const d = await provisionMeta(accountId, number, true);
    expect(d.state).toBe("CLUSTER_CREATED");
    expect(d.phoneNumberId).toBe(fakePhoneNumberId("243", number));
    expect((await requestCode(ctx(), accountId, d.id, "SMS", "fr_FR")).ok).toBe(true);
    const wrong = await verifyCode(ctx(), accountId, d.id, "999999", { inline: true });
    expect(!wrong.ok && wrong.error.code).toBe("verification_failed");
    const ok = await verifyCode(ctx(), accountId, d.id, "123456", { inline: true });
    expect(ok.ok && ok.value.state).toBe("READY");

    expect((await updateProfile(ctx(), accountId, d.id, { about: "Bonjour", websites: ["https://a.cd"] })).ok).toBe(true);
    const profile = await getProfile(ctx(), accountId, d.id);
    expect(profile.ok && profile.value).toEqual({
      profile: { about: "Live from Meta", vertical: "RETAIL", websites: ["https://a.cd"] },
      photoUrl: "https://pps.whatsapp.net/p.jpg",
    });
    expect((await setProfilePhoto(ctx(), accountId, d.id, "https://images.fake.test/logo.png")).ok).toBe(true);
    const missing = await setProfilePhoto(ctx(), accountId, d.id, "https://images.fake.test/logo.jpg");
    expect(!missing.ok && missing.error.code).toBe("invalid_request");

    expect((await deleteDeployment(ctx(), accountId, d.id)).ok).toBe(true);
    expect((await alarm(d.id)).state).toBe("DELETED");
  });

  it("retries HTTP 503 with backoff and advances only once Meta succeeds", async () => {
    const accountId = await newAccount();
    const d = await provisionMeta(accountId, uniqueNumber("503"), false);
    expect((await alarm(d.id)).state).toBe("CREATING_CLUSTER");
    const first = await alarm(d.id);
    expect(first.state).toBe("CREATING_CLUSTER");
    expect(first.detail).toMatch(/retrying/);
    expect((await alarm(d.id)).state).toBe("CREATING_CLUSTER");
    expect((await alarm(d.id)).state).toBe("CLUSTER_CREATED");
    expect((await alarm(d.id)).state).toBe("CODE_SENT");
  });

  it("retries Meta's transient rate-limit code 80007 and a timeout", async () => {
    const accountId = await newAccount();
    for (const suffix of ["429", "408"]) {
      const d = await provisionMeta(accountId, uniqueNumber(suffix), false);
      await alarm(d.id);
      expect((await alarm(d.id)).state).toBe("CREATING_CLUSTER");
      expect((await alarm(d.id)).state).toBe("CLUSTER_CREATED");
    }
  });

  it("a permanent Meta error moves to ERROR with Meta's message for people", async () => {
    const accountId = await newAccount();
    const d = await provisionMeta(accountId, uniqueNumber("100"), false);
    await alarm(d.id);
    const failed = await alarm(d.id);
    expect(failed).toMatchObject({ state: "ERROR", detail: "This phone number cannot be added" });
    await expectState(d.id, "ERROR");
  });

  it("a transient failure while registering is retried from FINALIZING", async () => {
    const accountId = await newAccount();
    const d = await provisionMeta(accountId, uniqueNumber("131"), false);
    for (let i = 0; i < 3; i++) await alarm(d.id);
    expect((await verifyCode(ctx(), accountId, d.id, "123456", { inline: false })).ok).toBe(true);
    expect((await alarm(d.id)).state).toBe("FINALIZING");
    expect((await alarm(d.id)).state).toBe("FINALIZING");
    expect((await alarm(d.id)).state).toBe("READY");
  });

  it("a deletion Meta refuses for good still ends DELETED, with Meta's reason in the detail", async () => {
    const accountId = await newAccount();
    const d = await provisionMeta(accountId, uniqueNumber("404"), true);
    expect((await requestCode(ctx(), accountId, d.id, "SMS", "fr_FR")).ok).toBe(true);
    expect((await verifyCode(ctx(), accountId, d.id, "123456", { inline: true })).ok).toBe(true);
    expect((await deleteDeployment(ctx(), accountId, d.id)).ok).toBe(true);
    expect(await alarm(d.id)).toMatchObject({ state: "DELETED", detail: "(#100) Phone number not registered" });
  });

  it("logs Meta's code and trace id with every fault, never the token", async () => {
    const lines: Record<string, unknown>[] = [];
    const log: Logger = { log: (level, event, fields) => lines.push({ level, event, ...fields }), child: () => log };
    const up = metaUpstream({ graphUrl: "https://graph.facebook.com", version: "v23.0", accessToken: GRAPH_TOKEN, appId: undefined, timeoutMs: 1000 }, log);
    const r = await up.addNumber({ wabaId: GRAPH_WABA_ID, cc: "243", number: uniqueNumber("100"), verifiedName: "Kin", vnameCertificate: null });
    expect(!r.ok && r.fault).toMatchObject({ kind: "invalid_input", code: 100, traceId: "trace100" });
    expect(lines).toEqual([expect.objectContaining({ level: "error", event: "meta_error", meta_code: 100, meta_trace_id: "trace100", status: 400 })]);
    expect(JSON.stringify(lines)).not.toContain(GRAPH_TOKEN);
  });

  it("without META_ACCESS_TOKEN every call is a permanent fault that says what is missing", async () => {
    const up = metaUpstream({ graphUrl: "https://graph.facebook.com", version: "v23.0", accessToken: undefined, appId: undefined, timeoutMs: 1000 }, coreContext().log);
    const r = await up.deregister("123");
    expect(!r.ok && r.fault).toMatchObject({ kind: "permanent", message: expect.stringContaining("META_ACCESS_TOKEN") });
  });
});

describe("Meta error classification", () => {
  it("5xx, 429, is_transient and Meta's transient codes are retryable; other 4xx are permanent", () => {
    expect(retryable(graphFault(503, undefined, null))).toBe(true);
    expect(retryable(graphFault(429, { code: 17 }, null))).toBe(true);
    expect(retryable(graphFault(400, { code: 131000 }, null))).toBe(true);
    expect(retryable(graphFault(400, { code: 9999, is_transient: true }, null))).toBe(true);
    expect(retryable(graphFault(400, { code: 100 }, null))).toBe(false);
    expect(graphFault(400, { code: 100 }, null)).toMatchObject({ kind: "invalid_input" });
    expect(retryable(graphFault(403, { code: 10 }, null))).toBe(false);
    expect(graphFault(403, { code: 10 }, null)).toMatchObject({ kind: "auth" });
    expect(graphFault(400, { code: 12345 }, null)).toMatchObject({ kind: "permanent" });
  });

  it("Meta's codes stop at the adapter: each one core tells apart becomes a kind, and the code stays as data", () => {
    expect(graphFault(400, { code: 130429 }, null)).toMatchObject({ kind: "throughput_limited", code: 130429 });
    expect(graphFault(400, { code: 131056 }, null)).toMatchObject({ kind: "pair_limited", code: 131056 });
    expect(graphFault(429, { code: 80007 }, null)).toMatchObject({ kind: "rate_limited", code: 80007 });
    expect(graphFault(400, { code: 131047 }, null)).toMatchObject({ kind: "window_closed", code: 131047 });
    expect(graphFault(404, { code: 132001 }, null)).toMatchObject({ kind: "template_missing", code: 132001 });
    expect(graphFault(400, { code: 131026 }, null)).toMatchObject({ kind: "undeliverable", code: 131026 });
    expect(graphFault(401, { code: 190 }, null)).toMatchObject({ kind: "auth", code: 190 });
    expect(graphFault(403, { code: 200 }, null)).toMatchObject({ kind: "auth", code: 200 });
    expect(graphFault(503, { code: 131026 }, null)).toMatchObject({ kind: "transient" });
  });

  it("keeps the trace id from the body, else from the x-fb-trace-id header, and prefers the user message", () => {
    expect(graphFault(400, { code: 100, fbtrace_id: "body" }, "header").traceId).toBe("body");
    expect(graphFault(400, { code: 100 }, "header").traceId).toBe("header");
    expect(graphFault(400, { code: 100, message: "(#100) x", error_user_msg: "Fix it", error_data: { details: "d" } }, null).message).toBe("Fix it");
    expect(graphFault(400, { code: 100, message: "(#100) x", error_data: { details: "d" } }, null).message).toBe("d");
  });

  it("the test Worker has the Graph settings the fake expects", () => {
    expect((env as unknown as Env).META_ACCESS_TOKEN).toBe(GRAPH_TOKEN);
  });
});
