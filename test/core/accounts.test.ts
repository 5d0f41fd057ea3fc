import { describe, expect, it } from "vitest";
import { createAccount, newKeyUser, rotateAccountKey, updateAccountInfo, verifyAccountKey } from "../../src/core/accounts/accounts";
import { WEBHOOK_FORMATS } from "../../src/dialects/client-webhook-formats";
import { coreContext, ManualClock, uniqueName } from "../helpers";

async function created(name = uniqueName()) {
  const result = await createAccount(coreContext(), { name });
  if (!result.ok) throw result.error;
  return result.value;
}

describe("core accounts", () => {
  it("makes key_user with 128 random bits in toKABOLA's shape", () => {
    const keys = new Set(Array.from({ length: 200 }, newKeyUser));
    expect(keys.size).toBe(200);
    for (const key of keys) expect(key.replace(/^1-|-/g, "")).toMatch(/^[0-9a-f]{32}$/);
  });

  it("starts a 3-day trial from the injected clock", async () => {
    const clock = new ManualClock();
    const result = await createAccount(coreContext(clock), { name: uniqueName() });
    expect(result.ok && result.value.account.plan_expires_at).toBe(clock.now() + 3 * 86_400_000);
  });

  it("returns name_taken as a value, not a throw, for a duplicate name", async () => {
    const { account } = await created();
    const again = await createAccount(coreContext(), { name: account.name.toUpperCase() });
    expect(again.ok).toBe(false);
    expect(!again.ok && again.error.code).toBe("name_taken");
  });

  it("verifies the right key and refuses a wrong one or an unknown id alike", async () => {
    const { account, keyUser } = await created();
    expect(await verifyAccountKey(coreContext(), account.id, keyUser)).toEqual({ ok: true, value: account.id });
    const wrong = await verifyAccountKey(coreContext(), account.id, newKeyUser());
    const unknown = await verifyAccountKey(coreContext(), "1", keyUser);
    for (const r of [wrong, unknown]) expect(!r.ok && r.error.code).toBe("unauthorized");
  });

  it("rotating the key makes the old one fail and the new one work", async () => {
    const { account, keyUser } = await created();
    const rotated = await rotateAccountKey(coreContext(), account.id);
    if (!rotated.ok) throw rotated.error;
    expect((await verifyAccountKey(coreContext(), account.id, keyUser)).ok).toBe(false);
    expect((await verifyAccountKey(coreContext(), account.id, rotated.value)).ok).toBe(true);
  });

  it("a partial update leaves the other fields as they were", async () => {
    const { account } = await created();
    const webhook = { url: "https://x.example/h", format: WEBHOOK_FORMATS.endpointFormat("tokabola", "account-webhook") };
    const updated = await updateAccountInfo(coreContext(), account.id, { webhook });
    expect(updated.ok && updated.value).toMatchObject({ name: account.name, webhook_url: "https://x.example/h" });
  });

  it("answers not_found for an unknown account", async () => {
    const result = await updateAccountInfo(coreContext(), "42", { description: "x" });
    expect(!result.ok && result.error.code).toBe("not_found");
  });
});
