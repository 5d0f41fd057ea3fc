import { createCoreContext } from "../config/create-context";
import { cloudApiDialect } from "../dialects/cloud-api/dialect";
import type { Dialect, RequestContext } from "../dialects/dialect";
import { engagelabDialect } from "../dialects/engagelab/dialect";
import { lamDialect } from "../dialects/lam/dialect";
import { nativeDialect } from "../dialects/native/dialect";
import { sandboxDialect } from "../dialects/sandbox/dialect";
import { systemDialect } from "../dialects/system/dialect";
import { tokabolaDialect } from "../dialects/tokabola/dialect";
import { webhooksDialect } from "../dialects/provider-webhooks/dialect";
import { vonageDialect } from "../dialects/vonage/dialect";
import { vonageMessagesDialect } from "../dialects/vonage-messages/dialect";
import type { Env } from "../config/env";
import { AppError, isAppError } from "../lib/errors";
import { REQUEST_ID_HEADER, requestIdFor } from "../lib/http";
import { createLogger, describeError } from "../lib/log";

/** Longest prefixes first; the system dialect (`/`) answers everything else. */
const dialects: Dialect[] = [vonageDialect, vonageMessagesDialect, engagelabDialect, tokabolaDialect, nativeDialect, cloudApiDialect, webhooksDialect, sandboxDialect, lamDialect, systemDialect];

function dialectFor(pathname: string): Dialect {
  return dialects.find((d) => pathname === d.base || pathname.startsWith(d.base.endsWith("/") ? d.base : `${d.base}/`))!;
}

export async function handleFetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
  const started = Date.now();
  const requestId = requestIdFor(request);
  const url = new URL(request.url);
  const dialect = dialectFor(url.pathname);
  const log = createLogger({ request_id: requestId });
  let response: Response;
  try {
    const core = createCoreContext(env, (p) => ctx.waitUntil(p), log);
    const rc: RequestContext = { core, requestId, log };
    rejectMalformedPath(url.pathname);
    const routed = dialect.developmentOnly && core.config.production ? undefined : await dialect.router.fetch(request, rc);
    response =
      routed ??
      dialect.renderError(new AppError("not_found", `No route for ${request.method} ${url.pathname}`), requestId);
  } catch (e) {
    response = dialect.renderError(toAppError(e, log), requestId);
  }
  // Responses built by fetch() or Response.json() can have immutable headers.
  response = new Response(response.body, response);
  response.headers.set(REQUEST_ID_HEADER, requestId);
  log.log("info", "request", {
    method: request.method,
    path: url.pathname,
    dialect: dialect.name,
    status: response.status,
    ms: Date.now() - started,
  });
  return response;
}

/**
 * Routes read path parameters from the raw path, and some decode them: a malformed
 * percent-encoding (`%`, `%E0%A4%A`) is refused here, once for every route, in the dialect's
 * bad-request format, so no route can meet a decoding error.
 */
function rejectMalformedPath(pathname: string): void {
  try {
    decodeURIComponent(pathname);
  } catch {
    throw new AppError("invalid_request", "The path has a malformed percent-encoding", {
      issues: [{ field: "path", kind: "invalid_format", reason: "must be valid percent-encoded UTF-8" }],
    });
  }
}

/** Expected errors pass through; anything else is logged in full and becomes a bare `internal`. */
function toAppError(e: unknown, log: ReturnType<typeof createLogger>): AppError {
  if (isAppError(e)) {
    if (e.code === "internal" || e.code === "unavailable") log.log("error", e.code, { error_message: e.message });
    return e;
  }
  log.log("error", "unexpected_error", describeError(e));
  return new AppError("internal", "Unexpected error");
}
