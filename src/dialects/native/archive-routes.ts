import * as z from "zod";
import { archivedDay, exportAccount, listArchivedDays } from "../../core/archives/reader";
import { unwrap } from "../../lib/errors";
import { json } from "../../lib/http";
import { declareRoute } from "../../lib/openapi";
import { requireAdmin } from "../admin";
import { requireAccount } from "../bearer";
import { NativeErrorSchema } from "./errors";
import { nativeRouter } from "./router";

/** The account's archives (its log past RETENTION_DAYS, in R2), and the operator's export of an account. */
const Day = z.iso.date().describe("A UTC day, YYYY-MM-DD");
const NDJSON = "application/x-ndjson";
const ndjson = (body: ReadableStream<Uint8Array>, filename: string) =>
  new Response(body, { headers: { "Content-Type": NDJSON, "Content-Disposition": `attachment; filename="${filename}"`, "Cache-Control": "private, no-store" } });

const LogKind = z.enum(["message", "inbound_message", "event", "delivery"]);
const Line = z
  .object({
    kind: LogKind,
    at: z.number().int().describe("The record's time (ms): a message's creation, an inbound message's or event's receipt, a delivery's creation"),
    record: z.record(z.string(), z.unknown()).describe("The row as it was stored (a delivery with its attempts)"),
  })
  .describe("One line of the NDJSON");

const ArchivedDay = z.object({
  day: z.string(),
  kinds: z.array(LogKind),
  records: z.number().int(),
  bytes: z.number().int(),
  parts: z.number().int().describe("Objects the day is stored in; the download joins them"),
});

const listRoute = declareRoute({
  method: "get",
  path: "/api/v1/archives",
  operationId: "listArchives",
  tag: "Native: messages",
  summary: "The account's archived days, newest first",
  description: "Messages, inbound messages, Meta events and client deliveries leave hot storage once their UTC day is older than RETENTION_DAYS; each day's records are kept here.",
  security: "bearer",
  query: z.object({
    before: Day.optional().describe("Days before this one (the next_before of the previous page)"),
    limit: z.coerce.number().int().min(1).max(366).default(100),
  }),
  responses: {
    200: { description: "A page of days", schema: z.object({ archives: z.array(ArchivedDay), next_before: z.string().nullable() }) },
    400: { description: "Bad query", schema: NativeErrorSchema },
    401: { description: "Missing, unknown or expired token", schema: NativeErrorSchema },
  },
});
nativeRouter.get("/archives", async (request, rc) => {
  const accountId = await requireAccount(request, rc);
  const { query } = await listRoute.read(request);
  const days = await listArchivedDays(rc.core, accountId, query.before, query.limit);
  return json({ archives: days, next_before: days.length === query.limit ? days.at(-1)!.day : null });
});

const dayRoute = declareRoute({
  method: "get",
  path: "/api/v1/archives/{day}",
  operationId: "downloadArchive",
  tag: "Native: messages",
  summary: "One archived day as NDJSON",
  description: "One record a line (`{kind, at, record}`), each record exactly once, kind by kind in time order within each part.",
  security: "bearer",
  params: z.object({ day: Day }),
  responses: {
    200: { description: "The day's records", schema: Line, contentType: NDJSON },
    400: { description: "Not a day", schema: NativeErrorSchema },
    401: { description: "Missing, unknown or expired token", schema: NativeErrorSchema },
    404: { description: "Nothing archived that day", schema: NativeErrorSchema },
  },
});
nativeRouter.get("/archives/:day", async (request, rc) => {
  const accountId = await requireAccount(request, rc);
  const { params } = await dayRoute.read(request);
  return ndjson(unwrap(await archivedDay(rc.core, accountId, params.day)), `tuma-${params.day}.ndjson`);
});

declareRoute({
  method: "get",
  path: "/api/v1/admin/accounts/{account_id}/export",
  operationId: "adminExportAccount",
  tag: "Native: admin",
  summary: "Everything of one account's message log as NDJSON (operator)",
  description: "Its archives oldest first, then what is still in hot storage, then its money (never archived), in the archives' line format. Streamed.",
  security: "admin",
  responses: {
    200: {
      description: "The account's records",
      schema: Line.extend({ kind: z.enum([...LogKind.options, "wallet", "ledger_entry", "hold", "deposit"]) }),
      contentType: NDJSON,
    },
    401: { description: "Missing or wrong admin token", schema: NativeErrorSchema },
    403: { description: "ADMIN_TOKEN is not configured", schema: NativeErrorSchema },
    404: { description: "No such account", schema: NativeErrorSchema },
  },
});
nativeRouter.get("/admin/accounts/:account_id/export", async (request, rc) => {
  requireAdmin(request, rc);
  const accountId = String(request.params.account_id);
  return ndjson(unwrap(await exportAccount(rc.core, accountId)), `tuma-${accountId}.ndjson`);
});
