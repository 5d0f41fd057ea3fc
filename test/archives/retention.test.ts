import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { archiveAccount, archiveDueLogs, r2Sink, type ArchiveSink } from "../../src/core/archives/archiver";
import { d1LogSource, type LogSource } from "../../src/core/archives/log-source";
import { bodiesKeptLess, scrubOldBodies } from "../../src/core/archives/scrub";
import type { CoreContext } from "../../src/config/context";
import { DAY, HOUR } from "../../src/lib/clock";
import { coreContext, ManualClock } from "../helpers";
import { newAccount } from "../messages/helpers";
import { countingStatements, hotRecords, keyOf, linesInBucket, seedDay, seedEndpoint, type Seeded } from "./seed";

// Far from any other test's data (the real clock, or 2026): no other test's rows are past this
// clock's retention, and no other test's cron ever reaches these.
const NOW = Date.UTC(2099, 0, 31, 12, 0, 0);

async function moneyOf(accountId: string) {
  const holds = await env.DB.prepare("SELECT id, status FROM holds WHERE account_id = ? ORDER BY id").bind(accountId).all();
  const ledger = await env.DB.prepare("SELECT id, amount FROM ledger_entries WHERE account_id = ? ORDER BY id").bind(accountId).all();
  return { holds: holds.results, ledger: ledger.results };
}

/**
 * The cron's own source, listing only `accounts` (still through its SQL, cutoff and cursor): test
 * files share one D1, where another test's account with rows at time 0 would take a share of the
 * run's part budget, and the run's sequence would depend on which files ran before.
 */
function onlyAccounts(ctx: CoreContext, accounts: string[]): LogSource {
  const d1 = d1LogSource(ctx, bodiesKeptLess(ctx));
  const everyOne = 1_000_000;
  return { ...d1, accountsWithOld: async (before, after, limit) => (await d1.accountsWithOld(before, after, everyOne)).filter((a) => accounts.includes(a)).slice(0, limit) };
}

