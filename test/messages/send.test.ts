import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sendMessage } from "../../src/core/messages/send";
import { ManualClock } from "../helpers";
import { fund, graphSends, holdsOf, input, messagesOf, metaCtx, newAccount, openWindow, otp, readyNumber, recipient, sandboxCtx, storeTemplate, template, text, wallet } from "./helpers";

const UTILITY = [{ type: "BODY", text: "Votre commande {{1}} est prête, {{2}}." }];

describe("sendMessage through the sandbox", () => {
  it("accepts a text from the account's READY number: wamid, digits-only wa_id, free, recorded accepted", async () => {
    const accountId = await newAccount();
    const phoneNumberId = await readyNumber(accountId);
    const to = recipient();
    const sent = await sendMessage(sandboxCtx(), input(accountId, text(`+${to.slice(0, 3)} ${to.slice(3)}`)));
    expect(sent.ok).toBe(true);
    if (!sent.ok) return;
    expect(sent.value).toMatchObject({ to: `+${to.slice(0, 3)} ${to.slice(3)}`, waId: to, phoneNumberId, charge: null, replayed: false });
    expect(sent.value.wamid).toMatch(/^wamid\.[A-Za-z0-9+/]+$/);
    expect(sent.value.id).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(await messagesOf(accountId)).toEqual([expect.objectContaining({ id: sent.value.id, status: "accepted", wamid: sent.value.wamid, wa_id: to, category: "service", charge_amount: null })]);
    expect(await holdsOf(accountId)).toEqual([]);
  });

  it("sends image, video, audio and document by https link", async () => {
    const accountId = await newAccount();
    await readyNumber(accountId);
    for (const [type, object] of [
      ["image", { link: "https://cdn.example.com/a.png", caption: "Mon image" }],
      ["video", { link: "https://cdn.example.com/a.mp4" }],
      ["audio", { link: "https://cdn.example.com/a.ogg" }],
      ["document", { link: "https://cdn.example.com/a.pdf", filename: "facture.pdf", caption: "Facture" }],
    ] as const) {
      const sent = await sendMessage(sandboxCtx(), input(accountId, { messaging_product: "whatsapp", recipient_type: "individual", to: recipient(), type, [type]: object } as never));
      expect(sent.ok, type).toBe(true);
    }
  });

  it("names each invalid field through fieldName, and writes nothing", async () => {
    const accountId = await newAccount();
    await readyNumber(accountId);
    const field = (p: string) => `assistance.${p}`;
    const cases: [unknown, string][] = [
      [text("12"), "assistance.to"],
      [text(recipient(), "x".repeat(4097)), "assistance.text.body"],
      [text(recipient(), ""), "assistance.text.body"],
      [{ messaging_product: "whatsapp", recipient_type: "individual", to: recipient(), type: "image", image: { link: "http://localhost/x.png" } }, "assistance.image.link"],
      [{ messaging_product: "whatsapp", recipient_type: "individual", to: recipient(), type: "image", image: { link: "https://a.example/x.png", caption: "c".repeat(1025) } }, "assistance.image.caption"],
      [{ messaging_product: "whatsapp", recipient_type: "individual", to: recipient(), type: "document", document: { link: "https://a.example/x.pdf", filename: "a/b.pdf" } }, "assistance.document.filename"],
      [{ messaging_product: "whatsapp", recipient_type: "individual", to: recipient(), type: "sticker", sticker: {} }, "assistance.sticker"],
      [template(recipient(), "Bad-Name", "fr"), "assistance.template.name"],
      [template(recipient(), "ok_name", "french"), "assistance.template.language.code"],
    ];
    for (const [message, expected] of cases) {
      const r = await sendMessage(sandboxCtx(), input(accountId, message as never, { fieldName: field }));
      expect(!r.ok && r.error.code, expected).toBe("invalid_request");
      expect(!r.ok && r.error.details.issues?.map((i) => i.field)).toContain(expected);
    }
    expect(await messagesOf(accountId)).toEqual([]);
  });

  it("server SANDBOX from an account without a number sends from the shared sandbox sender; without it, not_found", async () => {
    const accountId = await newAccount();
    const none = await sendMessage(sandboxCtx(), input(accountId, text(recipient())));
    expect(!none.ok && none.error.code).toBe("not_found");
    const forced = await sendMessage(sandboxCtx(), input(accountId, text(recipient()), { forceSandbox: true }));
    expect(forced.ok && forced.value.phoneNumberId).toBe("100000000000001");
  });
});

