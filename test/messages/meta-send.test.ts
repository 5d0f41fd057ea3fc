import { describe, expect, it } from "vitest";
import { coreContext } from "../helpers";
import { sendMessage } from "../../src/core/messages/send";
import { SEND_ATTEMPTS } from "../../src/upstreams/whatsapp/meta";
import { fund, graphSends, holdsOf, input, META, messagesOf, metaCtx, newAccount, openWindow, readyNumber, recipient, storeTemplate, template, text, wallet } from "./helpers";

const UTILITY = [{ type: "BODY", text: "Commande {{1}}" }];
const utility = (to: string) => template(to, "order_ready", "fr", [{ type: "body", parameters: [{ type: "text", text: "A1" }] }]);

async function metaAccount() {
  const accountId = await newAccount();
  const phoneNumberId = await readyNumber(accountId, true);
  await storeTemplate(accountId, { name: "order_ready", language: "fr", category: "UTILITY", components: UTILITY });
  await fund(accountId, "CDF", 1000);
  return { accountId, phoneNumberId };
}

describe("Meta's send errors, through the fake Graph API", () => {
  it("131047 (window) becomes window_closed with Meta's code; the hold is voided", async () => {
    const { accountId, phoneNumberId } = await metaAccount();
    const to = recipient("1047");
    await openWindow(phoneNumberId, to);
    const r = await sendMessage(metaCtx(), input(accountId, text(to)));
    expect(!r.ok && r.error).toMatchObject({ code: "window_closed", details: { upstreamCode: 131047 } });
    expect(await messagesOf(accountId)).toEqual([expect.objectContaining({ status: "failed" })]);
  });

  it("132001 (template unknown to Meta) becomes not_found; 100 becomes invalid_request; neither is charged", async () => {
    const { accountId } = await metaAccount();
    const missing = await sendMessage(metaCtx(), input(accountId, utility(recipient("2001"))));
    expect(!missing.ok && missing.error).toMatchObject({ code: "not_found", details: { upstreamCode: 132001 } });
    const invalid = await sendMessage(metaCtx(), input(accountId, utility(recipient("0100"))));
    expect(!invalid.ok && invalid.error).toMatchObject({ code: "invalid_request", details: { upstreamCode: 100 } });
    expect(await wallet(accountId, "CDF")).toEqual({ balance: 1000, held: 0 });
    expect((await holdsOf(accountId)).map((h) => h.status)).toEqual(["VOIDED", "VOIDED"]);
  });

  it("rate limits 130429 and 131056 are retried within the request, and the send then goes through once", async () => {
    const { accountId } = await metaAccount();
    for (const suffix of ["0429", "1056"]) {
      const to = recipient(suffix);
      const r = await sendMessage(metaCtx(), input(accountId, utility(to)));
      expect(r.ok, suffix).toBe(true);
      expect(await graphSends(to)).toBe(2);
    }
    expect(await wallet(accountId, "CDF")).toEqual({ balance: 880, held: 0 });
  });

  it("Meta refusing the gateway's own access token (190) is upstream_auth, not the client's fault; nothing is charged", async () => {
    const { accountId } = await metaAccount();
    const r = await sendMessage(coreContext(undefined, { ...META, META_ACCESS_TOKEN: "revoked-by-meta" }), input(accountId, utility(recipient())));
    expect(!r.ok && r.error).toMatchObject({ code: "upstream_failure", details: { upstreamCode: 190, reason: "upstream_auth" } });
    expect(await wallet(accountId, "CDF")).toEqual({ balance: 1000, held: 0 });
  });

  it("a transient 131000 is tried SEND_ATTEMPTS times, then upstream_failure with a retry hint; nothing is charged", async () => {
    const { accountId } = await metaAccount();
    const to = recipient("1000");
    const r = await sendMessage(metaCtx(), input(accountId, utility(to)));
    expect(!r.ok && r.error).toMatchObject({ code: "upstream_failure", details: { upstreamCode: 131000, retryAfterSeconds: 30 } });
    expect(await graphSends(to)).toBe(SEND_ATTEMPTS);
    expect(await wallet(accountId, "CDF")).toEqual({ balance: 1000, held: 0 });
  });

  it("a failed send releases its idempotency key: the retry sends (and is charged) once", async () => {
    const { accountId } = await metaAccount();
    const to = recipient("1000");
    const first = await sendMessage(metaCtx(), input(accountId, utility(to), { idempotencyKey: "retry-me" }));
    expect(first.ok).toBe(false);
    const again = await sendMessage(metaCtx(), input(accountId, utility(to), { idempotencyKey: "retry-me" }));
    expect(!again.ok && again.error.code).toBe("upstream_failure");
    expect(await graphSends(to)).toBe(2 * SEND_ATTEMPTS);
  });
});
