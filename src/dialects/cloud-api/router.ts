import { IttyRouter, type IRequest } from "itty-router";
import type { z } from "zod";
import { resolveCloudApiToken } from "../../core/credentials/cloud-api-tokens";
import { AppError, unwrap } from "../../lib/errors";
import { bearerToken, readJsonBody } from "../../lib/http";
import { parseWith } from "../../lib/validation";
import { admitAccount } from "../bearer";
import type { RequestContext } from "../dialect";

/**
 * Meta's Cloud API is `https://graph.facebook.com/{version}/…`: a client sets its SDK's base URL to
 * `https://<tuma>/graph` and keeps its own version (any `vNN.N`).
 */
export const CLOUD_API_BASE = "/graph";

export const cloudApiRouter = IttyRouter<IRequest, [RequestContext]>({ base: CLOUD_API_BASE });

const VERSION = /^v\d{1,2}\.\d$/;

/** The account behind `Authorization: Bearer <access token>` (a token issued at POST /api/v1/cloud-api/tokens). */
export async function requireGraphAccount(request: IRequest, rc: RequestContext): Promise<string> {
  if (!VERSION.test(request.params.version ?? "")) {
    throw new AppError("invalid_request", `Unknown path components: /${request.params.version}`, {
      issues: [{ field: "path", kind: "invalid_format", reason: "must start with a Graph API version such as v23.0" }],
    });
  }
  const token = bearerToken(request);
  if (!token) throw new AppError("unauthorized", "An active access token must be used to query information about the current user.");
  return admitAccount(rc, unwrap(await resolveCloudApiToken(rc.core, token)));
}

/** Reads and validates a JSON body: not JSON is `malformed_body`, bad fields `invalid_request` naming each field. */
export async function graphBody<S extends z.ZodType>(request: Request, schema: S): Promise<z.output<S>> {
  return unwrap(parseWith(schema, await readJsonBody(request)));
}
