import { describe, expect, it } from "vitest";
import { post, signupWithToken } from "../helpers";
import { messagesOf, recipient } from "../messages/helpers";

const send = async (token: string, type: string, body: Record<string, unknown>) => {
  const res = await post("/tokabola/v1/", { type, [type]: body }, { Authorization: `Bearer ${token}` });
  return { status: res.status, body: await res.json<{ status: string; message: string; code: number }>() };
};

describe("toKABOLA sends from an account with no READY number", () => {
  it("answer 1001 saying what is missing (add a number, or server SANDBOX) for assistance, auth, marketing and utility, and send nothing", async () => {
    const account = await signupWithToken();
    const cases: [string, Record<string, unknown>][] = [
      ["assistance", { method: "text", to: recipient(), body: "Bonjour" }],
      // The seed's OTP example, with a real code in place of its placeholder.
      ["auth", { method: "otp", to: recipient(), otp_code: "482913", language: "fr" }],
      ["marketing", { to: recipient(), name: "promo_noel", language: "fr", parameters: ["-20%"] }],
      ["marketing", { to: [recipient(), recipient()], name: "promo_noel", language: "fr", parameters: ["-20%"] }],
      ["utility", { to: recipient(), name: "order_ready", language: "fr", parameters: ["A-77"] }],
    ];
    for (const [type, body] of cases) {
      const r = await send(account.token, type, body);
      expect(r.status, `${type} ${JSON.stringify(body.to)}`).toBe(400);
      expect(r.body).toMatchObject({ status: "error", code: 1001 });
      expect(r.body.message).toMatch(/Aucun numéro READY/);
      expect(r.body.message).toMatch(/"server": "SANDBOX"/);
      expect(r.body.message).not.toMatch(/Ressource introuvable/);
    }
    expect(await messagesOf(account.id)).toEqual([]);
  });

  it("server SANDBOX sends the same OTP from the sandbox's shared sender", async () => {
    const account = await signupWithToken();
    const r = await send(account.token, "auth", { method: "otp", server: "SANDBOX", to: recipient(), otp_code: "482913", language: "fr" });
    expect(r.status).toBe(200);
  });
});