describe("the sending number", () => {
  it("another account's number, an unknown one and a number not READY are refused before anything is written", async () => {
    const owner = await newAccount();
    const other = await newAccount();
    const phoneNumberId = await readyNumber(owner);
    const stolen = await sendMessage(sandboxCtx(), input(other, text(recipient()), { phoneNumberId }));
    expect(!stolen.ok && stolen.error.code).toBe("not_found");
    const unknown = await sendMessage(sandboxCtx(), input(owner, text(recipient()), { phoneNumberId: "999999999" }));
    expect(!unknown.ok && unknown.error.code).toBe("not_found");
    await env.DB.prepare("UPDATE deployments SET state = 'CODE_SENT' WHERE phone_number_id = ?").bind(phoneNumberId).run();
    const notReady = await sendMessage(sandboxCtx(), input(owner, text(recipient()), { phoneNumberId }));
    expect(!notReady.ok && notReady.error).toMatchObject({ code: "conflict", details: { reason: "number_not_ready" } });
    expect(await messagesOf(other)).toEqual([]);
    expect(await messagesOf(owner)).toEqual([]);
  });

  it("with several READY numbers the send must name one", async () => {
    const accountId = await newAccount();
    const a = await readyNumber(accountId);
    const b = await readyNumber(accountId);
    const ambiguous = await sendMessage(sandboxCtx(), input(accountId, text(recipient()), { fieldName: (p) => `assistance.${p}` }));
    expect(!ambiguous.ok && ambiguous.error.code).toBe("invalid_request");
    expect(!ambiguous.ok && ambiguous.error.details.issues?.[0]).toMatchObject({ field: "assistance.phone_number_id", reason: expect.stringContaining(a) });
    const named = await sendMessage(sandboxCtx(), input(accountId, text(recipient()), { phoneNumberId: b }));
    expect(named.ok && named.value.phoneNumberId).toBe(b);
  });
});

describe("the 24-hour window", () => {
  it("with SANDBOX_ENFORCE_WINDOW, a text is refused until the customer writes, and again 24 h later; templates always go", async () => {
    const clock = new ManualClock(Date.now());
    const ctx = () => sandboxCtx(clock, { SANDBOX_ENFORCE_WINDOW: "true" });
    const accountId = await newAccount();
    const phoneNumberId = await readyNumber(accountId);
    const to = recipient();
    const closed = await sendMessage(ctx(), input(accountId, text(to)));
    expect(!closed.ok && closed.error.code).toBe("window_closed");
    expect(await messagesOf(accountId)).toEqual([]);
    expect((await sendMessage(ctx(), input(accountId, otp(to, "123456")))).ok).toBe(true);

    await openWindow(phoneNumberId, to, clock.now());
    expect((await sendMessage(ctx(), input(accountId, text(to)))).ok).toBe(true);
    clock.advance(24 * 3600 * 1000 + 1);
    const expired = await sendMessage(ctx(), input(accountId, text(to)));
    expect(!expired.ok && expired.error.code).toBe("window_closed");
  });

  it("the window belongs to the number the customer wrote to", async () => {
    const clock = new ManualClock(Date.now());
    const accountId = await newAccount();
    const a = await readyNumber(accountId);
    const b = await readyNumber(accountId);
    const to = recipient();
    await openWindow(a, to, clock.now());
    const ctx = sandboxCtx(clock, { SANDBOX_ENFORCE_WINDOW: "true" });
    expect((await sendMessage(ctx, input(accountId, text(to), { phoneNumberId: a }))).ok).toBe(true);
    const fromB = await sendMessage(ctx, input(accountId, text(to), { phoneNumberId: b }));
    expect(!fromB.ok && fromB.error.code).toBe("window_closed");
  });

  it("without SANDBOX_ENFORCE_WINDOW the sandbox sends a first text", async () => {
    const accountId = await newAccount();
    await readyNumber(accountId);
    expect((await sendMessage(sandboxCtx(), input(accountId, text(recipient())))).ok).toBe(true);
  });
});

