import * as z from "zod";
import type { DeploymentState } from "../../durable/deployment-model";
import { json } from "../../lib/http";
import { declareRoute } from "../../lib/openapi";
import { LAM_META, LamErrorSchema, LamMetaSchema } from "./errors";
import { LAM_BASE, lamRouter, requireNumber } from "./router";

/** The On-Premise client's gateway status for each state of the key's number (a DELETED number's key is refused). */
const GATEWAY_STATUS: Record<DeploymentState, GatewayStatus> = {
  INITIALIZING: "uninitialized",
  CREATING_CLUSTER: "uninitialized",
  CLUSTER_CREATED: "unregistered",
  CODE_SENT: "unregistered",
  WRONG_CODE: "unregistered",
  CODE_VERIFIED: "connecting",
  FINALIZING: "connecting",
  READY: "connected",
  ERROR: "disconnected",
  DELETING: "disconnected",
  DELETED: "disconnected",
};
const GATEWAY_STATUSES = ["connected", "connecting", "disconnected", "uninitialized", "unregistered"] as const;
type GatewayStatus = (typeof GATEWAY_STATUSES)[number];

const HealthResponse = z.object({
  health: z.object({ gateway_status: z.enum(GATEWAY_STATUSES) }),
  meta: LamMetaSchema,
});

lamRouter.get("/health", async (request, rc) => {
  const number = await requireNumber(request, rc);
  return json({ health: { gateway_status: GATEWAY_STATUS[number.state] }, meta: LAM_META });
});
declareRoute({
  method: "get",
  path: `${LAM_BASE}/health`,
  operationId: "lamGetHealth",
  tag: "LAfricaMobile / 360dialog",
  summary: "The key's number as a gateway status: READY is connected; numbers still being verified are unregistered or connecting",
  security: "lam_api_key",
  responses: {
    200: { description: "The number's status", schema: HealthResponse },
    401: { description: "Missing or unknown API key (1005)", schema: LamErrorSchema },
  },
});
