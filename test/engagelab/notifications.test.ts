import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { BASE } from "../helpers";
import { Harness, sinkKey, sinkLog } from "../inbound/harness";
import { engagelabClient, errorOf, readyNumber, send, type EngagelabClient } from "./helpers";
import { createTemplate, templateName } from "./templates-helpers";
import { applyTemplateStatusUpdates } from "../../src/core/templates/status-updates";

interface NotificationRow {
  message_id: string;
  server: string;
  notification?: { event: string; notification_data: Record<string, unknown> };
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

/** Meta's `message_template_status_update` change for a template of the WABA. */
function templateReview(wabaId: string, templateId: string, event: string, extra: Record<string, unknown> = {}) {
  return {
    object: "whatsapp_business_account",
    entry: [{ id: wabaId, time: 1767261712, changes: [{ field: "message_template_status_update", value: { event, message_template_id: Number(templateId) || templateId, message_template_name: "x", message_template_language: "fr", ...extra } }] }],
  };
}

const templateRow = (id: string) => env.DB.prepare("SELECT id, waba_id, status FROM templates WHERE id = ?").bind(id).first<{ id: string; waba_id: string; status: string }>();
const rowsOf = async (key: string) => (await sinkLog(key)).flatMap((r) => JSON.parse(r.body).rows as NotificationRow[]);

describe("EngageLab system notifications", () => {
  it("a template Meta rejects reaches the callback as template_update, once however often Meta repeats it; the stored status follows", async () => {
    const client = await engagelabClient();
    const key = await withCallback(client);
    const name = templateName("review");
    const id = await createTemplate(client, { name, language: "fr", category: "UTILITY", components: [{ type: "BODY", text: "Bonjour" }] });
    const { waba_id } = (await templateRow(id))!;
    const h = new Harness();
    const review = templateReview(waba_id, id, "REJECTED", { reason: "INVALID_FORMAT" });
    await h.intake(review);
    await h.intake(review);
    await h.runInbound();
    await h.runDeliveries();
    const rows = (await rowsOf(key)).filter((r) => r.notification);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      server: "whatsapp",
      notification: {
        event: "template_update",
        notification_data: { whatsapp_business_account_id: waba_id, template_id: id, template_name: name, template_language: "fr", template_status: "REJECTED", template_status_reason: "INVALID_FORMAT" },
      },
    });
    expect((await templateRow(id))!.status).toBe("REJECTED");
    await readyNumber(client);
    const refused = await send(client, { to: "+243970001122", body: { type: "template", template: { name, language: "fr" } } });
    expect(await errorOf(refused)).toMatchObject({ status: 400, code: 3003 });

    await h.intake(templateReview(waba_id, id, "REINSTATED"));
    await h.runInbound();
    await h.runDeliveries();
    expect((await rowsOf(key)).filter((r) => r.notification).map((r) => r.notification!.notification_data.template_status)).toEqual(["REJECTED", "REINSTATED"]);
    expect((await templateRow(id))!.status).toBe("APPROVED");
  });

  it("tells only the account that made the template, and never the toKABOLA webhook; an unknown template tells no one", async () => {
    const owner = await engagelabClient();
    const other = await engagelabClient();
    const ownerKey = await withCallback(owner);
    const otherKey = await withCallback(other);
    const id = await createTemplate(owner, { name: templateName("own"), language: "fr", category: "UTILITY", components: [{ type: "BODY", text: "Salut" }] });
    const { waba_id } = (await templateRow(id))!;
    const h = new Harness();
    await h.intake(templateReview(waba_id, id, "PAUSED"));
    await h.intake(templateReview(waba_id, "999999999999", "APPROVED"));
    await h.runInbound();
    await h.runDeliveries();
    expect((await rowsOf(ownerKey)).filter((r) => r.notification)).toHaveLength(1);
    expect(await rowsOf(otherKey)).toEqual([]);
    const formats = await env.DB.prepare(
      "SELECT e.format FROM deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE d.account_id = ? AND d.event_id LIKE 'evt_tpl_%'",
    )
      .bind(owner.accountId)
      .all<{ format: string }>();
    expect(formats.results.map((r) => r.format)).toEqual(["engagelab"]);
  });
});

describe("EngageLab system notifications when a write fails", () => {
  it("throws after a failed notification so the queue retries the payload, and the retry tells the account once", async () => {
    const client = await engagelabClient();
    const key = await withCallback(client);
    const id = await createTemplate(client, { name: templateName("retry"), language: "fr", category: "UTILITY", components: [{ type: "BODY", text: "Bonjour" }] });
    const { waba_id } = (await templateRow(id))!;
    const h = new Harness();
    const review = templateReview(waba_id, id, "REJECTED", { reason: "INVALID_FORMAT" });
    // The first fan-out's batch fails (D1 unavailable for a moment); the update itself went through.
    let failures = 1;
    const db = new Proxy(h.ctx.db, {
      get: (target, prop) => (prop === "batch" && failures-- > 0 ? () => Promise.reject(new Error("D1 unavailable")) : Reflect.get(target, prop).bind(target)),
    });
    await expect(applyTemplateStatusUpdates({ ...h.ctx, db }, review, Date.now())).rejects.toThrow("D1 unavailable");
    expect(await applyTemplateStatusUpdates(h.ctx, review, Date.now())).toBe(1);
    expect(await applyTemplateStatusUpdates(h.ctx, review, Date.now())).toBe(0);
    await h.runDeliveries();
    expect((await rowsOf(key)).filter((r) => r.notification).map((r) => r.notification!.notification_data.template_status)).toEqual(["REJECTED"]);
  });
});
