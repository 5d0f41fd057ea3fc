import { describe, expect, it } from "vitest";
import type { Env } from "../../src/config/env";
import { messageLog, newMessageId } from "../../src/core/messages/store";
import type { NewMessage } from "../../src/stores/message-log/model";
import { coreContext } from "../helpers";
import { newAccount, readyNumber, recipient } from "../messages/helpers";

/** The message log in the number's Durable Object, through the MessageLog interface core uses. */
const durable = () => messageLog(coreContext(undefined, { MESSAGE_LOG: "durable" } as Partial<Env>));

async function aSend(): Promise<NewMessage> {
  const accountId = await newAccount();
  const to = recipient();
  return {
    id: newMessageId(), account_id: accountId, phone_number_id: await readyNumber(accountId), upstream: "meta", to_input: to, wa_id: to, type: "template",
    category: "utility", hold_reference: null, charge_currency: null, charge_amount: null, client_data: null, campaign_id: null, created_at: Date.now(),
  };
}

const wamidOf = () => `wamid.${crypto.randomUUID()}`;

describe("a number's message log in its Durable Object", () => {
  it("keeps statuses that arrive before the send and applies them, each once and in rank order, when the send records its wamid", async () => {
    const log = durable();
    const m = await aSend();
    const wamid = wamidOf();
    const status = (s: "sent" | "delivered" | "read", at: number) => ({ phoneNumberId: m.phone_number_id, wamid, status: s, at, reportedAt: at });
    await log.recordSends([{ message: m }]);
    expect(await log.applyStatus(status("read", 3000))).toEqual({ kind: "not_found" });
    expect(await log.applyStatus(status("sent", 1000))).toEqual({ kind: "not_found" });
    expect(await log.applyStatus(status("read", 3000))).toEqual({ kind: "not_found" }); // Meta's duplicate
    expect(await log.settleSend(m.phone_number_id, m.id, { wamid }, 500)).toEqual({ kind: "settled", mayHaveEarlyStatuses: true });
    const detail = (await log.detail(m.account_id, m.id))!;
    expect(detail.status).toBe("read");
    expect(detail.timeline.map((t) => t.status)).toEqual(["accepted", "sent", "read"]);
    // A late delivered is recorded in the timeline but does not move a read message back.
    const late = await log.applyStatus(status("delivered", 2000));
    expect(late.kind === "recorded" && late.message.status).toBe("read");
    expect((await log.detail(m.account_id, wamid))!.timeline.map((t) => t.status)).toEqual(["accepted", "sent", "delivered", "read"]);
  });

  it("a send settled with no early status says so (no need to look for waiting events), and a failure is terminal", async () => {
    const log = durable();
    const m = await aSend();
    const wamid = wamidOf();
    await log.recordSends([{ message: m }]);
    expect(await log.settleSend(m.phone_number_id, m.id, { wamid }, 1)).toEqual({ kind: "settled", mayHaveEarlyStatuses: false });
    expect(await log.settleSend(m.phone_number_id, m.id, { wamid }, 2)).toEqual({ kind: "not_pending" });
    await log.applyStatus({ phoneNumberId: m.phone_number_id, wamid, status: "failed", error: JSON.stringify({ code: 131026, title: "Undeliverable" }), at: 3 });
    await log.applyStatus({ phoneNumberId: m.phone_number_id, wamid, status: "read", at: 4 });
    expect(await log.byWamid(m.phone_number_id, wamid)).toMatchObject({ status: "failed", error: JSON.stringify({ code: 131026, title: "Undeliverable" }) });
  });

  it("answers each account only its own sends, even from one number's log", async () => {
    const log = durable();
    const m = await aSend();
    const other = await newAccount();
    await log.recordSends([{ message: m, outcome: { wamid: wamidOf() } }]);
    expect(await log.byId(m.account_id, m.id)).toMatchObject({ id: m.id, status: "accepted" });
    expect(await log.byId(other, m.id)).toBeNull();
    expect(await log.list(other, { phoneNumberId: m.phone_number_id, limit: 10 })).toEqual([]);
    expect(await log.hasSentTo(other, m.phone_number_id, m.wa_id)).toBe(false);
    expect(await log.hasSentTo(m.account_id, m.phone_number_id, m.wa_id)).toBe(true);
  });
});
