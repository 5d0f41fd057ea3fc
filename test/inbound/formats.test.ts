import { describe, expect, it } from "vitest";
import type { CanonicalEvent } from "../../src/core/client-webhooks/events";
import { hmacSha256Hex } from "../../src/lib/crypto";
import { engagelabFormat } from "../../src/dialects/engagelab/webhook-format";
import { lamFormat } from "../../src/dialects/lam/webhook-format";
import { nativeFormat } from "../../src/dialects/native/webhook-format";
import { tokabolaFormat } from "../../src/dialects/tokabola/webhook-format";
import { signRequest } from "../../src/core/client-webhooks/sign";

const base = { id: "evt_1", created_at: 1767261650_000, phone_number_id: "106540352242922", display_phone_number: "243815550100", waba_id: "102290129340398" };

const inboundImage: CanonicalEvent = {
  ...base,
  type: "message.received",
  message: {
    id: "wamid.IN1",
    from: "243970001122",
    profile_name: "Mireille K.",
    type: "image",
    timestamp: 1767261600_000,
    content: { from: "243970001122", id: "wamid.IN1", timestamp: "1767261600", type: "image", context: { from: "243815550100", id: "wamid.OUT0" }, image: { caption: "Reçu du paiement", mime_type: "image/jpeg", sha256: "abc", id: "1451200388123456" } },
  },
};

const inboundButton: CanonicalEvent = {
  ...base,
  type: "message.received",
  message: { id: "wamid.IN2", from: "243970001122", profile_name: null, type: "button", timestamp: 1767261600_000, content: { from: "243970001122", id: "wamid.IN2", timestamp: "1767261600", type: "button", button: { payload: "CONFIRM", text: "Confirmer" } } },
};

const failed: CanonicalEvent = {
  ...base,
  type: "message.status",
  status: {
    message_id: "msg_42",
    wamid: "wamid.OUT1",
    status: "failed",
    recipient: "243970001122",
    recipient_input: "+243 97 000 1122",
    timestamp: 1767348100_000,
    error: { code: 131047, title: "Re-engagement message", message: "Re-engagement message", details: "More than 24 hours" },
    pricing: null,
    conversation: { id: "CONV-9", origin: { type: "business_initiated" } },
    client_data: { order: "A-17" },
    campaign_id: null,
  },
};

const delivered: CanonicalEvent = {
  ...base,
  type: "message.status",
  status: { message_id: "msg_43", wamid: "wamid.OUT2", status: "delivered", recipient: "243970001122", recipient_input: null, timestamp: 1767261650_000, error: null, pricing: { pricing_model: "PMP", category: "utility", type: "regular" }, conversation: null, client_data: null, campaign_id: null },
};

const target = { url: "https://client.example/hook?src=tuma", headers: {} };

