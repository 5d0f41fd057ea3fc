import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sendMessage } from "../../src/core/messages/send";
import { BASE, signup, tokabola, tokenFor } from "../helpers";
import { Harness, inboundText, sinkKey, sinkLog, statusPayload } from "../inbound/harness";
import { input, readyNumber, recipient, text } from "../messages/helpers";

const call = (method: string, token: string, body?: unknown) =>
  exports.default.fetch(`${BASE}/api/v1/account/settings`, {
    method,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });

/** An account whose toKABOLA webhook is a sink; a text sent, a status and a customer's message come in. */
async function statusAndMessage(optIn: boolean | null) {
  const key = sinkKey();
  const account = await signup({ webhook: `https://hooks.sink.test/${key}/ok` });
  const token = await tokenFor(account);
  const phoneNumberId = await readyNumber(account.id);
  if (optIn !== null) expect((await call("PUT", token, { tokabola_status_webhooks: optIn })).status).toBe(200);
  const h = new Harness();
  const sent = await sendMessage(h.ctx, input(account.id, text(recipient())));
  if (!sent.ok) throw sent.error;
  await h.intake(statusPayload(phoneNumberId, sent.value.wamid, "delivered"));
  await h.intake(inboundText(phoneNumberId, recipient(), "Bonjour"));
  await h.runInbound();
  await h.runDeliveries();
  return (await sinkLog(key)).map((r) => new URL(r.url).searchParams.get("action_type"));
}

describe("toKABOLA status webhooks (native account setting)", () => {
  it("are off by default: a status produces no toKABOLA GET, a customer's message does", async () => {
    expect(await statusAndMessage(null)).toEqual(["text"]);
  });

  it("turned on, a status is a GET with action_type=status; turned off again, it is not", async () => {
    expect((await statusAndMessage(true)).sort()).toEqual(["status", "text"]);
    expect(await statusAndMessage(false)).toEqual(["text"]);
  });

  it("reads and sets the setting, before the account has any webhook URL too, and keeps it when a URL comes", async () => {
    const account = await signup({ webhook: null });
    const token = await tokenFor(account);
    expect(await (await call("GET", token)).json()).toEqual({ tokabola_status_webhooks: false });
    expect(await (await call("PUT", token, { tokabola_status_webhooks: true })).json()).toEqual({ tokabola_status_webhooks: true });
    expect(await (await call("GET", token)).json()).toEqual({ tokabola_status_webhooks: true });
    expect((await tokabola({ type: "update", update: { account: "infos" }, infos: { webhook: "https://hooks.example.com/later" } }, token)).status).toBe(200);
    expect(await (await call("GET", token)).json()).toEqual({ tokabola_status_webhooks: true });
  });

  it("refuses a setting that is not a boolean, an unknown setting and a body that is not JSON, changing nothing", async () => {
    const account = await signup();
    const token = await tokenFor(account);
    for (const body of [{ tokabola_status_webhooks: "yes" }, {}, { tokabola_status_webhooks: true, other: 1 }, "{not json"]) {
      const res = await call("PUT", token, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
    }
    expect(await (await call("GET", token)).json()).toEqual({ tokabola_status_webhooks: false });
    expect((await call("GET", "not-a-token")).status).toBe(401);
  });
});
