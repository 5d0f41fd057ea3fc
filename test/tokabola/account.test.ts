import { describe, expect, it } from "vitest";
import { signupWithToken, tokabola, uniqueName } from "../helpers";

const ALL_FIELDS = [
  "name_user", "desc_user", "logo_url", "webhook_url", "id_user", "key_user",
  "date_user", "time_user", "autorisation", "type_abonnement", "date_expiration", "time_expiration",
];

describe("toKABOLA account", () => {
  it("returns every field when no selector is given, with key_user masked", async () => {
    const account = await signupWithToken();
    const res = await tokabola({ type: "account" }, account.token);
    expect(res.status).toBe(200);
    const body = await res.json<any>();
    expect(body).toMatchObject({ status: "success", message: "Opération réussie" });
    expect(Object.keys(body.data)).toEqual(ALL_FIELDS);
    expect(body.data.id_user).toBe(account.id);
    expect(body.data.name_user).toBe(account.name);
    expect(body.data.webhook_url).toBe("https://hooks.example.com/wa");
    expect(body.data.key_user).toBe(`${account.key.slice(0, 7)}********`);
    expect(JSON.stringify(body)).not.toContain(account.key);
    expect(body.data.autorisation).toBe(true);
    expect(body.data.type_abonnement).toBe("TRIAL");
    expect(body.data.date_user).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(body.data.time_user).toMatch(/^\d{2}:\d{2}:\d{2}$/);
  });

  it("returns only the fields asked for", async () => {
    const account = await signupWithToken();
    const res = await tokabola({ type: "account", account: { name_user: "?", id_user: "?" } }, account.token);
    expect((await res.json<any>()).data).toEqual({ name_user: account.name, id_user: account.id });
  });

  it("refuses a field name it does not know", async () => {
    const account = await signupWithToken();
    const res = await tokabola({ type: "account", account: { password: "?" } }, account.token);
    expect(res.status).toBe(400);
    expect((await res.json<any>()).code).toBe(1001);
  });

  it("shows each account only its own data", async () => {
    const alice = await signupWithToken();
    const bob = await signupWithToken();
    const seenByAlice = (await (await tokabola({ type: "account" }, alice.token)).json<any>()).data;
    const seenByBob = (await (await tokabola({ type: "account" }, bob.token)).json<any>()).data;
    expect(seenByAlice.id_user).toBe(alice.id);
    expect(seenByBob.id_user).toBe(bob.id);
    expect(seenByBob.name_user).toBe(bob.name);
  });
});

describe("toKABOLA update infos", () => {
  it("changes only the fields given", async () => {
    const account = await signupWithToken();
    const res = await tokabola(
      { type: "update", update: { account: "infos" }, infos: { description: "Nouvelle description" } },
      account.token,
    );
    expect(res.status).toBe(200);
    const data = (await res.json<any>()).data;
    expect(data.desc_user).toBe("Nouvelle description");
    expect(data.name_user).toBe(account.name);
    expect(data.webhook_url).toBe("https://hooks.example.com/wa");
  });

  it("is visible at once to every token of the account, despite the KV cache", async () => {
    const account = await signupWithToken();
    const { tokenFor } = await import("../helpers");
    const other = await tokenFor(account);
    await tokabola({ type: "account" }, other); // both tokens now have a cached snapshot
    await tokabola({ type: "update", update: { account: "infos" }, infos: { description: "v2" } }, account.token);
    for (const token of [account.token, other]) {
      const res = await tokabola({ type: "account", account: { desc_user: "?" } }, token);
      expect((await res.json<any>()).data).toEqual({ desc_user: "v2" });
    }
  });

  it("renames, and keeps names unique across accounts", async () => {
    const alice = await signupWithToken();
    const bob = await signupWithToken();
    const newName = uniqueName("Renamed");
    const renamed = await tokabola({ type: "update", update: { account: "infos" }, infos: { name: newName } }, alice.token);
    expect((await renamed.json<any>()).data.name_user).toBe(newName);
    const clash = await tokabola({ type: "update", update: { account: "infos" }, infos: { name: newName.toLowerCase() } }, bob.token);
    expect(clash.status).toBe(409);
    expect((await clash.json<any>()).code).toBe(1002);
  });

  it("validates URLs the same way as signup", async () => {
    const account = await signupWithToken();
    const res = await tokabola({ type: "update", update: { account: "infos" }, infos: { webhook: "http://evil.example" } }, account.token);
    expect(res.status).toBe(400);
    expect((await res.json<any>()).errors[0].field).toBe("infos.webhook");
  });

  it("refuses an empty infos object and a missing one", async () => {
    const account = await signupWithToken();
    for (const body of [
      { type: "update", update: { account: "infos" }, infos: {} },
      { type: "update", update: { account: "infos" } },
    ]) {
      const res = await tokabola(body, account.token);
      expect(res.status).toBe(400);
      expect((await res.json<any>()).errors[0].field).toBe("infos");
    }
  });

  it("names the valid update.account values when given an unknown one", async () => {
    const account = await signupWithToken();
    const res = await tokabola({ type: "update", update: { account: "password" } }, account.token);
    const body = await res.json<any>();
    expect(body.code).toBe(1001);
    expect(body.errors[0]).toEqual({ field: "update.account", reason: expect.stringContaining("infos") });
  });
});
