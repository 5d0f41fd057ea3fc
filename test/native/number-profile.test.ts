import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { uniqueNumber } from "../durable/numbers-helpers";
import { seedReadyNumber } from "../fixtures/numbers";
import { BASE, signupWithToken } from "../helpers";

const call = (token: string, method: string, path: string, body?: unknown) =>
  exports.default.fetch(`${BASE}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

async function readyAccount() {
  const account = await signupWithToken();
  const { phoneNumberId } = await seedReadyNumber(account.id);
  return { token: account.token, path: `/api/v1/numbers/${phoneNumberId}/profile`, phoneNumberId };
}

describe("Native API: a number's business profile", () => {
  it("is changed field by field and read back, untouched fields kept", async () => {
    const { token, path, phoneNumberId } = await readyAccount();
    const first = await call(token, "PUT", path, { about: "Ouvert 8h-20h", websites: ["https://boutique.example.cd"], vertical: "RETAIL" });
    expect(first.status, await first.clone().text()).toBe(200);
    const second = await call(token, "PUT", path, { email: "contact@boutique.example.cd" });
    expect(await second.json()).toMatchObject({ phone_number_id: phoneNumberId, about: "Ouvert 8h-20h", email: "contact@boutique.example.cd" });
    const read = await call(token, "GET", path);
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({
      phone_number_id: phoneNumberId,
      about: "Ouvert 8h-20h",
      email: "contact@boutique.example.cd",
      websites: ["https://boutique.example.cd"],
      vertical: "RETAIL",
    });
  });

  it("refuses bad fields, unknown fields and an empty change with 400 and the fields named, changing nothing", async () => {
    const { token, path } = await readyAccount();
    await call(token, "PUT", path, { about: "Avant" });
    for (const [body, field] of [
      [{ email: "pas-un-email" }, "email"],
      [{ about: "x".repeat(140) }, "about"],
      [{ websites: ["ftp://boutique.example.cd"] }, "websites[0]"],
      [{ websites: ["https://a.example", "https://b.example", "https://c.example"] }, "websites"],
      [{ vertical: "CASINO" }, "vertical"],
    ] as const) {
      const res = await call(token, "PUT", path, { about: "Après", ...body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      const { error } = await res.json<{ error: { code: string; issues: { field: string }[] } }>();
      expect(error.issues.map((i) => i.field)).toContain(field);
    }
    expect((await call(token, "PUT", path, {})).status).toBe(400);
    expect((await call(token, "PUT", path, { about: "Après", logo: "https://x.example/a.png" })).status).toBe(400);
    expect(await (await call(token, "GET", path)).json()).toMatchObject({ about: "Avant" });
  });

  it("answers 404 for another account's number, and 409 to a change before the number is READY", async () => {
    const a = await readyAccount();
    const b = await signupWithToken();
    expect((await call(b.token, "GET", a.path)).status).toBe(404);
    expect((await call(b.token, "PUT", a.path, { about: "Volé" })).status).toBe(404);
    expect(await (await call(a.token, "GET", a.path)).json()).not.toMatchObject({ about: "Volé" });
    const added = await call(b.token, "POST", "/api/v1/numbers", { cc: "243", phone_number: uniqueNumber(), phone_name: "Boutique Kin" });
    expect(added.status, await added.clone().text()).toBe(201);
    const { phone_number_id } = await added.json<{ phone_number_id: string }>();
    const early = await call(b.token, "PUT", `/api/v1/numbers/${phone_number_id}/profile`, { about: "Trop tôt" });
    expect(early.status).toBe(409);
  });
});
