import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { BASE } from "../helpers";
import { Harness, inboundText, sinkKey, sinkLog, statusPayload } from "../inbound/harness";
import { engagelabClient, readyNumber, send, type EngagelabClient } from "./helpers";

interface Row {
  message_id: string;
  from: string;
  to: string;
  status?: { message_status: string; status_data: Record<string, unknown>; error_code: number };
  response?: { event: string };
}

async function withCallback(client: EngagelabClient): Promise<string> {
  const key = sinkKey();
  const res = await exports.default.fetch(`${BASE}/api/v1/engagelab/callback`, {
    method: "PUT",
    headers: { Authorization: `Bearer ${client.token}`, "Content-Type": "application/json" },
    body: JSON.stringify({ url: `https://hooks.sink.test/${key}/ok` }),
  });
  expect(res.status).toBe(200);
  return key;
}

const rowsOf = async (key: string): Promise<Row[]> => (await sinkLog(key)).flatMap((r) => JSON.parse(r.body).rows as Row[]);

async function sentWamid(messageId: string): Promise<string> {
  const row = await env.DB.prepare("SELECT wamid FROM messages WHERE id = ?").bind(messageId).first<{ wamid: string }>();
  return row!.wamid;
}

describe("EngageLab callbacks", () => {
  it("a message Meta fails after accepting it is delivered_failed, to as the client wrote it, from with its +, country_code and conversation", async () => {
    const client = await engagelabClient();
    const number = await readyNumber(client);
    const key = await withCallback(client);
    const res = await send(client, { to: "+243 97 000 1122", body: { type: "text", text: { body: "Bonjour" } }, custom_args: { order: "A-17" } });
    const { message_id } = await res.json<{ message_id: string }>();
    const h = new Harness();
    const conversation = { id: "CONV-1", origin: { type: "user_initiated" } };
    const error = { code: 131026, title: "Message undeliverable", error_data: { details: "Receiver is incapable of receiving this message" } };
    await h.intake(statusPayload(number.phoneNumberId, await sentWamid(message_id), "failed", { conversation, errors: [error] }));
    await h.runInbound();
    await h.runDeliveries();
    const row = (await rowsOf(key)).find((r) => r.status?.message_status === "delivered_failed");
    expect(row).toMatchObject({
      message_id,
      from: "+243815550100",
      to: "+243 97 000 1122",
      custom_args: { order: "A-17" },
      status: {
        message_status: "delivered_failed",
        error_code: 131026,
        status_data: { country_code: "CD", conversation: { id: "CONV-1", origin: { type: "customer_initiated" } }, from_phone_id: number.phoneNumberId },
      },
    });
    expect((await rowsOf(key)).map((r) => r.status?.message_status)).not.toContain("sent_failed");
  });

  it("a customer's message is a response row with from and to as +digits", async () => {
    const client = await engagelabClient();
    const number = await readyNumber(client);
    const key = await withCallback(client);
    const h = new Harness();
    await h.intake(inboundText(number.phoneNumberId, "243970001122", "Bonjour"));
    await h.runInbound();
    await h.runDeliveries();
    const [row] = await rowsOf(key);
    expect(row).toMatchObject({ from: "+243970001122", to: "+243815550100", response: { event: "received" } });
  });
});
