import { env } from "cloudflare:workers";
import type { SendInput } from "../../src/core/messages/contract";
import { loggedNumbers, messageLog } from "../../src/core/messages/store";
import type { Env } from "../../src/config/env";
import type { CoreContext } from "../../src/config/context";
import type { Clock } from "../../src/lib/clock";
import { newAccount } from "../durable/numbers-helpers";
import { seedReadyNumber } from "../fixtures/numbers";
import { GRAPH_TOKEN, GRAPH_WABA_ID } from "../fakes/graph";
import { FAKE_PAWAPAY_TOKEN } from "../fakes/pawapay";
import { depositReference } from "../../src/stores/money/references";
import { coreContext } from "../helpers";

export { newAccount };

/**
 * A coherent Meta configuration: a real WhatsApp upstream needs real money (pawaPay, against its
 * fake) and its own webhook signing key. Tests fund wallets directly (`fund`).
 */
export const META: Partial<Env> = {
  WHATSAPP_UPSTREAM: "meta",
  META_ACCESS_TOKEN: GRAPH_TOKEN,
  META_APP_SECRET: "test-app-secret",
  META_VERIFY_TOKEN: "test-verify-token",
  META_WABA_ID: GRAPH_WABA_ID,
  WEBHOOK_SIGNING_KEY: "test-webhook-signing-key",
  MOBILE_MONEY: "pawapay",
  PAWAPAY_API_TOKEN: FAKE_PAWAPAY_TOKEN,
};

export const sandboxCtx = (clock?: Clock, overrides: Partial<Env> = {}) => coreContext(clock, overrides);
export const metaCtx = (clock?: Clock) => coreContext(clock, META);

/** A READY number in the account (sandbox unless `meta`), seeded directly; returns its phone_number_id. */
export async function readyNumber(accountId: string, meta = false): Promise<string> {
  return (await seedReadyNumber(accountId, meta ? "meta" : "sandbox")).phoneNumberId;
}

let recipientSeq = 0;
/**
 * A DRC mobile number (243 81…) no other test uses, ending with `suffix` (a fake's 4-digit
 * trigger) when given, else with digits that trigger nothing.
 */
export function recipient(suffix = ""): string {
  recipientSeq += 1;
  const unique = `${Date.now().toString().slice(-3)}${String(recipientSeq % 100).padStart(2, "0")}${Math.floor(Math.random() * 10)}`;
  return suffix ? `24381${unique.slice(-3)}${suffix}` : `24381${unique}3`;
}

export const text = (to: string, body = "Bonjour") => ({ messaging_product: "whatsapp", recipient_type: "individual", to, type: "text", text: { body } }) as SendInput["message"];

export const template = (to: string, name: string, language: string, components?: unknown[]) =>
  ({ messaging_product: "whatsapp", recipient_type: "individual", to, type: "template", template: { name, language: { code: language }, ...(components ? { components } : {}) } }) as SendInput["message"];

export const otp = (to: string, code: string, language = "fr") =>
  template(to, "tuma_otp", language, [
    { type: "body", parameters: [{ type: "text", text: code }] },
    { type: "button", sub_type: "url", index: "0", parameters: [{ type: "text", text: code }] },
  ]);

export function input(accountId: string, message: SendInput["message"], extra: Partial<SendInput> = {}): SendInput {
  return { accountId, phoneNumberId: null, message, idempotencyKey: null, ...extra };
}

/** The customer `to` writes to the number at `at` (an inbound text in its log), which opens the 24-hour window. */
export async function openWindow(phoneNumberId: string, to: string, at = Date.now()) {
  const number = await env.DB.prepare("SELECT account_id FROM deployments WHERE phone_number_id = ?").bind(phoneNumberId).first<{ account_id: string }>();
  const from = to.replace(/\D/g, "");
  const wamid = `wamid.window-${crypto.randomUUID()}`;
  await messageLog(coreContext()).recordInbound({
    wamid, account_id: number!.account_id, phone_number_id: phoneNumberId, from_wa_id: from, profile_name: null, type: "text",
    content: JSON.stringify({ id: wamid, from, type: "text", text: { body: "hello" } }), media_id: null, sent_at: at, received_at: at,
  });
}

/** Credits the account's wallet directly (a deposit entry). */
export async function fund(accountId: string, currency: string, amount: number) {
  await env.DB.prepare("INSERT INTO ledger_entries (account_id, currency, amount, reason, reference, created_at) VALUES (?, ?, ?, 'deposit', ?, ?)")
    .bind(accountId, currency, amount, depositReference(crypto.randomUUID()), Date.now())
    .run();
}

export async function wallet(accountId: string, currency: string) {
  return env.DB.prepare("SELECT balance, held FROM wallets WHERE account_id = ? AND currency = ?").bind(accountId, currency).first<{ balance: number; held: number }>();
}

/** The account's sends, as the message log keeps them, oldest first. */
export async function messagesOf(accountId: string, ctx: CoreContext = coreContext()): Promise<Record<string, unknown>[]> {
  return (await messageLog(ctx).sends(accountId, 10_000)).map((m) => ({ ...m }));
}

/** A send by its wamid, whichever number sent it. */
export async function messageByWamid(wamid: string, ctx: CoreContext = coreContext()) {
  for (const number of await loggedNumbers(ctx)) {
    const m = await messageLog(ctx).byWamid(number, wamid);
    if (m) return m;
  }
  return null;
}

/** One message of the account, as stored. */
export async function messageOf(accountId: string, id: string, ctx: CoreContext = coreContext()) {
  const row = await messageLog(ctx).byId(accountId, id);
  if (!row) throw new Error(`no message ${id}`);
  return row;
}

export async function holdsOf(accountId: string) {
  const { results } = await env.DB.prepare("SELECT reference, amount, status, posted_amount FROM holds WHERE account_id = ?").bind(accountId).all<Record<string, unknown>>();
  return results;
}

/** A template in the account's store, as the sandbox (or Meta's cache) holds it. */
export async function storeTemplate(accountId: string, t: { name: string; language: string; category: string; status?: string; components: unknown[] }) {
  await env.DB.prepare(
    "INSERT INTO templates (id, account_id, waba_id, name, language, category, status, components, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0)",
  )
    .bind(`tpl_${crypto.randomUUID()}`, accountId, GRAPH_WABA_ID, t.name, t.language, t.category, t.status ?? "APPROVED", JSON.stringify(t.components))
    .run();
}

/** How many sends the fake Graph API got for this recipient. */
/** Sends Meta's fake received for `to`; from one number only when `from` names it (recipients of parallel test files can coincide). */
export async function graphSends(to: string, from?: string): Promise<number> {
  const res = await fetch(`https://graph.facebook.com/v23.0/fake/sends/${to}${from ? `?from=${from}` : ""}`);
  return (await res.json<{ count: number }>()).count;
}
