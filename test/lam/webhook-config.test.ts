import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { BASE } from "../helpers";
import { expectLamError, lamGet, lamPost, readyNumber } from "./helpers";

const nativeGet = (token: string, phoneNumberId: string) =>
  exports.default.fetch(`${BASE}/api/v1/numbers/${phoneNumberId}/webhook`, { headers: { Authorization: `Bearer ${token}` } });

describe("LAfricaMobile /configs/webhook", () => {
  it("sets the key's number's webhook with its headers and reads it back, as the native route sees it", async () => {
    const n = await readyNumber();
    const set = await lamPost("/configs/webhook", { url: "https://hooks.example.com/lam", headers: { "X-Shop-Auth": "s3cret" } }, n.apiKey);
    expect(set.status).toBe(200);
    expect(await set.json()).toMatchObject({ url: "https://hooks.example.com/lam", headers: { "X-Shop-Auth": "s3cret" } });
    const read = await lamGet("/configs/webhook", n.apiKey);
    expect(await read.json()).toMatchObject({ url: "https://hooks.example.com/lam", headers: { "X-Shop-Auth": "s3cret" } });
    expect(await (await nativeGet(n.token, n.phoneNumberId)).json()).toMatchObject({ url: "https://hooks.example.com/lam" });
  });

  it("keeps each number's webhook to itself", async () => {
    const first = await readyNumber();
    const second = await readyNumber();
    await lamPost("/configs/webhook", { url: "https://hooks.example.com/first" }, first.apiKey);
    const other = await (await lamGet("/configs/webhook", second.apiKey)).json<{ url: string }>();
    expect(other.url).not.toBe("https://hooks.example.com/first");
  });

  it("refuses a plain-http URL, an unknown field and a missing key in the On-Premise error shape", async () => {
    const n = await readyNumber();
    const http = await expectLamError(await lamPost("/configs/webhook", { url: "http://hooks.example.com/lam" }, n.apiKey), 400);
    expect(http.errors[0]!.details).toContain("url");
    await expectLamError(await lamPost("/configs/webhook", { url: "https://hooks.example.com/x", method: "PUT" }, n.apiKey), 400);
    await expectLamError(await lamGet("/configs/webhook"), 401);
  });
});
