import { kvKeys } from "../../stores/kv";
import { IttyRouter, type IRequest } from "itty-router";
import * as z from "zod";
import pkg from "../../../package.json";
import { json } from "../../lib/http";
import { declareRoute } from "../../lib/openapi";
import { openApiDocument } from "../../lib/openapi-document";
import type { Dialect, RequestContext } from "../dialect";
import { renderNativeError } from "../native/errors";

/**
 * The routes outside any dialect: the index, health, the OpenAPI document, the console's deep
 * links. Errors in the native format. `/docs` and `/console` are static assets (public/docs/,
 * public/console/), served before the Worker runs.
 */
const router = IttyRouter<IRequest, [RequestContext]>();

/** Each dialect's mount, as listed by `GET /`. Later dialects add themselves here. */
const MOUNTED_DIALECTS = [
  { name: "toKABOLA", base: "/tokabola/v1/" },
  { name: "native", base: "/api/v1/" },
  { name: "Vonage WhatsApp Manager", base: "/vonage/v0.1/whatsapp-manager/" },
  { name: "EngageLab", base: "/engagelab/v1/" },
  { name: "LAfricaMobile / 360dialog", base: "/lam/" },
  { name: "Meta Cloud API", base: "/graph/" },
  { name: "sandbox", base: "/sandbox/" },
];

const IndexResponse = z.object({
  name: z.literal("Tuma"),
  version: z.string(),
  description: z.string(),
  dialects: z.array(z.object({ name: z.string(), base: z.string() })),
  openapi: z.string(),
  docs: z.string(),
});

router.get("/", () =>
  json({
    name: "Tuma",
    version: pkg.version,
    description: pkg.description,
    dialects: MOUNTED_DIALECTS,
    openapi: "/openapi.json",
    docs: "/docs",
  }),
);
declareRoute({
  method: "get",
  path: "/",
  operationId: "getIndex",
  tag: "System",
  summary: "What this gateway is and where its dialects are mounted",
  security: "none",
  responses: { 200: { description: "The index", schema: IndexResponse } },
});

const HealthResponse = z.object({
  status: z.enum(["ok", "degraded"]),
  checks: z.object({ d1: z.enum(["ok", "failed"]), kv: z.enum(["ok", "failed"]) }),
});

router.get("/health", async (_request, rc) => {
  const check = async (probe: () => Promise<unknown>) => {
    try {
      await probe();
      return "ok" as const;
    } catch (e) {
      rc.log.log("error", "health_check_failed", { error_message: String(e) });
      return "failed" as const;
    }
  };
  const [d1, kv] = await Promise.all([
    check(() => rc.core.db.prepare("SELECT 1").first()),
    check(() => rc.core.kv.get(kvKeys.healthProbe)),
  ]);
  const healthy = d1 === "ok" && kv === "ok";
  return json({ status: healthy ? "ok" : "degraded", checks: { d1, kv } }, healthy ? 200 : 503);
});
declareRoute({
  method: "get",
  path: "/health",
  operationId: "getHealth",
  tag: "System",
  summary: "200 when D1 and KV answer, 503 otherwise",
  security: "none",
  responses: {
    200: { description: "Healthy", schema: HealthResponse },
    503: { description: "A store did not answer", schema: HealthResponse },
  },
});

/** Does no work at all: the baseline the benchmark compares real routes with. */
router.get("/ping", () => new Response("pong"));
declareRoute({
  method: "get",
  path: "/ping",
  operationId: "ping",
  tag: "System",
  summary: "Answers `pong` and does nothing else (benchmark baseline)",
  security: "none",
  responses: { 200: { description: "pong", schema: z.literal("pong"), contentType: "text/plain" } },
});

router.get("/openapi.json", () =>
  json(
    openApiDocument({
      title: "Tuma",
      version: pkg.version,
      description: "WhatsApp Business gateway speaking toKABOLA, LAfricaMobile/360dialog, EngageLab and Vonage WhatsApp Manager.",
    }),
  ),
);

const CONSOLE_HEADERS = [
  ["Content-Security-Policy", "frame-ancestors 'none'"],
  ["X-Frame-Options", "DENY"],
  ["Referrer-Policy", "no-referrer"],
  ["X-Content-Type-Options", "nosniff"],
] as const;

/**
 * The console's screens (`/console/messages/…`, `/console/admin/accounts/…`) have no file of their
 * own: they get the console's page, whose script picks the screen from the path (the SPA
 * fallback). Its files are served before the Worker, so a file path that reaches here is missing
 * and stays a 404. Only /console/… is covered: /api and the dialects are never shadowed.
 */
router.get("/console/*", async (request, rc) => {
  const url = new URL(request.url);
  if (/\.\w+$/.test(url.pathname)) return undefined;
  const page = await rc.core.env.ASSETS.fetch(new URL("/console", url));
  // What public/_headers gives the page when it is served as a file: never framed, no referrer.
  const headers = new Headers(page.headers);
  for (const [name, value] of CONSOLE_HEADERS) headers.set(name, value);
  return new Response(page.body, { status: page.status, headers });
});

export const systemDialect: Dialect = {
  name: "system",
  base: "/",
  router,
  renderError: renderNativeError,
};
