import { runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { deleteDeployment } from "../../src/core/numbers/numbers";
import { createTemplate } from "../../src/core/templates/templates";
import { stubOf } from "../durable/numbers-helpers";
import { coreContext, post, signupWithToken } from "../helpers";
import { fund, graphSends, holdsOf, messagesOf, newAccount, openWindow, readyNumber as coreReadyNumber, recipient, storeTemplate, wallet } from "../messages/helpers";
import { addedNumber, expectLamError, keyFor, lamPost, readyNumber, rotateKey } from "./helpers";

interface Sent {
  messages: { id: string }[];
  contacts: { input: string; wa_id: string }[];
  meta: { api_status: string; version: string };
}

const seedText = (to: string, body = "votre-message-contenu") => ({ recipient_type: "individu", to, type: "text", text: { body } });
const codes = async (res: Response, status: number) => (await expectLamError(res, status)).errors.map((e) => e.code);

describe("POST /lam/messages", () => {
  it("sends the seed's example and answers 201 with the wamid, the contact and meta", async () => {
    const n = await readyNumber();
    const to = recipient();
    const res = await lamPost("/messages", seedText(`+${to}`), n.apiKey);
    expect(res.status).toBe(201);
    const body = await res.json<Sent>();
    expect(body).toEqual({
      messages: [{ id: expect.stringMatching(/^wamid\./) }],
      contacts: [{ input: `+${to}`, wa_id: to }],
      meta: { api_status: "stable", version: expect.any(String) },
    });
    expect(await messagesOf(n.accountId)).toEqual([
      expect.objectContaining({ phone_number_id: n.phoneNumberId, wamid: body.messages[0]!.id, wa_id: to, type: "text", status: "accepted" }),
    ]);
  });

  it("accepts the Cloud API body and the D360-API-KEY header", async () => {
    const n = await readyNumber();
    const to = recipient();
    const res = await post(
      "/lam/messages",
      { messaging_product: "whatsapp", recipient_type: "individual", to, type: "text", text: { body: "Bonjour", preview_url: false } },
      { "D360-API-KEY": n.apiKey },
    );
    expect(res.status).toBe(201);
    expect((await res.json<Sent>()).contacts).toEqual([{ input: to, wa_id: to }]);
  });

  it("sends media, location, contacts and interactive messages", async () => {
    const n = await readyNumber();
    const bodies = [
      { type: "image", image: { link: "https://cdn.example.com/a.png", caption: "Mon image" } },
      { type: "document", document: { link: "https://cdn.example.com/a.pdf", filename: "facture.pdf" } },
      { type: "audio", audio: { id: "media-123" } },
      { type: "video", video: { link: "https://cdn.example.com/a.mp4" } },
      { type: "sticker", sticker: { id: "sticker-1" } },
      { type: "location", location: { latitude: -4.32, longitude: 15.31, name: "Gombe" } },
      { type: "contacts", contacts: [{ name: { formatted_name: "Amina K" }, phones: [{ phone: "+243812345678" }] }] },
      { type: "interactive", interactive: { type: "button", body: { text: "Oui ?" }, action: { buttons: [{ type: "reply", reply: { id: "1", title: "Oui" } }] } } },
    ];
    for (const body of bodies) {
      const res = await lamPost("/messages", { recipient_type: "individual", to: recipient(), ...body }, n.apiKey);
      expect(res.status, body.type).toBe(201);
    }
    expect(await messagesOf(n.accountId)).toHaveLength(bodies.length);
  });

  it("an On-Premise template (namespace, deterministic policy) goes out; unknown is 2001, wrong counts are 2000", async () => {
    const n = await readyNumber();
    const created = await createTemplate(coreContext(), n.accountId, {
      name: "order_ready",
      language: "fr",
      category: "UTILITY",
      components: [{ type: "BODY", text: "Votre commande {{1}} est prête, {{2}}.", example: { body_text: [["A1", "Ana"]] } }],
    });
    expect(created.ok).toBe(true);
    const send = (name: string, values: string[]) =>
      lamPost(
        "/messages",
        {
          to: recipient(),
          type: "template",
          template: {
            namespace: "c8ae5f90_307a_ca4c_b8f6_d1e2a2573574",
            name,
            language: { policy: "deterministic", code: "fr" },
            components: [{ type: "body", parameters: values.map((text) => ({ type: "text", text })) }],
          },
        },
        n.apiKey,
      );
    expect((await send("order_ready", ["A1", "Ana"])).status).toBe(201);
    expect(await codes(await send("nope", ["A1"]), 404)).toEqual([2001]);
    expect(await codes(await send("order_ready", ["A1"]), 400)).toEqual([2000]);
    expect(await messagesOf(n.accountId)).toHaveLength(1);
  });

  it("every invalid body is refused before anything is sent, one entry per field", async () => {
    const n = await readyNumber();
    const cases: [unknown, number, number[]][] = [
      ["{not json", 400, [1025]],
      ["", 400, [1025]],
      [{ type: "text", text: { body: "x" } }, 400, [1008]],
      [{ to: recipient(), type: "text", text: { body: "" } }, 400, [1009]],
      [{ to: recipient(), type: "text", text: { body: "x".repeat(4097) } }, 400, [1009]],
      [{ to: "12", type: "text", text: { body: "x" } }, 400, [1009]],
      [{ to: "+1 000", type: "text", text: { body: "x" } }, 400, [1009]],
      [{ to: recipient(), type: "text", text: { body: "x" }, from: "243000000000" }, 400, [1010]],
      [{ to: recipient(), type: "image", image: { link: "http://169.254.169.254/a.png" } }, 400, [1009]],
      [{ to: recipient(), type: "template", template: { name: "Order", language: { code: "fr" } } }, 400, [1009]],
      [{ to: "", type: "text" }, 400, [1009, 1008]],
      [{ to: "12", type: "text", text: { body: "" } }, 400, [1009, 1009]],
    ];
    for (const [body, status, expected] of cases) {
      const res = await lamPost("/messages", body, n.apiKey);
      expect(await codes(res, status), JSON.stringify(body)).toEqual(expected);
    }
    const wrongType = await post("/lam/messages", "to=1", { "LAM-API-KEY": n.apiKey, "Content-Type": "application/x-www-form-urlencoded" });
    expect(await codes(wrongType, 400)).toEqual([1025]);
    expect(await messagesOf(n.accountId)).toEqual([]);
  });

  it("a bad recipient names LAM's field `to`", async () => {
    const n = await readyNumber();
    const body = await expectLamError(await lamPost("/messages", { to: "12", type: "text", text: { body: "x" } }, n.apiKey), 400);
    expect(body.errors[0]!.details).toMatch(/^to: /);
  });

  it("without a valid key: 401 (1005); a number not READY: 409 (1011); a rotated or deleted number's key: 401", async () => {
    const text = seedText(recipient());
    expect(await codes(await lamPost("/messages", text), 401)).toEqual([1005]);
    expect(await codes(await lamPost("/messages", text, "f".repeat(40)), 401)).toEqual([1005]);
    const added = await addedNumber();
    expect(await codes(await lamPost("/messages", text, added.apiKey), 409)).toEqual([1011]);

    const n = await readyNumber();
    expect((await lamPost("/messages", seedText(recipient()), n.apiKey)).status).toBe(201);
    const { api_key } = await (await rotateKey(n.token, n.phoneNumberId)).json<{ api_key: string }>();
    expect(await codes(await lamPost("/messages", seedText(recipient()), n.apiKey), 401)).toEqual([1005]);
    expect((await lamPost("/messages", seedText(recipient()), api_key)).status).toBe(201);

    expect((await deleteDeployment(coreContext(), n.accountId, n.deploymentId)).ok).toBe(true);
    expect(await codes(await lamPost("/messages", seedText(recipient()), api_key), 409)).toEqual([1011]);
    await runDurableObjectAlarm(stubOf(n.deploymentId));
    expect(await codes(await lamPost("/messages", seedText(recipient()), api_key), 401)).toEqual([1005]);
    expect(await messagesOf(n.accountId)).toHaveLength(2);
  });

  it("an Idempotency-Key retry answers the first 201 and sends nothing again; another body with it is 409", async () => {
    const n = await readyNumber();
    const body = seedText(recipient());
    const first = await lamPost("/messages", body, n.apiKey, { "Idempotency-Key": "order-42" });
    const again = await lamPost("/messages", body, n.apiKey, { "Idempotency-Key": "order-42" });
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    expect(first.headers.get("Idempotent-Replayed")).toBeNull();
    expect(await again.json()).toEqual(await first.json());
    expect(await messagesOf(n.accountId)).toHaveLength(1);
    const changed = await lamPost("/messages", { ...body, text: { body: "Autre" } }, n.apiKey, { "Idempotency-Key": "order-42" });
    expect(await codes(changed, 409)).toEqual([1000]);
    const badKey = await lamPost("/messages", body, n.apiKey, { "Idempotency-Key": "a key with spaces" });
    expect(await codes(badKey, 400)).toEqual([1009]);
    expect(await messagesOf(n.accountId)).toHaveLength(1);
  });
});

describe("LAM isolation", () => {
  it("a key sends only from its own number, even with several READY numbers in the account", async () => {
    const account = await signupWithToken();
    const a = await readyNumber(account);
    const b = await readyNumber(account);
    const viaA = await (await lamPost("/messages", seedText(recipient()), a.apiKey)).json<Sent>();
    const viaB = await (await lamPost("/messages", seedText(recipient()), b.apiKey)).json<Sent>();
    const rows = await messagesOf(account.id);
    expect(rows.find((r) => r.wamid === viaA.messages[0]!.id)?.phone_number_id).toBe(a.phoneNumberId);
    expect(rows.find((r) => r.wamid === viaB.messages[0]!.id)?.phone_number_id).toBe(b.phoneNumberId);
  });

  it("a key never acts for another account: its sends, idempotency keys and key rotation stay in its own", async () => {
    const one = await readyNumber();
    const two = await readyNumber();
    const body = seedText(recipient());
    const first = await (await lamPost("/messages", body, one.apiKey, { "Idempotency-Key": "shared" })).json<Sent>();
    const second = await lamPost("/messages", body, two.apiKey, { "Idempotency-Key": "shared" });
    expect(second.headers.get("Idempotent-Replayed")).toBeNull();
    expect((await second.json<Sent>()).messages[0]!.id).not.toBe(first.messages[0]!.id);
    expect(await messagesOf(one.accountId)).toHaveLength(1);
    expect(await messagesOf(two.accountId)).toHaveLength(1);
    expect((await rotateKey(two.token, one.phoneNumberId)).status).toBe(404);
    expect((await lamPost("/messages", seedText(recipient()), one.apiKey)).status).toBe(201);
  });
});

describe("LAM sends through Meta (fake Graph API)", () => {
  const UTILITY = [{ type: "BODY", text: "Votre commande {{1}} est prête." }];

  it("a free-form text outside the 24-hour window is 470 and never reaches Meta; inside it goes out", async () => {
    const accountId = await newAccount();
    const phoneNumberId = await coreReadyNumber(accountId, true);
    const key = await keyFor(accountId, phoneNumberId);
    const to = recipient();
    const closed = await expectLamError(await lamPost("/messages", seedText(to), key), 403);
    expect(closed.errors).toEqual([{ code: 470, title: "Re-engagement message", details: expect.stringContaining("24 hours") }]);
    expect(await graphSends(to)).toBe(0);
    await openWindow(phoneNumberId, to);
    const res = await lamPost("/messages", seedText(to), key);
    expect(res.status).toBe(201);
    expect((await res.json<Sent>()).messages[0]!.id).toMatch(/^wamid\.FAKE/);
    expect(await graphSends(to)).toBe(1);
  });

  it("Meta's refusals: undeliverable is 400 (1026), a failure is 502; a paid template without funds is 402 and nothing is held", async () => {
    const accountId = await newAccount();
    const phoneNumberId = await coreReadyNumber(accountId, true);
    const key = await keyFor(accountId, phoneNumberId);
    const undeliverable = recipient("1026");
    await openWindow(phoneNumberId, undeliverable);
    expect(await codes(await lamPost("/messages", seedText(undeliverable), key), 400)).toEqual([1026]);
    const failing = recipient("1000");
    await openWindow(phoneNumberId, failing);
    expect(await codes(await lamPost("/messages", seedText(failing), key), 502)).toEqual([1000]);

    await storeTemplate(accountId, { name: "order_ready", language: "fr", category: "UTILITY", components: UTILITY });
    const paid = { to: recipient(), type: "template", template: { name: "order_ready", language: { code: "fr" }, components: [{ type: "body", parameters: [{ type: "text", text: "A1" }] }] } };
    expect(await codes(await lamPost("/messages", paid, key), 402)).toEqual([402]);
    expect(await holdsOf(accountId)).toEqual([]);
    await fund(accountId, "CDF", 1000);
    expect((await lamPost("/messages", paid, key)).status).toBe(201);
    expect(await wallet(accountId, "CDF")).toEqual({ balance: 940, held: 0 });
  });
});