describe("templates at send time", () => {
  it("an unknown template is not_found and says which languages exist; a PENDING one is refused; counts are checked", async () => {
    const accountId = await newAccount();
    await readyNumber(accountId);
    await storeTemplate(accountId, { name: "order_ready", language: "fr", category: "UTILITY", components: UTILITY });
    await storeTemplate(accountId, { name: "promo_soon", language: "fr", category: "MARKETING", status: "PENDING", components: [{ type: "BODY", text: "Bientôt" }] });
    const params = (...values: string[]) => [{ type: "body", parameters: values.map((text) => ({ type: "text", text })) }];

    const unknown = await sendMessage(sandboxCtx(), input(accountId, template(recipient(), "nope", "fr")));
    expect(!unknown.ok && unknown.error).toMatchObject({ code: "not_found", details: { reason: "template_not_found" } });
    const wrongLanguage = await sendMessage(sandboxCtx(), input(accountId, template(recipient(), "order_ready", "en", params("A1", "Ana"))));
    expect(!wrongLanguage.ok && wrongLanguage.error.message).toContain("exists in fr");
    const pending = await sendMessage(sandboxCtx(), input(accountId, template(recipient(), "promo_soon", "fr")));
    expect(!pending.ok && pending.error.details.reason).toBe("template_not_approved");
    const tooFew = await sendMessage(sandboxCtx(), input(accountId, template(recipient(), "order_ready", "fr", params("A1")), { fieldName: (p) => `utility.${p}` }));
    expect(!tooFew.ok && tooFew.error.details.issues?.[0]).toMatchObject({ field: "utility.template.components", reason: expect.stringContaining("takes 2 parameter(s), got 1") });
    expect((await sendMessage(sandboxCtx(), input(accountId, template(recipient(), "order_ready", "fr", params("A1", "Ana"))))).ok).toBe(true);
    expect(await messagesOf(accountId)).toHaveLength(1);
  });

  it("the built-in OTP template takes the code in the body and the copy-code button", async () => {
    const accountId = await newAccount();
    await readyNumber(accountId);
    expect((await sendMessage(sandboxCtx(), input(accountId, otp(recipient(), "482913")))).ok).toBe(true);
    const noButton = await sendMessage(sandboxCtx(), input(accountId, template(recipient(), "tuma_otp", "fr", [{ type: "body", parameters: [{ type: "text", text: "1" }] }])));
    expect(!noButton.ok && noButton.error.details.issues?.[0]?.reason).toContain("button 0");
  });
});

describe("idempotency", () => {
  it("the same key and request answer the original message, replayed, and send nothing again", async () => {
    const accountId = await newAccount();
    await readyNumber(accountId);
    const to = recipient();
    const first = await sendMessage(sandboxCtx(), input(accountId, text(to), { idempotencyKey: "k-1" }));
    const again = await sendMessage(sandboxCtx(), input(accountId, text(to), { idempotencyKey: "k-1" }));
    expect(first.ok && again.ok).toBe(true);
    if (!first.ok || !again.ok) return;
    expect(again.value).toEqual({ ...first.value, replayed: true });
    expect(await messagesOf(accountId)).toHaveLength(1);
  });

  it("the same key with a different request is a conflict; keys are per account", async () => {
    const a = await newAccount();
    const b = await newAccount();
    await readyNumber(a);
    await readyNumber(b);
    const to = recipient();
    expect((await sendMessage(sandboxCtx(), input(a, text(to), { idempotencyKey: "shared" }))).ok).toBe(true);
    const changed = await sendMessage(sandboxCtx(), input(a, text(to, "Autre"), { idempotencyKey: "shared" }));
    expect(!changed.ok && changed.error).toMatchObject({ code: "conflict", details: { reason: "idempotency_key_reused" } });
    const otherAccount = await sendMessage(sandboxCtx(), input(b, text(to), { idempotencyKey: "shared" }));
    expect(otherAccount.ok && otherAccount.value.replayed).toBe(false);
  });

  it("concurrent requests with one key: exactly one message is written and sent, rounds after rounds", async () => {
    const accountId = await newAccount();
    await readyNumber(accountId);
    for (let round = 0; round < 5; round++) {
      const to = recipient();
      const results = await Promise.all(Array.from({ length: 8 }, () => sendMessage(sandboxCtx(), input(accountId, text(to), { idempotencyKey: `race-${round}` }))));
      const fresh = results.filter((r) => r.ok && !r.value.replayed);
      expect(fresh).toHaveLength(1);
      for (const r of results) {
        if (r.ok) expect(r.value.id).toBe(fresh[0]!.ok && fresh[0]!.value.id);
        else expect(r.error.details.reason).toBe("in_progress");
      }
    }
    expect(await messagesOf(accountId)).toHaveLength(5);
  });

  it("concurrent requests with one key through Meta: Meta is called exactly once per key, the others wait or replay", async () => {
    const accountId = await newAccount();
    const phoneNumberId = await readyNumber(accountId, true);
    for (let round = 0; round < 5; round++) {
      const to = recipient();
      await openWindow(phoneNumberId, to);
      const results = await Promise.all(Array.from({ length: 8 }, () => sendMessage(metaCtx(), input(accountId, text(to), { idempotencyKey: `meta-race-${round}` }))));
      expect(results.filter((r) => r.ok && !r.value.replayed)).toHaveLength(1);
      expect(results.every((r) => r.ok || r.error.details.reason === "in_progress")).toBe(true);
      expect(await graphSends(to)).toBe(1);
    }
    expect(await messagesOf(accountId)).toHaveLength(5);
  });
});