describe("retention: logs past RETENTION_DAYS move to R2 (an injected clock)", () => {
  it("archives and deletes every record whose day is past retention, each exactly once in the archive, across a crash and bounded runs", async () => {
    const clock = new ManualClock(NOW);
    const ctx = coreContext(clock, { RETENTION_DAYS: "30" });
    const accountId = await newAccount();
    const endpointId = await seedEndpoint(accountId, NOW - 50 * DAY);
    const seeded: Seeded[] = [
      ...(await seedDay(accountId, NOW - 40 * DAY, { endpointId })),
      ...(await seedDay(accountId, NOW - 40 * DAY + HOUR, { endpointId })),
      ...(await seedDay(accountId, NOW - 40 * DAY + 2 * HOUR, { endpointId, held: true })),
      ...(await seedDay(accountId, NOW - 35 * DAY, { endpointId, inFlight: true })),
      // The last instant of the last day past retention, and the first one of the next (kept).
      ...(await seedDay(accountId, Date.UTC(2098, 11, 31, 23, 59, 59, 999), { endpointId })),
      ...(await seedDay(accountId, Date.UTC(2099, 0, 1), { endpointId })),
      ...(await seedDay(accountId, NOW - DAY, { endpointId })),
    ];
    const cutoff = Date.UTC(2099, 0, 1);
    const expected = seeded.filter((s) => s.archivable && s.at < cutoff).map((s) => `${s.kind}:${s.id}`).sort();
    const kept = seeded.filter((s) => !expected.includes(`${s.kind}:${s.id}`)).map((s) => `${s.kind}:${s.id}`).sort();
    const money = await moneyOf(accountId);
    const keyed = seeded.find((x) => x.kind === "message" && x.archivable && x.at < cutoff)!;
    await env.DB.prepare("INSERT INTO idempotency_keys (account_id, key, request_hash, message_id, created_at) VALUES (?, 'k1', 'h', ?, ?)").bind(accountId, keyed.id, keyed.at).run();

    // A crash after the object is written, before it is recorded with the deletion.
    const real = r2Sink(env.ARCHIVES);
    const crashing: ArchiveSink = { put: async (key, ndjson) => (await real.put(key, ndjson), Promise.reject(new Error("crash"))) };
    await expect(archiveAccount(ctx, accountId, { sink: crashing, recordsPerKind: 2 })).rejects.toThrow("crash");
    expect(await hotRecords(accountId)).toEqual([...expected, ...kept].sort());

    // Bounded runs: two parts at most each, two records per kind a part, until nothing is left.
    const runs: number[] = [];
    for (let parts = -1; parts !== 0; ) runs.push((parts = await archiveAccount(ctx, accountId, { maxParts: 2, recordsPerKind: 2 })));
    expect(runs.length).toBeGreaterThan(2);
    expect(runs.every((n) => n <= 2)).toBe(true);

    expect(await hotRecords(accountId)).toEqual(kept);
    const { keys, lines } = await linesInBucket(accountId);
    expect(lines.map(keyOf).sort()).toEqual(expected);
    // The crashed run's object was replaced by the part recorded under its key: nothing unlisted is left.
    const { results: parts } = await env.DB.prepare("SELECT day, part, object_key, records, bytes FROM archives WHERE account_id = ? ORDER BY day, part").bind(accountId).all<{ object_key: string; records: number }>();
    expect(parts.map((p) => p.object_key).sort()).toEqual(keys.sort());
    expect(parts.reduce((n, p) => n + p.records, 0)).toBe(expected.length);
    expect(keys.every((k) => k.startsWith(`${accountId}/2098-12-`))).toBe(true);
    // Each record is the row as stored; a delivery carries its attempts.
    const delivery = lines.find((l) => l.kind === "delivery")!;
    expect(delivery.record).toMatchObject({ account_id: accountId, state: "delivered", attempts: [{ attempt: 1, status_code: 500 }, { attempt: 2, status_code: 200 }] });
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM delivery_attempts WHERE delivery_id = ?").bind(delivery.record.id).first("n")).toBe(0);
    // The archived message's idempotency key went with it (it would answer nothing, yet stay claimed).
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM idempotency_keys WHERE account_id = ?").bind(accountId).first("n")).toBe(0);
    // Money is never archived nor deleted.
    expect(await moneyOf(accountId)).toEqual(money);

    // Nothing new is past retention: a run writes nothing, the archive is unchanged.
    expect(await archiveAccount(ctx, accountId)).toBe(0);
    // A day later, the next day's records go, the young ones stay.
    clock.advance(DAY);
    expect(await archiveAccount(ctx, accountId)).toBe(1);
    expect((await linesInBucket(accountId)).lines.map(keyOf).filter((k) => !expected.includes(k))).toHaveLength(5);
  });

  it("scrubs what customers wrote after MESSAGE_BODY_RETENTION_DAYS, keeps the metadata, and archives scrubbed records only", async () => {
    // Year 2000: older than any other test's rows, so this clock scrubs nothing of theirs.
    const at = Date.UTC(2000, 0, 10, 8);
    const clock = new ManualClock(at + HOUR);
    const ctx = coreContext(clock, { RETENTION_DAYS: "30", MESSAGE_BODY_RETENTION_DAYS: "0" });
    const accountId = await newAccount();
    const endpointId = await seedEndpoint(accountId, at);
    const seeded = await seedDay(accountId, at, { endpointId });

    // Past retention but not yet scrubbed: only the outbound messages (no body kept) go.
    clock.advance(40 * DAY);
    expect(await archiveAccount(ctx, accountId)).toBe(1);
    expect((await linesInBucket(accountId)).lines.map((l) => l.kind)).toEqual(["message", "message"]);

    clock.current = at + HOUR;
    while ((await scrubOldBodies(ctx)) > 0);
    const inbound = await env.DB.prepare("SELECT * FROM inbound_messages WHERE account_id = ?").bind(accountId).first<Record<string, string>>();
    expect(inbound).toMatchObject({ from_wa_id: "243822222222", type: "text", profile_name: null });
    expect(JSON.parse(inbound!.content!)).toEqual({ type: "text" });
    const event = await env.DB.prepare("SELECT body FROM meta_events WHERE account_id = ?").bind(accountId).first<{ body: string }>();
    expect(JSON.parse(event!.body)).toEqual({ metadata: { phone_number_id: "1555000" }, contact: { wa_id: "243822222222" }, item: { from: "243822222222", id: seeded[2]!.id, timestamp: expect.any(String), type: "text" } });
    const delivery = await env.DB.prepare("SELECT event FROM deliveries WHERE account_id = ?").bind(accountId).first<{ event: string }>();
    expect(JSON.parse(delivery!.event).message).toEqual({ id: seeded[2]!.id, type: "text", profile_name: null, content: { type: "text" } });

    clock.advance(40 * DAY);
    expect(await archiveAccount(ctx, accountId)).toBe(1);
    const { lines } = await linesInBucket(accountId);
    expect(lines.map(keyOf).sort()).toEqual(seeded.map((s) => `${s.kind}:${s.id}`).sort());
    expect(JSON.stringify(lines)).not.toContain("secret");
    expect(JSON.stringify(lines)).not.toContain("Awa");
  });

  it("the cron's job takes every account with old records, one run at a time, within its part budget", async () => {
    const clock = new ManualClock(Date.UTC(1999, 2, 1));
    const ctx = coreContext(clock, { RETENTION_DAYS: "30", ARCHIVE_PARTS_PER_RUN: "3" });
    const accounts = [await newAccount(), await newAccount()];
    const seeded: Seeded[] = [];
    for (const accountId of accounts) {
      const endpointId = await seedEndpoint(accountId, Date.UTC(1999, 0, 1));
      for (const day of [2, 3]) seeded.push(...(await seedDay(accountId, Date.UTC(1999, 0, day, 10), { endpointId })));
    }

    // Another run holds the lease: this one does nothing.
    await env.DB.prepare("UPDATE archive_runs SET leased_until = ? WHERE id = 1").bind(clock.now() + 60_000).run();
    expect(await archiveDueLogs(ctx, { source: onlyAccounts(ctx, accounts) })).toBe(0);
    // The cursor as another file's cron left it could sit between these accounts: the run starts from the first.
    await env.DB.prepare("UPDATE archive_runs SET leased_until = 0, after_account = '' WHERE id = 1").run();

    // D1 allows 1,000 queries an invocation: a run costs at most 4 of its own, 14 a part, and one
    // to find an account has no more.
    const counted = countingStatements(ctx.db);
    const runs: number[] = [];
    const countedCtx = { ...ctx, db: counted.db };
    const source = onlyAccounts(countedCtx, accounts);
    for (let parts = -1; parts !== 0; ) runs.push((parts = await archiveDueLogs(countedCtx, { source })));
    expect(runs.slice(0, 2)).toEqual([3, 1]);
    console.log(`ARCHIVE_COST ${JSON.stringify({ runs: runs.length, parts: 4, statements: counted.count() })}`);
    expect(counted.count()).toBeLessThanOrEqual(4 * runs.length + 14 * 4 + accounts.length);
    for (const accountId of accounts) expect(await hotRecords(accountId)).toEqual([]);
    const archived = (await Promise.all(accounts.map(linesInBucket))).flatMap((b) => b.lines.map(keyOf));
    expect(archived.sort()).toEqual(seeded.map((s) => `${s.kind}:${s.id}`).sort());
    expect(await env.DB.prepare("SELECT leased_until FROM archive_runs WHERE id = 1").first("leased_until")).toBe(0);
  });

  it("the cron's job logs one account's failure and still archives the others, counting the parts the failed one wrote", async () => {
    const clock = new ManualClock(Date.UTC(1999, 5, 1));
    const ctx = coreContext(clock, { RETENTION_DAYS: "30", ARCHIVE_PARTS_PER_RUN: "10" });
    const accounts = [await newAccount(), await newAccount()].sort();
    const [failing, healthy] = accounts as [string, string];
    for (const accountId of accounts) {
      const endpointId = await seedEndpoint(accountId, Date.UTC(1999, 3, 1));
      for (const day of [2, 3]) await seedDay(accountId, Date.UTC(1999, 3, day, 10), { endpointId });
    }
    await env.DB.prepare("UPDATE archive_runs SET leased_until = 0, after_account = '' WHERE id = 1").run();
    const real = onlyAccounts(ctx, accounts);
    // The failing account's second part (its second day) cannot be read.
    const breaking: LogSource = {
      ...real,
      read: (accountId, kind, range) => (accountId === failing && range.from === Date.UTC(1999, 3, 3) ? Promise.reject(new Error("D1 is down")) : real.read(accountId, kind, range)),
    };
    const logged = vi.spyOn(ctx.log, "log");

    expect(await archiveDueLogs(ctx, { source: breaking })).toBe(3);
    expect(logged).toHaveBeenCalledWith("error", "archive_account_failed", expect.objectContaining({ account_id: failing, parts_written: 1, error_message: "D1 is down" }));
    expect(await hotRecords(healthy)).toEqual([]);
    expect((await hotRecords(failing)).length).toBeGreaterThan(0);
    expect(await env.DB.prepare("SELECT leased_until FROM archive_runs WHERE id = 1").first("leased_until")).toBe(0);

    // Once it reads again, a later run comes round to it.
    expect(await archiveDueLogs(ctx, { source: real })).toBe(1);
    expect(await hotRecords(failing)).toEqual([]);
  });

  it("records nothing and deletes nothing when a record changes while its part is written (a replayed delivery)", async () => {
    const clock = new ManualClock(Date.UTC(2099, 8, 30, 12));
    const ctx = coreContext(clock, { RETENTION_DAYS: "30" });
    const accountId = await newAccount();
    const endpointId = await seedEndpoint(accountId, Date.UTC(2099, 7, 1));
    const seeded = await seedDay(accountId, Date.UTC(2099, 7, 1, 10), { endpointId });
    const delivery = seeded.find((s) => s.kind === "delivery")!;
    const real = r2Sink(env.ARCHIVES);
    // The account replays the delivery between the read and the commit.
    const replaying: ArchiveSink = {
      put: async (key, ndjson) => {
        await env.DB.prepare("UPDATE deliveries SET state = 'pending', updated_at = updated_at + 1 WHERE id = ?").bind(delivery.id).run();
        return real.put(key, ndjson);
      },
    };
    await expect(archiveAccount(ctx, accountId, { sink: replaying })).rejects.toThrow("changed");
    expect(await hotRecords(accountId)).toEqual(seeded.map((s) => `${s.kind}:${s.id}`).sort());
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM archives WHERE account_id = ?").bind(accountId).first("n")).toBe(0);

    // The next run writes the same key again, without the delivery now being attempted.
    expect(await archiveAccount(ctx, accountId)).toBe(1);
    expect(await hotRecords(accountId)).toEqual([`delivery:${delivery.id}`]);
    const { keys, lines } = await linesInBucket(accountId);
    expect(keys).toHaveLength(1);
    expect(lines.map(keyOf).sort()).toEqual(seeded.filter((s) => s !== delivery).map((s) => `${s.kind}:${s.id}`).sort());
  });
});
