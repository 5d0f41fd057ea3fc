import { describe, expect, it } from "vitest";
import { signupWithToken, tokabola } from "../helpers";
import { uniqueNumber } from "../durable/numbers-helpers";

interface Envelope<T = Record<string, unknown>> {
  status: string;
  message: string;
  code?: number;
  data: T;
}

async function add(token: string, phone_number = uniqueNumber()) {
  const res = await tokabola({ type: "add", add: { cc: "243", phone_number, phone_name: "Boutique Kin", language: "fr_FR" } }, token);
  return { res, body: await res.json<Envelope<{ phone_number_id: string; api_key: string; status: string }>>() };
}

const askCode = (token: string, phone_number_id: string, otp_type = "SMS") =>
  tokabola({ type: "number", number: { method: "ask_code", phone_number_id, otp_type, language: "fr_FR" } }, token);
const verify = (token: string, phone_number_id: string, otp_code: string) =>
  tokabola({ type: "number", number: { method: "verify", phone_number_id, otp_code } }, token);
const updateNumber = (token: string, number: Record<string, unknown>) =>
  tokabola({ type: "update", update: { account: "number" }, number }, token);

describe("toKABOLA numbers", () => {
  it("add → ask_code → verify 123456 → profile update, as in the seed's steps 5 to 7", async () => {
    const { token } = await signupWithToken();
    const { res, body } = await add(token);
    expect(res.status).toBe(200);
    expect(body.data).toMatchObject({ status: "CLUSTER_CREATED", cc: "243", phone_name: "Boutique Kin" });
    expect(body.data.phone_number_id).toMatch(/^\d{15}$/);
    expect(body.data.api_key).toMatch(/^[0-9a-f]{40}$/);
    const pnid = body.data.phone_number_id;

    const sent = await askCode(token, pnid, "VOICE");
    expect(sent.status).toBe(200);
    expect((await sent.json<Envelope>()).data).toEqual({ phone_number_id: pnid, status: "CODE_SENT" });

    const wrong = await verify(token, pnid, "111111");
    expect(wrong.status).toBe(422);
    expect((await wrong.json<Envelope>()).code).toBe(422);

    const ok = await verify(token, pnid, "123456");
    expect(ok.status).toBe(200);
    expect((await ok.json<Envelope>()).data).toEqual({ phone_number_id: pnid, status: "READY" });

    const profile = await updateNumber(token, {
      phone_number_id: pnid,
      about: "Vêtements à Kinshasa",
      address: "12 avenue du Commerce, Gombe",
      description: "Boutique de mode",
      websites: "https://www.example.com",
      email: "contact@example.com",
      logo: "https://www.example.com/img/logo_big.png",
      language: "fr_FR",
    });
    expect(profile.status).toBe(200);
    expect((await profile.json<Envelope>()).data).toEqual({
      phone_number_id: pnid,
      about: "Vêtements à Kinshasa",
      address: "12 avenue du Commerce, Gombe",
      description: "Boutique de mode",
      websites: ["https://www.example.com"],
      email: "contact@example.com",
      logo: "https://www.example.com/img/logo_big.png",
    });
  });

  it("a number already in a live deployment of any account is refused", async () => {
    const first = await signupWithToken();
    const second = await signupWithToken();
    const number = uniqueNumber();
    expect((await add(first.token, number)).res.status).toBe(200);
    const { res, body } = await add(second.token, number);
    expect(res.status).toBe(409);
    expect(body.status).toBe("error");
  });

  it("a number the upstream refuses is reported and not kept, so adding it again gets the same answer", async () => {
    const { token } = await signupWithToken();
    const number = uniqueNumber("0000");
    for (let i = 0; i < 2; i++) {
      const { res, body } = await add(token, number);
      expect(res.status).toBe(400);
      expect(body.message).toContain("WhatsApp refused this number");
    }
  });

  it("a language not in WhatsApp's ll_CC form is refused before anything is created", async () => {
    const { token } = await signupWithToken();
    const res = await tokabola({ type: "add", add: { cc: "243", phone_number: uniqueNumber(), phone_name: "Kin", language: "fr" } }, token);
    expect(res.status).toBe(400);
    expect((await res.json<{ errors: { field: string }[] }>()).errors[0]!.field).toBe("add.language");
  });

  it("another account's phone_number_id, or an unknown one, answers 404", async () => {
    const owner = await signupWithToken();
    const other = await signupWithToken();
    const { body } = await add(owner.token);
    expect((await askCode(other.token, body.data.phone_number_id)).status).toBe(404);
    expect((await askCode(owner.token, "999999999999999")).status).toBe(404);
  });

  it("verify before ask_code, and a second ask_code within a minute, are refused", async () => {
    const { token } = await signupWithToken();
    const { body } = await add(token);
    const pnid = body.data.phone_number_id;
    expect((await verify(token, pnid, "123456")).status).toBe(409);
    expect((await askCode(token, pnid)).status).toBe(200);
    const again = await askCode(token, pnid);
    expect(again.status).toBe(429);
    expect(Number(again.headers.get("Retry-After"))).toBeGreaterThan(0);
  });

  it("the profile can change only once the number is READY, within WhatsApp's limits", async () => {
    const { token } = await signupWithToken();
    const { body } = await add(token);
    const pnid = body.data.phone_number_id;
    expect((await updateNumber(token, { phone_number_id: pnid, about: "Bonjour" })).status).toBe(409);
    await askCode(token, pnid);
    await verify(token, pnid, "123456");
    const tooMany = await updateNumber(token, { phone_number_id: pnid, websites: ["https://a.cd", "https://b.cd", "https://c.cd"] });
    expect(tooMany.status).toBe(400);
    const tooLong = await updateNumber(token, { phone_number_id: pnid, about: "x".repeat(140) });
    expect((await tooLong.json<{ errors: { field: string }[] }>()).errors[0]!.field).toBe("number.about");
    const nothing = await updateNumber(token, { phone_number_id: pnid });
    expect(nothing.status).toBe(400);
  });
});