describe("money: hold, post, void", () => {
  it("a paid template through Meta reserves then posts its price; the ledger shows one debit", async () => {
    const accountId = await newAccount();
    const phoneNumberId = await readyNumber(accountId, true);
    await storeTemplate(accountId, { name: "order_ready", language: "fr", category: "UTILITY", components: UTILITY });
    await fund(accountId, "CDF", 1000);
    const sent = await sendMessage(metaCtx(), input(accountId, template(recipient(), "order_ready", "fr", [{ type: "body", parameters: [{ type: "text", text: "A1" }, { type: "text", text: "Ana" }] }])));
    expect(sent.ok && sent.value).toMatchObject({ phoneNumberId, charge: { currency: "CDF", amount: 60 }, wamid: expect.stringMatching(/^wamid\.FAKE/) });
    expect(await wallet(accountId, "CDF")).toEqual({ balance: 940, held: 0 });
    expect(await holdsOf(accountId)).toEqual([expect.objectContaining({ amount: 60, status: "POSTED", posted_amount: 60 })]);
  });

  it("a send Meta refuses voids its hold: nothing is charged and the message is failed with Meta's code", async () => {
    const accountId = await newAccount();
    await readyNumber(accountId, true);
    await storeTemplate(accountId, { name: "order_ready", language: "fr", category: "UTILITY", components: UTILITY });
    await fund(accountId, "CDF", 1000);
    const refused = await sendMessage(metaCtx(), input(accountId, template(recipient("1026"), "order_ready", "fr", [{ type: "body", parameters: [{ type: "text", text: "A1" }, { type: "text", text: "Ana" }] }])));
    expect(!refused.ok && refused.error).toMatchObject({ code: "upstream_failure", details: { upstreamCode: 131026, reason: "undeliverable" } });
    expect(await wallet(accountId, "CDF")).toEqual({ balance: 1000, held: 0 });
    expect(await holdsOf(accountId)).toEqual([expect.objectContaining({ status: "VOIDED", posted_amount: null })]);
    expect(await messagesOf(accountId)).toEqual([expect.objectContaining({ status: "failed", wamid: null })]);
  });

  it("short funds and an expired plan refuse a paid send before anything is written; free-form service stays free", async () => {
    const accountId = await newAccount();
    const phoneNumberId = await readyNumber(accountId, true);
    await storeTemplate(accountId, { name: "order_ready", language: "fr", category: "UTILITY", components: UTILITY });
    const paid = () => sendMessage(metaCtx(), input(accountId, template(recipient(), "order_ready", "fr", [{ type: "body", parameters: [{ type: "text", text: "A" }, { type: "text", text: "B" }] }])));
    const broke = await paid();
    expect(!broke.ok && broke.error.code).toBe("insufficient_funds");
    await fund(accountId, "USD", 500);
    await env.DB.prepare("UPDATE accounts SET plan_expires_at = 0 WHERE id = ?").bind(accountId).run();
    const expired = await paid();
    expect(!expired.ok && expired.error.code).toBe("plan_inactive");
    expect(await messagesOf(accountId)).toEqual([]);
    expect(await holdsOf(accountId)).toEqual([]);
    const to = recipient();
    await openWindow(phoneNumberId, to);
    const service = await sendMessage(metaCtx(), input(accountId, text(to)));
    expect(service.ok && service.value.charge).toBeNull();
  });
});