describe("Webhook formats", () => {
  it("toKABOLA: a GET with the seed's query parameters, plus media id, button payload and status fields", () => {
    const image = tokabolaFormat(inboundImage, target);
    expect(image.method).toBe("GET");
    expect(image.body).toBeNull();
    const q = new URL(image.url).searchParams;
    expect(Object.fromEntries(q)).toMatchObject({
      src: "tuma",
      action_type: "image",
      tel_user: "243970001122",
      message: "Reçu du paiement",
      phone_number_id: "106540352242922",
      message_id: "wamid.IN1",
      media_id: "1451200388123456",
      mime_type: "image/jpeg",
      context_message_id: "wamid.OUT0",
    });
    expect(Object.fromEntries(new URL(tokabolaFormat(inboundButton, target).url).searchParams)).toMatchObject({ action_type: "button", message: "Confirmer", button_payload: "CONFIRM" });
    expect(Object.fromEntries(new URL(tokabolaFormat(failed, target).url).searchParams)).toMatchObject({
      action_type: "status",
      status: "failed",
      tel_user: "243970001122",
      message_id: "wamid.OUT1",
      tuma_message_id: "msg_42",
      error_code: "131047",
    });
  });

  it("LAfricaMobile: the On-Premise shape, top-level contacts + messages or statuses, with the configured headers", () => {
    const inbound = lamFormat(inboundImage, { url: "https://lam.example/hook", headers: { "X-Auth": "s3cret" } });
    expect(inbound.method).toBe("POST");
    expect(inbound.headers).toMatchObject({ "X-Auth": "s3cret", "Content-Type": "application/json" });
    const body = JSON.parse(inbound.body!);
    expect(body.contacts).toEqual([{ profile: { name: "Mireille K." }, wa_id: "243970001122" }]);
    expect(body.messages[0]).toMatchObject({ id: "wamid.IN1", type: "image", image: { id: "1451200388123456" } });
    expect(body.statuses).toBeUndefined();
    const status = JSON.parse(lamFormat(failed, target).body!);
    expect(status).toEqual({
      statuses: [{ id: "wamid.OUT1", recipient_id: "243970001122", status: "failed", timestamp: "1767348100", type: "message", message: { recipient_id: "243970001122" }, errors: [{ code: 131047, title: "Re-engagement message", details: "More than 24 hours" }] }],
    });
  });

  it("EngageLab: {total, rows} with Tuma's message id, custom_args echoed, EngageLab status names, numbers with +, inbound as a response row", () => {
    const statusRows = JSON.parse(engagelabFormat(failed, target).body!);
    expect(statusRows.total).toBe(1);
    expect(statusRows.rows[0]).toMatchObject({
      message_id: "msg_42",
      from: "+243815550100",
      to: "+243 97 000 1122",
      server: "whatsapp",
      itime: 1767261650,
      custom_args: { order: "A-17" },
      status: { message_status: "delivered_failed", status_data: { channel_message_id: "wamid.OUT1", msg_time: 1767348100, country_code: "CD", conversation: { id: "CONV-9", origin: { type: "business_initiated" } } }, error_code: 131047, error_detail: { message: "More than 24 hours" } },
    });
    expect(JSON.parse(engagelabFormat(delivered, target).body!).rows[0].to).toBe("+243970001122");
    expect(JSON.parse(engagelabFormat(delivered, target).body!).rows[0].status).toMatchObject({ message_status: "delivered", error_code: 0, status_data: { pricing: { pricing_model: "PMP", category: "utility" } } });
    const response = JSON.parse(engagelabFormat(inboundImage, target).body!).rows[0];
    expect(response).toMatchObject({
      message_id: "wamid.IN1",
      from: "+243970001122",
      to: "+243815550100",
      response: {
        event: "reply",
        response_data: {
          channel_message_id: "wamid.IN1",
          contact: { profile: { name: "Mireille K." }, wa_id: "243970001122" },
          message: { type: "image", image: { id: "1451200388123456" } },
          message_context: { origin_channel_message_id: "wamid.OUT0" },
        },
      },
    });
  });

  it("native: the canonical event as JSON", () => {
    const request = nativeFormat(delivered, target);
    expect(request.method).toBe("POST");
    expect(JSON.parse(request.body!)).toEqual(delivered);
  });

  it("signs the body of a POST and the query string of a GET with t and the endpoint's secret", async () => {
    const now = 1767261650_123;
    for (const unsigned of [nativeFormat(delivered, target), tokabolaFormat(inboundImage, target)]) {
      const signed = await signRequest(unsigned, "whsec_test", "dlv_1", now);
      expect(signed.headers["Tuma-Delivery-Id"]).toBe("dlv_1");
      const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(signed.headers["Tuma-Signature"]!)!;
      expect(t).toBe("1767261650");
      const part = signed.body ?? new URL(signed.url).search.slice(1);
      expect(v1).toBe(await hmacSha256Hex("whsec_test", `${t}.${part}`));
    }
  });
});
