import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { archiveAccount } from "../../src/core/archives/archiver";
import { DAY } from "../../src/lib/clock";
import { BASE, coreContext, ManualClock, signupWithToken } from "../helpers";
import { keyOf, seedDay, seedEndpoint, type ArchiveLine } from "./seed";

const NOW = Date.UTC(2099, 5, 30, 12);
const get = (path: string, token: string) => exports.default.fetch(`${BASE}${path}`, { headers: { Authorization: `Bearer ${token}` } });
const lines = async (res: Response) => new TextDecoder().decode(await res.arrayBuffer()).trimEnd().split("\n").map((l) => JSON.parse(l) as ArchiveLine);

describe("an account's archives and the operator's export", () => {
  it("lists the archived days, downloads one as NDJSON, and the export holds every record once, archived or hot", async () => {
    const account = await signupWithToken();
    const clock = new ManualClock(NOW);
    const endpointId = await seedEndpoint(account.id, NOW - 60 * DAY);
    const old = await seedDay(account.id, Date.UTC(2099, 4, 1, 9), { endpointId });
    const young = await seedDay(account.id, NOW - DAY, { endpointId });
    expect(await archiveAccount(coreContext(clock), account.id)).toBe(1);

    const list = await get("/api/v1/archives", account.token);
    expect(list.status).toBe(200);
    const { archives } = await list.json<{ archives: { day: string; records: number; bytes: number; kinds: string[]; parts: number }[] }>();
    expect(archives).toEqual([{ day: "2099-05-01", records: 5, bytes: expect.any(Number), kinds: ["message", "inbound_message", "event", "delivery"], parts: 1 }]);

    const day = await get("/api/v1/archives/2099-05-01", account.token);
    expect(day.status).toBe(200);
    expect(day.headers.get("Content-Type")).toBe("application/x-ndjson");
    expect((await lines(day)).map(keyOf).sort()).toEqual(old.map((s) => `${s.kind}:${s.id}`).sort());

    expect((await get("/api/v1/archives/2099-05-02", account.token)).status).toBe(404);
    expect((await get("/api/v1/archives/yesterday", account.token)).status).toBe(400);

    const exported = await get(`/api/v1/admin/accounts/${account.id}/export`, "test-admin-token");
    expect(exported.status).toBe(200);
    const exportedLines = await lines(exported);
    const log = exportedLines.filter((l) => !["wallet", "ledger_entry", "hold", "deposit"].includes(l.kind));
    expect(log.map(keyOf).sort()).toEqual([...old, ...young].map((s) => `${s.kind}:${s.id}`).sort());
    // Its money follows: two funding entries and two debits (ledger), two holds, one wallet.
    const money = exportedLines.slice(log.length).map((l) => l.kind);
    expect(money).toEqual(["wallet", "ledger_entry", "ledger_entry", "ledger_entry", "ledger_entry", "hold", "hold"]);
  });

  it("keeps one account's archives from another, and the export from accounts", async () => {
    const a = await signupWithToken();
    const b = await signupWithToken();
    const endpointId = await seedEndpoint(a.id, NOW - 60 * DAY);
    await seedDay(a.id, Date.UTC(2099, 4, 2, 9), { endpointId });
    await archiveAccount(coreContext(new ManualClock(NOW)), a.id);

    expect(await (await get("/api/v1/archives", b.token)).json()).toEqual({ archives: [], next_before: null });
    expect((await get("/api/v1/archives/2099-05-02", b.token)).status).toBe(404);
    expect((await get(`/api/v1/admin/accounts/${a.id}/export`, b.token)).status).toBe(401);
    expect((await get("/api/v1/admin/accounts/acc_nobody/export", "test-admin-token")).status).toBe(404);
  });
});
