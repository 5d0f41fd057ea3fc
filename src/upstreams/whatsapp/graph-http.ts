import type { Fetch } from "../../lib/connection-cap";
import type { Logger } from "../../lib/log";
import { graphFault, type GraphError } from "./meta-errors";
import { done, fault, retryable, type UpstreamResult } from "./types";

/** Where Graph lives and how long to wait for it. */
export interface GraphEndpoint {
  graphUrl: string;
  version: string;
  timeoutMs: number;
  /** The invocation's fetch (see lib/connection-cap.ts); the global one by default. */
  fetch?: Fetch;
}

export interface GraphRequest {
  query?: Record<string, string>;
  json?: unknown;
  body?: BodyInit;
  headers?: Record<string, string>;
}

/**
 * One Graph API call. Timeouts and network failures are transient faults; an error answer is
 * classified by `graphFault` and logged with Meta's code and trace id (never the token).
 */
export async function graphRequest<T>(endpoint: GraphEndpoint, log: Logger, method: string, path: string, init: GraphRequest = {}): Promise<UpstreamResult<T>> {
  const url = new URL(`${endpoint.graphUrl.replace(/\/$/, "")}/${endpoint.version}/${path}`);
  for (const [k, v] of Object.entries(init.query ?? {})) url.searchParams.set(k, v);
  const headers: Record<string, string> = { ...init.headers };
  if (init.json !== undefined) headers["Content-Type"] = "application/json";
  let response: Response;
  // The timeout is for Meta's answer to start: once its headers are in, its body is read whatever
  // the time (a send Meta accepted must never be recorded as failed for a body read cut short).
  const waiting = new AbortController();
  const timer = setTimeout(() => waiting.abort(new DOMException("Meta did not answer in time", "TimeoutError")), endpoint.timeoutMs);
  try {
    response = await (endpoint.fetch ?? fetch)(url, {
      method,
      headers,
      body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
      signal: waiting.signal,
    });
  } catch (e) {
    const timedOut = e instanceof Error && (e.name === "TimeoutError" || e.name === "AbortError");
    log.log("warn", "meta_unreachable", { path: url.pathname, timed_out: timedOut });
    return fault({ kind: "transient", message: timedOut ? "Meta did not answer in time" : "Meta could not be reached" });
  } finally {
    clearTimeout(timer);
  }
  const body = await response.json<{ error?: GraphError } & T>().catch(() => undefined);
  if (response.ok && body && !body.error) return done(body as T);
  const f = graphFault(response.status, body?.error, response.headers.get("x-fb-trace-id"));
  log.log(retryable(f) ? "warn" : "error", "meta_error", {
    path: url.pathname,
    status: response.status,
    meta_code: f.code,
    meta_trace_id: f.traceId,
    kind: f.kind,
  });
  return { ok: false, fault: f };
}
