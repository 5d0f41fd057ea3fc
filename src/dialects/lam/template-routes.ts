import * as z from "zod";
import type { TemplateRecord } from "../../core/messages/contract";
import { listTemplates } from "../../core/templates/templates";
import { sha256Hex } from "../../lib/crypto";
import { unwrap } from "../../lib/errors";
import { json } from "../../lib/http";
import { declareRoute } from "../../lib/openapi";
import { LAM_META, LamErrorSchema, LamMetaSchema } from "./errors";
import { LAM_BASE, lamParse, lamRouter, requireNumber } from "./router";

/** 360dialog's `GET /v1/configs/templates` over the account's templates (Tuma's store or Meta's, per the contract). */

const SORTABLE = ["id", "name", "language", "category", "status"] as const;
const count = (max: number, fallback: number) => z.coerce.number().int("must be an integer").min(0, "must be 0 or more").max(max).default(fallback);

const TemplatesQuery = z.object({
  limit: count(1000, 1000),
  offset: count(1_000_000, 0),
  sort: z
    .string()
    .regex(new RegExp(`^-?(${SORTABLE.join("|")})$`), `must be one of ${SORTABLE.join(", ")}, with - for descending`)
    .default("id"),
});

export const WabaTemplate = z.object({
  category: z.string(),
  components: z.array(z.unknown()),
  language: z.string(),
  name: z.string(),
  namespace: z.string(),
  rejected_reason: z.string(),
  status: z.string().describe("approved, submitted (pending review), rejected, paused, disabled or deleted"),
});
const TemplatesResponse = z.object({
  count: z.number().int(),
  filters: z.object({}),
  limit: z.number().int(),
  offset: z.number().int(),
  sort: z.array(z.string()),
  total: z.number().int(),
  waba_templates: z.array(WabaTemplate),
  meta: LamMetaSchema,
});

/** On-Premise templates carry a namespace; Tuma's is a stable one per account, which sends accept and ignore. */
async function namespaceOf(accountId: string): Promise<string> {
  const h = await sha256Hex(`namespace:${accountId}`);
  return [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20, 32)].join("_");
}

const statusOf = (status: TemplateRecord["status"]) => (status === "PENDING" ? "submitted" : status.toLowerCase());

const wabaTemplate = (t: TemplateRecord, namespace: string) => ({
  category: t.category,
  components: t.components,
  language: t.language,
  name: t.name,
  namespace,
  rejected_reason: t.status === "REJECTED" ? "UNKNOWN" : "NONE",
  status: statusOf(t.status),
});

/** A template in 360dialog's shape, with the account's namespace. */
export const lamTemplateView = async (accountId: string, t: TemplateRecord) => wabaTemplate(t, await namespaceOf(accountId));

const listRoute = declareRoute({
  method: "get",
  path: `${LAM_BASE}/configs/templates`,
  operationId: "lamListTemplates",
  tag: "LAfricaMobile / 360dialog",
  summary: "List the account's message templates in 360dialog's shape (?limit=1000&offset=0&sort=id, -name for descending)",
  security: "lam_api_key",
  query: TemplatesQuery,
  responses: {
    200: { description: "One page of templates; `total` counts them all", schema: TemplatesResponse },
    400: { description: "Invalid limit, offset or sort (1009)", schema: LamErrorSchema },
    401: { description: "Missing or unknown API key (1005)", schema: LamErrorSchema },
    502: { description: "Meta's template list failed (1000)", schema: LamErrorSchema },
  },
});
lamRouter.get("/configs/templates", async (request, rc) => {
  const number = await requireNumber(request, rc);
  const { query } = await listRoute.read(request, lamParse);
  const all = unwrap(await listTemplates(rc.core, number.accountId, {}));
  const field = query.sort.replace(/^-/, "") as (typeof SORTABLE)[number];
  const direction = query.sort.startsWith("-") ? -1 : 1;
  const sorted = [...all].sort((a, b) => direction * (a[field] < b[field] ? -1 : a[field] > b[field] ? 1 : 0));
  const page = sorted.slice(query.offset, query.offset + query.limit);
  const namespace = await namespaceOf(number.accountId);
  return json({
    count: page.length,
    filters: {},
    limit: query.limit,
    offset: query.offset,
    sort: [query.sort],
    total: all.length,
    waba_templates: page.map((t) => wabaTemplate(t, namespace)),
    meta: LAM_META,
  });
});
