import * as z from "zod";
import { findMessageAnywhere, findMessagesAnywhere } from "../../core/messages/operator-search";
import { numberWithHistory, searchNumbers, type NumberListing } from "../../core/numbers/operator";
import { unwrap } from "../../lib/errors";
import { json } from "../../lib/http";
import { declareRoute } from "../../lib/openapi";
import { requireAdmin } from "../admin";
import { adminErrors, NativeErrorSchema } from "./errors";
import { Detail, detailView, Entry, entryView } from "./message-routes";
import { nativeRouter } from "./router";

/** The operator looks up numbers and messages of any account. */
const iso = (ms: number) => new Date(ms).toISOString();

const NumberSchema = z.object({
  deployment_id: z.string(),
  account_id: z.string(),
  phone_number_id: z.string().nullable(),
  display_number: z.string(),
  state: z.string(),
  detail: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
});
const numberJson = (n: NumberListing) => ({
  deployment_id: n.id,
  account_id: n.accountId,
  phone_number_id: n.phoneNumberId,
  display_number: `+${n.cc}${n.number}`,
  state: n.state,
  detail: n.detail,
  created_at: iso(n.createdAt),
  updated_at: iso(n.updatedAt),
});

const numbersRoute = declareRoute({
  method: "get",
  path: "/api/v1/admin/numbers",
  operationId: "adminSearchNumbers",
  tag: "Native: admin",
  summary: "Numbers of every account with their state, by digits, phone_number_id or id_user (operator)",
  security: "admin",
  query: z.object({
    q: z
      .string()
      .max(40)
      // Core searches digits only: other text would drop the filter and list every number.
      .regex(/^[\d\s()+.-]*$/, "must be digits of a number, a phone_number_id or an id_user")
      .optional()
      .describe("Digits of the number, a phone_number_id or an id_user"),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  }),
  responses: {
    200: {
      description: "Numbers, newest first",
      schema: z.object({ data: z.array(NumberSchema) }),
    },
    400: { description: "Invalid query", schema: NativeErrorSchema },
    ...adminErrors,
  },
});
nativeRouter.get("/admin/numbers", async (request, rc) => {
  requireAdmin(request, rc);
  const { query } = await numbersRoute.read(request);
  const numbers = await searchNumbers(rc.core, query.q, query.limit);
  return json({ data: numbers.map(numberJson) });
});

const numberRoute = declareRoute({
  method: "get",
  path: "/api/v1/admin/numbers/{deployment_id}",
  operationId: "adminGetNumber",
  tag: "Native: admin",
  summary: "Any account's number with its state history and throughput (operator)",
  security: "admin",
  params: z.object({ deployment_id: z.string().min(1).max(100) }),
  responses: {
    200: {
      description: "The number and every state it went through, oldest first",
      schema: NumberSchema.extend({
        messages_per_second: z.number().int().describe("The rate its campaigns are paced at: Meta's 80 by default, up to 1,000 once upgraded"),
        history: z.array(z.object({ at: z.string(), state: z.string(), detail: z.string() })) }),
    },
    ...adminErrors,
    404: { description: "No such number", schema: NativeErrorSchema },
  },
});
nativeRouter.get("/admin/numbers/:deployment_id", async (request, rc) => {
  requireAdmin(request, rc);
  const { params } = await numberRoute.read(request);
  const { number, history, messagesPerSecond } = unwrap(await numberWithHistory(rc.core, params.deployment_id));
  return json({ ...numberJson(number), messages_per_second: messagesPerSecond, history: history.map((h) => ({ ...h, at: iso(h.at) })) });
});

const messagesRoute = declareRoute({
  method: "get",
  path: "/api/v1/admin/messages",
  operationId: "adminFindMessages",
  tag: "Native: admin",
  summary: "Find messages of any account by id (msg_…), wamid, or the customer's number (operator)",
  security: "admin",
  query: z.object({ q: z.string().trim().min(1, "is required").max(200), limit: z.coerce.number().int().min(1).max(50).default(20) }),
  responses: {
    200: { description: "Matching messages, newest first", schema: z.object({ data: z.array(Entry.extend({ account_id: z.string() })) }) },
    400: { description: "Missing q", schema: NativeErrorSchema },
    ...adminErrors,
  },
});
nativeRouter.get("/admin/messages", async (request, rc) => {
  requireAdmin(request, rc);
  const { query } = await messagesRoute.read(request);
  const found = await findMessagesAnywhere(rc.core, query.q, query.limit);
  return json({ data: found.map((f) => ({ ...entryView(f.message), account_id: f.accountId })) });
});

const messageRoute = declareRoute({
  method: "get",
  path: "/api/v1/admin/messages/{id}",
  operationId: "adminGetMessage",
  tag: "Native: admin",
  summary: "A message of any account, with its status timeline (operator)",
  security: "admin",
  params: z.object({ id: z.string().min(1).max(200) }),
  responses: {
    200: { description: "The message", schema: Detail.extend({ account_id: z.string() }) },
    ...adminErrors,
    404: { description: "No such message", schema: NativeErrorSchema },
  },
});
nativeRouter.get("/admin/messages/:id", async (request, rc) => {
  requireAdmin(request, rc);
  const { params } = await messageRoute.read(request);
  const found = unwrap(await findMessageAnywhere(rc.core, params.id));
  return json({ ...detailView(found.message), account_id: found.accountId });
});
