import { describe, expect, it } from "vitest";
import { applySandboxStatuses, SANDBOX_STATUS_KIND, sandboxSteps } from "../../src/core/messages/sandbox-statuses";
import { NOT_ON_WHATSAPP } from "../../src/upstreams/whatsapp/sandbox";
import { sendMessage } from "../../src/core/messages/send";
import { recordStatus } from "../../src/core/messages/status";
import { consumeBatch } from "../../src/app/queues";
import { SANDBOX_SENDER_ID } from "../../src/core/messages/sender";
import { input, messageByWamid, newAccount, readyNumber, recipient, sandboxCtx, text } from "./helpers";

async function accepted() {
  const accountId = await newAccount();
  await readyNumber(accountId);
  const sent = await sendMessage(sandboxCtx(undefined, { SANDBOX_STATUS_DELAY_SECONDS: "60" }), input(accountId, text(recipient())));
  if (!sent.ok) throw sent.error;
  return { wamid: sent.value.wamid, number: sent.value.phoneNumberId };
}

const statusOf = async (wamid: string) => {
  const m = (await messageByWamid(wamid))!;
  return { status: m.status, error: m.error };
};

describe("recordStatus moves a message forward only", () => {
  it("accepted → delivered → read; a late sent or failed is ignored", async () => {
    const { wamid, number } = await accepted();
    const ctx = sandboxCtx();
    expect((await recordStatus(ctx, number, wamid, "delivered")).ok && (await statusOf(wamid)).status).toBe("delivered");
    const late = await recordStatus(ctx, number, wamid, "sent");
    expect(late.ok && late.value.message.status).toBe("delivered");
    expect((await recordStatus(ctx, number, wamid, "read")).ok && (await statusOf(wamid)).status).toBe("read");
    const failedAfterRead = await recordStatus(ctx, number, wamid, "failed", NOT_ON_WHATSAPP);
    expect(failedAfterRead.ok && failedAfterRead.value.message.status).toBe("read");
    expect((await statusOf(wamid)).status).toBe("read");
  });

  it("failed after sent is terminal: nothing moves it again", async () => {
    const { wamid, number } = await accepted();
    const ctx = sandboxCtx();
    await recordStatus(ctx, number, wamid, "sent");
    const failed = await recordStatus(ctx, number, wamid, "failed", NOT_ON_WHATSAPP);
    expect(failed.ok && failed.value.message.status).toBe("failed");
    for (const s of ["delivered", "read", "sent"] as const) {
      const r = await recordStatus(ctx, number, wamid, s);
      expect(r.ok && r.value.message.status).toBe("failed");
    }
    expect(await statusOf(wamid)).toEqual({ status: "failed", error: JSON.stringify(NOT_ON_WHATSAPP) });
  });

  it("an unknown wamid is not_found", async () => {
    const r = await recordStatus(sandboxCtx(), SANDBOX_SENDER_ID, "wamid.unknown", "sent");
    expect(!r.ok && r.error.code).toBe("not_found");
  });
});

describe("sandbox statuses", () => {
  it("a normal recipient gets sent → delivered → read; one ending 0000 fails as not on WhatsApp", () => {
    expect(sandboxSteps("243811234567")).toEqual(["sent", "delivered", "read"]);
    expect(sandboxSteps("243811230000")).toEqual(["failed"]);
  });

  /** Each step goes through the webhook intake, then the INBOUND queue: its status shows shortly after. */
  async function statusSoon(wamid: string, expected: string) {
    for (let i = 0; i < 50 && (await statusOf(wamid)).status !== expected; i++) await new Promise((r) => setTimeout(r, 100));
    return (await statusOf(wamid)).status;
  }

  it("the SENDS queue handler applies each step through the webhook intake and recordStatus", async () => {
    const { wamid, number } = await accepted();
    const ctx = sandboxCtx(undefined, { SANDBOX_STATUS_DELAY_SECONDS: "60" });
    const acks: string[] = [];
    const batch = {
      queue: "tuma-sends",
      messages: [{ id: "1", body: { kind: SANDBOX_STATUS_KIND, phoneNumberId: number, items: [{ wamid, steps: ["sent", "delivered", "read"] }] }, attempts: 1, ack: () => acks.push("ack"), retry: () => acks.push("retry") }],
    } as unknown as MessageBatch<{ kind: string }>;
    await consumeBatch(ctx, batch);
    expect(acks).toEqual(["ack"]);
    expect(await statusSoon(wamid, "sent")).toBe("sent");
    await applySandboxStatuses(ctx, { kind: SANDBOX_STATUS_KIND, phoneNumberId: number, items: [{ wamid, steps: ["delivered", "read"] }] });
    expect(await statusSoon(wamid, "delivered")).toBe("delivered");
    await applySandboxStatuses(ctx, { kind: SANDBOX_STATUS_KIND, phoneNumberId: number, items: [{ wamid, steps: ["read"] }] });
    expect(await statusSoon(wamid, "read")).toBe("read");
  });

  it("queue messages written before single sends and campaigns shared one shape still apply: a single send's {wamid, steps} and a campaign's sandbox_status_batch", async () => {
    const single = await accepted();
    const batched = await accepted();
    const ctx = sandboxCtx(undefined, { SANDBOX_STATUS_DELAY_SECONDS: "60" });
    const acks: string[] = [];
    const message = (id: string, body: unknown) => ({ id, body, attempts: 1, ack: () => acks.push("ack"), retry: () => acks.push("retry") });
    const batch = {
      queue: "tuma-sends",
      messages: [message("1", { kind: SANDBOX_STATUS_KIND, wamid: single.wamid, steps: ["sent"] }), message("2", { kind: "sandbox_status_batch", items: [{ wamid: batched.wamid, steps: ["sent"] }] })],
    } as unknown as MessageBatch<{ kind: string }>;
    await consumeBatch(ctx, batch);
    expect(acks).toEqual(["ack", "ack"]);
    expect(await statusSoon(single.wamid, "sent")).toBe("sent");
    expect(await statusSoon(batched.wamid, "sent")).toBe("sent");
  });

  it("end to end through the real queue: a send reaches read, and a 0000 recipient fails with 131026", async () => {
    const accountId = await newAccount();
    await readyNumber(accountId);
    const ctx = sandboxCtx(undefined, { SANDBOX_STATUS_DELAY_SECONDS: "0" });
    const ok = await sendMessage(ctx, input(accountId, text(recipient())));
    const bad = await sendMessage(ctx, input(accountId, text("243812340000")));
    if (!ok.ok || !bad.ok) throw new Error("sends refused");
    await Promise.all(ctx.deferred);
    for (let i = 0; i < 100 && ((await statusOf(ok.value.wamid)).status !== "read" || (await statusOf(bad.value.wamid)).status !== "failed"); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await statusOf(ok.value.wamid)).status).toBe("read");
    expect(JSON.parse((await statusOf(bad.value.wamid)).error!)).toMatchObject({ code: 131026 });
  }, 15_000);
});
