import { describe, expect, it } from "vitest";
import { signupWithToken } from "../helpers";
import { PAYER } from "../money/helpers";
import { adminLogin, login, withSession } from "./helpers";

interface Deposit {
  id: string;
  account_id: string;
  state: string;
  amount: string;
}

describe("Deposits in the native API and the operator's check", () => {
  it("tops up from the console: created pending, completed by checking it (the sandbox), the balance credited once", async () => {
    const account = await signupWithToken();
    const session = await login({ role: "account", id_user: account.id, key_user: account.key });
    const created = await withSession(session, "/api/v1/deposits", { method: "POST", body: { amount: "5000", currency: "CDF", phone: `+${PAYER.completes}` } });
    expect(created.status).toBe(201);
    const deposit = await created.json<Deposit>();
    expect(deposit).toMatchObject({ account_id: account.id, state: "pending", amount: "5000", currency: "CDF", phone: PAYER.completes });
    let state = deposit.state;
    for (let i = 0; i < 3 && state === "pending"; i++) state = (await (await withSession(session, `/api/v1/deposits/${deposit.id}`)).json<Deposit>()).state;
    expect(state).toBe("completed");
    expect((await (await withSession(session, `/api/v1/deposits/${deposit.id}`)).json<Deposit>()).state).toBe("completed");
    const wallets = await (await withSession(session, "/api/v1/wallets")).json<{ wallets: { balance: string }[] }>();
    expect(wallets.wallets.map((w) => w.balance)).toEqual(["5000"]);
    const list = await (await withSession(session, "/api/v1/deposits")).json<{ data: Deposit[] }>();
    expect(list.data.map((d) => d.id)).toEqual([deposit.id]);
  });

  it("answers a bad top-up in the native error format, naming the field", async () => {
    const account = await signupWithToken();
    const session = await login({ role: "account", token: account.token });
    const res = await withSession(session, "/api/v1/deposits", { method: "POST", body: { amount: "5000", currency: "CDF", phone: "12" } });
    expect(res.status).toBe(400);
    const { error } = await res.json<{ error: { code: string; issues: { field: string }[] } }>();
    expect(error.code).toBe("invalid_request");
    expect(error.issues.map((i) => i.field)).toContain("phone");
  });

  it("lets the operator list pending deposits of every account and check one now, audited", async () => {
    const [a, b] = await Promise.all([signupWithToken(), signupWithToken()]);
    const sa = await login({ role: "account", token: a.token });
    const created = await (await withSession(sa, "/api/v1/deposits", { method: "POST", body: { amount: "700", currency: "CDF", phone: PAYER.completes } })).json<Deposit>();
    const sb = await login({ role: "account", token: b.token });
    expect((await withSession(sb, `/api/v1/deposits/${created.id}`)).status).toBe(404);

    const admin = await adminLogin();
    // Every account's pending deposits, newest first: other test files (some on injected clocks) add theirs, so the pages are walked.
    const listed: string[] = [];
    for (let cursor: string | null = "", pages = 0; cursor !== null && !listed.includes(created.id) && pages < 50; pages++) {
      const page: { data: Deposit[]; next_cursor: string | null } = await (await withSession(admin, `/api/v1/admin/deposits?state=pending&limit=100${cursor ? `&cursor=${cursor}` : ""}`)).json<{ data: Deposit[]; next_cursor: string | null }>();
      expect(page.data.every((d) => d.state === "pending")).toBe(true);
      listed.push(...page.data.map((d) => d.id));
      cursor = page.next_cursor;
    }
    expect(listed).toContain(created.id);
    let checked = created;
    for (let i = 0; i < 3 && checked.state === "pending"; i++) {
      const res = await withSession(admin, `/api/v1/admin/deposits/${created.id}/check`, { method: "POST" });
      expect(res.status).toBe(200);
      checked = await res.json<Deposit>();
    }
    expect(checked.state).toBe("completed");
    const audit = await (await withSession(admin, `/api/v1/admin/audit?target=deposit:${created.id}`)).json<{ data: { action: string; after: unknown }[] }>();
    expect(audit.data[0]).toMatchObject({ action: "deposit.check", after: { state: "completed", credited: true } });
    expect((await withSession(admin, "/api/v1/admin/deposits/00000000-0000-4000-8000-000000000000/check", { method: "POST" })).status).toBe(404);
  });
});
