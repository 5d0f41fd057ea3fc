import { resolveToken } from "../core/credentials/tokens";
import { AppError, unwrap } from "../lib/errors";
import { bearerToken } from "../lib/http";
import type { RequestContext } from "./dialect";

/** The account behind the request's `Authorization: Bearer` token, or an `unauthorized`/`token_expired` error. */
export async function requireAccount(request: Request, rc: RequestContext): Promise<string> {
  const token = bearerToken(request);
  if (!token) throw new AppError("unauthorized", "Missing bearer token");
  return unwrap(await resolveToken(rc.core, token));
}
