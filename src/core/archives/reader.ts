import type { CoreContext } from "../../config/context";
import { fail, ok, type Result } from "../../lib/errors";
import { findAccount } from "../../stores/accounts";
import { MONEY_KINDS, moneyRowsPage, type MoneyKind } from "../../stores/money/export";
import { d1LogSource, RECORD_KINDS, type LogRecord } from "./log-source";

/**
 * Reading an account's archives: the days it has (from the parts recorded in D1, never from an R2
 * listing, so a crashed run's unrecorded object is never shown), one day's NDJSON (its parts in
 * order, streamed from R2), and the operator's export of everything (archived, then hot).
 */
export interface ArchivedDay {
  day: string;
  kinds: string[];
  records: number;
  bytes: number;
  parts: number;
}

export async function listArchivedDays(ctx: CoreContext, accountId: string, before: string | undefined, limit: number): Promise<ArchivedDay[]> {
  const { results } = await ctx.db
    .prepare(
      `SELECT day, json_group_array(kinds) AS kinds, SUM(records) AS records, SUM(bytes) AS bytes, COUNT(*) AS parts
       FROM archives WHERE account_id = ?1 AND day < ?2 GROUP BY day ORDER BY day DESC LIMIT ?3`,
    )
    .bind(accountId, before ?? "9999-12-31", limit)
    .all<{ day: string; kinds: string; records: number; bytes: number; parts: number }>();
  return results.map((r) => {
    const kinds = new Set((JSON.parse(r.kinds) as string[]).flatMap((k) => JSON.parse(k) as string[]));
    return { ...r, kinds: RECORD_KINDS.filter((k) => kinds.has(k)) };
  });
}

async function objectKeys(ctx: CoreContext, accountId: string, afterDay: string, afterPart: number, limit: number): Promise<{ day: string; part: number; object_key: string }[]> {
  const { results } = await ctx.db
    .prepare("SELECT day, part, object_key FROM archives WHERE account_id = ?1 AND (day > ?2 OR (day = ?2 AND part > ?3)) ORDER BY day, part LIMIT ?4")
    .bind(accountId, afterDay, afterPart, limit)
    .all<{ day: string; part: number; object_key: string }>();
  return results;
}

async function* objectBytes(ctx: CoreContext, key: string): AsyncGenerator<Uint8Array> {
  const object = await ctx.env.ARCHIVES.get(key);
  if (!object) throw new Error(`archive object ${key} is recorded but missing from R2`);
  const reader = object.body.getReader();
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) yield chunk.value;
}

/** One day's archive as NDJSON (its parts one after the other), or not_found. */
export async function archivedDay(ctx: CoreContext, accountId: string, day: string): Promise<Result<ReadableStream<Uint8Array>>> {
  const { results: keys } = await ctx.db
    .prepare("SELECT object_key FROM archives WHERE account_id = ? AND day = ? ORDER BY part")
    .bind(accountId, day)
    .all<{ object_key: string }>();
  if (!keys.length) return fail("not_found", `No archive for ${day}`);
  return ok(
    streamOf(
      (async function* () {
        for (const k of keys) yield* objectBytes(ctx, k.object_key);
      })(),
    ),
  );
}

const EXPORT_PAGE = 500;
const encoder = new TextEncoder();
const line = (r: LogRecord) => encoder.encode(JSON.stringify({ kind: r.kind, at: r.at, record: r.record }) + "\n");

/**
 * Everything of the account's log, as NDJSON: its archives oldest first, then what is still hot,
 * kind by kind in time order, then its money (wallets, ledger, holds, deposits: never archived),
 * all in the same line format. Read a page at a time as the client reads.
 */
export async function exportAccount(ctx: CoreContext, accountId: string): Promise<Result<ReadableStream<Uint8Array>>> {
  if (!(await findAccount(ctx.db, accountId))) return fail("not_found", `No account ${accountId}`);
  const source = d1LogSource(ctx, false);
  return ok(
    streamOf(
      (async function* () {
        for (let after = { day: "", part: 0 }; ; ) {
          const keys = await objectKeys(ctx, accountId, after.day, after.part, EXPORT_PAGE);
          for (const k of keys) yield* objectBytes(ctx, k.object_key);
          if (keys.length < EXPORT_PAGE) break;
          after = keys.at(-1)!;
        }
        for (const kind of RECORD_KINDS) {
          for (let after: LogRecord | undefined; ; ) {
            const page = await source.read(accountId, kind, { from: 0, to: Number.MAX_SAFE_INTEGER, archivable: false, after, limit: EXPORT_PAGE });
            for (const r of page) yield line(r);
            if (page.length < EXPORT_PAGE) break;
            after = page.at(-1);
          }
        }
        for (const kind of Object.keys(MONEY_KINDS) as MoneyKind[]) {
          for (let after = 0; ; ) {
            const page = await moneyRowsPage(ctx.db, accountId, kind, after, EXPORT_PAGE);
            for (const m of page) yield encoder.encode(JSON.stringify({ kind, at: m.at, record: m.row }) + "\n");
            if (page.length < EXPORT_PAGE) break;
            after = page.at(-1)!.rowid;
          }
        }
      })(),
    ),
  );
}

function streamOf(chunks: AsyncGenerator<Uint8Array>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}
