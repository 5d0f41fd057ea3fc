import type { IRequest, RouterType } from "itty-router";
import type { CoreContext } from "../config/context";
import type { Session } from "../core/credentials/sessions";
import type { AppError } from "../lib/errors";
import type { Logger } from "../lib/log";

/** Passed to every route handler after the request. */
export interface RequestContext {
  core: CoreContext;
  requestId: string;
  log: Logger;
  /** The console session the request's cookie opened (native API only, never with an Authorization header). */
  session?: Session;
}

/**
 * A dialect owns a path prefix, translates its wire format to core calls and back, and says every
 * application error in its own format. No business rule lives in a dialect.
 */
export interface Dialect {
  name: string;
  /** Path prefix; requests under it are answered by this dialect, errors included. */
  base: string;
  router: RouterType<IRequest, [RequestContext]>;
  /** Simulations only: answers 404 in production (the app refuses to route to it). */
  developmentOnly?: boolean;
  /** The whole error response, for any code. `internal` and `unavailable` must say nothing of the cause. */
  renderError(error: AppError, requestId: string): Response;
}
