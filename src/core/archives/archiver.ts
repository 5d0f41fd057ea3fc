import type { CoreContext } from "../../config/context";
import { DAY } from "../../lib/clock";
import { describeError } from "../../lib/log";
import { archiveObjectKey, utcDay } from "../../stores/archive-objects";
import { d1LogSource, RECORD_KINDS, type LogRecord, type LogSource, type RecordKind } from "./log-source";
import { bodiesKeptLess } from "./scrub";

/**
 * Moves an account's log records past RETENTION_DAYS from hot storage to R2, a UTC day at a time,
 * in parts: each part is one object (NDJSON, one record a line), written first, then recorded in
 * the same transaction that deletes exactly the records it holds. A part's key is the day's next
 * part number, which only that transaction advances: after a crash between the write and the
 * commit the records are still hot, the part is not recorded (so not listed), and the next run
 * writes them again under the same key, replacing the orphan. So every record is in exactly one
 * recorded part, or still hot. Runs hold a lease, so two never write one key at once.
 */
const RECORDS_PER_KIND = 200;
const ACCOUNTS_PER_RUN = 20;
const LEASE_MS = 15 * 60 * 1000;

/** Where archive objects go (R2 in the Worker); `put` answers the stored size. */
export interface ArchiveSink {
  put(key: string, ndjson: string): Promise<number>;
}

export const r2Sink = (bucket: R2Bucket): ArchiveSink => ({
  async put(key, ndjson) {
    const object = await bucket.put(key, ndjson, { httpMetadata: { contentType: "application/x-ndjson" } });
    return object.size;
  },
});

export interface ArchiveOptions {
  sink?: ArchiveSink;
  source?: LogSource;
  maxParts?: number;
  recordsPerKind?: number;
}

/** Records whose whole UTC day is older than RETENTION_DAYS: before the day boundary this returns. */
function archiveCutoff(ctx: CoreContext): number {
  const edge = ctx.clock.now() - ctx.config.RETENTION_DAYS * DAY;
  return Math.floor(edge / DAY) * DAY;
}

const line = (r: LogRecord) => JSON.stringify({ kind: r.kind, at: r.at, record: r.record });

/** One account's parts, oldest day first, up to `maxParts`. Answers the parts written. */
export async function archiveAccount(ctx: CoreContext, accountId: string, options: ArchiveOptions = {}): Promise<number> {
  const sink = options.sink ?? r2Sink(ctx.env.ARCHIVES);
  const source = options.source ?? d1LogSource(ctx, bodiesKeptLess(ctx));
  const maxParts = options.maxParts ?? ctx.config.ARCHIVE_PARTS_PER_RUN;
  const cutoff = archiveCutoff(ctx);
  let parts = 0;
  while (parts < maxParts) {
    const oldest = await source.oldest(accountId, cutoff);
    if (oldest === null) break;
    const from = Math.floor(oldest / DAY) * DAY;
    const range = { from, to: Math.min(from + DAY, cutoff), archivable: true, limit: options.recordsPerKind ?? RECORDS_PER_KIND };
    const records: LogRecord[] = [];
    for (const kind of RECORD_KINDS) records.push(...(await source.read(accountId, kind, range)));
    if (!records.length) break;
    const day = utcDay(from);
    const part = await source.nextPart(accountId, day);
    const ndjson = records.map(line).join("\n") + "\n";
    const bytes = new TextEncoder().encode(ndjson).byteLength;
    const objectKey = archiveObjectKey(accountId, day, part);
    const stored = await sink.put(objectKey, ndjson);
    // Verified before anything is deleted: the store holds every byte written.
    if (stored !== bytes) throw new Error(`archive ${objectKey}: stored ${stored} bytes of ${bytes}`);
    const kinds = RECORD_KINDS.filter((k) => records.some((r) => r.kind === k)) as RecordKind[];
    await source.commit(accountId, { day, part, objectKey, kinds, records: records.length, bytes, createdAt: ctx.clock.now() }, records);
    parts += 1;
  }
  return parts;
}

/**
 * One account's parts within the run's budget, a part at a time so that every part written is
 * counted even when a later one fails. A failure (R2, a changed record) is logged and the account
 * passed: the others still archive, and it is taken up again when the runs come round to it.
 */
async function archiveWithin(ctx: CoreContext, accountId: string, source: LogSource, budget: number): Promise<{ written: number; passed: boolean }> {
  let written = 0;
  try {
    while (written < budget) {
      if ((await archiveAccount(ctx, accountId, { maxParts: 1, source })) === 0) return { written, passed: true };
      written += 1;
    }
    return { written, passed: false };
  } catch (e) {
    ctx.log.log("error", "archive_account_failed", { account_id: accountId, parts_written: written, ...describeError(e) });
    return { written, passed: true };
  }
}

/**
 * The cron's job: accounts with old records, from where the last run stopped, until the run's
 * part budget (ARCHIVE_PARTS_PER_RUN) is spent. Answers the parts written.
 */
export async function archiveDueLogs(ctx: CoreContext, options: Pick<ArchiveOptions, "source"> = {}): Promise<number> {
  const source = options.source ?? d1LogSource(ctx, bodiesKeptLess(ctx));
  const now = ctx.clock.now();
  const leasedUntil = now + LEASE_MS;
  const lease = await ctx.db
    .prepare("UPDATE archive_runs SET leased_until = ?1 WHERE id = 1 AND leased_until <= ?2 RETURNING after_account")
    .bind(leasedUntil, now)
    .first<{ after_account: string }>();
  if (!lease) return 0;
  let after = lease.after_account;
  let parts = 0;
  try {
    const cutoff = archiveCutoff(ctx);
    let accounts = await source.accountsWithOld(cutoff, after, ACCOUNTS_PER_RUN);
    if (!accounts.length && after) accounts = await source.accountsWithOld(cutoff, (after = ""), ACCOUNTS_PER_RUN);
    for (const accountId of accounts) {
      const budget = ctx.config.ARCHIVE_PARTS_PER_RUN - parts;
      if (budget <= 0) break;
      const { written, passed } = await archiveWithin(ctx, accountId, source, budget);
      parts += written;
      // An account whose budget ran out is taken up again next run; one that is done is passed.
      if (passed) after = accountId;
    }
  } finally {
    // Only our own lease: a run that outlived it must not release (or move) the next run's.
    await ctx.db.prepare("UPDATE archive_runs SET leased_until = 0, after_account = ?1 WHERE id = 1 AND leased_until = ?2").bind(after, leasedUntil).run();
  }
  return parts;
}
