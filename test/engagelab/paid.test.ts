import { describe, expect, it } from "vitest";
import { fund, graphSends, holdsOf, messagesOf, readyNumber as metaNumber, recipient, storeTemplate, wallet } from "../messages/helpers";
import { engagelabClient, errorOf, readyNumber, send } from "./helpers";

const ORDER_READY = [{ type: "BODY", text: "Commande {{1}} prête, {{2}}." }];
const orderReady = (to: string, extra: object = {}) => ({
  to,
  body: {
    type: "template",
    template: { name: "order_ready", language: "fr", components: [{ type: "body", parameters: [{ type: "text", text: "A1" }, { type: "text", text: "Ana" }] }] },
  },
  ...extra,
});

/** An EngageLab client whose account sends through Meta (the fake Graph API) and pays for templates. */
async function payingClient(balance = 1000) {
  const client = await engagelabClient();
  await metaNumber(client.accountId, true);
  await storeTemplate(client.accountId, { name: "order_ready", language: "fr", category: "UTILITY", components: ORDER_READY });
  if (balance) await fund(client.accountId, "CDF", balance);
  return client;
}

describe("EngageLab paid sends through Meta", () => {
  it("a retry with the same request_id answers the same message_id, calls Meta once and charges once", async () => {
    const client = await payingClient();
    const to = recipient();
    const request = orderReady(to, { request_id: "invoice-77" });
    const answers = [];
    for (let i = 0; i < 3; i += 1) {
      const res = await send(client, request);
      expect(res.status).toBe(200);
      answers.push(await res.json());
    }
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
    expect(await graphSends(to)).toBe(1);
    expect(await wallet(client.accountId, "CDF")).toEqual({ balance: 940, held: 0 });
    expect(await holdsOf(client.accountId)).toEqual([expect.objectContaining({ amount: 60, status: "POSTED" })]);
    expect(await messagesOf(client.accountId)).toHaveLength(1);
  });

  it("answers 2004 (403) without the funds, and charges nothing", async () => {
    const client = await payingClient(0);
    const error = await errorOf(await send(client, orderReady(recipient())));
    expect(error).toMatchObject({ status: 403, code: 2004, message: expect.stringMatching(/Insufficient funds/) });
    expect(await messagesOf(client.accountId)).toEqual([]);
  });

  it("says Meta's refusals in EngageLab's codes and voids the hold: window 3003, undeliverable 1000/502, bad parameter 3003", async () => {
    const client = await payingClient();
    const cases: [string, number, number, RegExp][] = [
      ["1047", 400, 3003, /24-hour window/],
      ["1026", 502, 1000, /cannot be delivered/],
      ["0100", 400, 3003, /Meta refused the message/],
    ];
    for (const [suffix, status, code, message] of cases) {
      const error = await errorOf(await send(client, orderReady(recipient(suffix))));
      expect(error, suffix).toMatchObject({ status, code, message: expect.stringMatching(message) });
    }
    expect(await wallet(client.accountId, "CDF")).toEqual({ balance: 1000, held: 0 });
    expect((await holdsOf(client.accountId)).map((h) => h.status)).toEqual(["VOIDED", "VOIDED", "VOIDED"]);
  });

  it("with several READY numbers, a send without from answers 3002 naming from", async () => {
    const client = await engagelabClient();
    await readyNumber(client);
    await readyNumber(client);
    const error = await errorOf(await send(client, { to: "243812345678", body: { type: "text", text: { body: "x" } } }));
    expect(error).toMatchObject({ status: 400, code: 3002, message: expect.stringMatching(/^from: must be one of \d+, \d+$/) });
  });
});
