import * as z from "zod";
import { createDevKey, listDevKeys, revokeDevKey } from "../../core/credentials/dev-keys";
import { unwrap } from "../../lib/errors";
import { json } from "../../lib/http";
import { declareRoute } from "../../lib/openapi";
import { requireAccount } from "../bearer";
import { NativeErrorSchema } from "./errors";
import { nativeRouter } from "./router";

/** EngageLab API keys (`Authorization: Basic base64(dev_key:dev_secret)`), managed per account. */

const CreateDevKeyBody = z.strictObject({ label: z.string().trim().min(1).max(100).optional() });
const DevKeySchema = z.object({
  dev_key: z.string(),
  label: z.string().nullable(),
  created_at: z.string(),
  revoked_at: z.string().nullable(),
});
const CreatedDevKey = DevKeySchema.extend({ dev_secret: z.string().describe("Shown once; only its hash is stored") });

const createKeyRoute = declareRoute({
  method: "post",
  path: "/api/v1/engagelab/keys",
  operationId: "createEngagelabKey",
  tag: "Native: EngageLab keys",
  summary: "Create a dev_key/dev_secret pair for the EngageLab API",
  security: "bearer",
  body: CreateDevKeyBody,
  responses: {
    201: { description: "The new key; dev_secret is shown only here", schema: CreatedDevKey },
    400: { description: "Invalid body", schema: NativeErrorSchema },
    401: { description: "Missing, unknown or expired token", schema: NativeErrorSchema },
  },
});
nativeRouter.post("/engagelab/keys", async (request, rc) => {
  const accountId = await requireAccount(request, rc);
  const { body } = await createKeyRoute.read(request);
  const created = await createDevKey(rc.core, accountId, body.label ?? null);
  rc.log.log("info", "dev_key_created", { account_id: accountId, dev_key: created.devKey });
  return json({ ...created.view, dev_secret: created.devSecret }, 201);
});

nativeRouter.get("/engagelab/keys", async (request, rc) => {
  const accountId = await requireAccount(request, rc);
  return json({ keys: await listDevKeys(rc.core, accountId) });
});
declareRoute({
  method: "get",
  path: "/api/v1/engagelab/keys",
  operationId: "listEngagelabKeys",
  tag: "Native: EngageLab keys",
  summary: "List the account's EngageLab keys (never their secrets)",
  security: "bearer",
  responses: {
    200: { description: "The keys", schema: z.object({ keys: z.array(DevKeySchema) }) },
    401: { description: "Missing, unknown or expired token", schema: NativeErrorSchema },
  },
});

nativeRouter.delete("/engagelab/keys/:devKey", async (request, rc) => {
  const accountId = await requireAccount(request, rc);
  unwrap(await revokeDevKey(rc.core, accountId, request.params.devKey!));
  return new Response(null, { status: 204 });
});
declareRoute({
  method: "delete",
  path: "/api/v1/engagelab/keys/{dev_key}",
  operationId: "revokeEngagelabKey",
  tag: "Native: EngageLab keys",
  summary: "Revoke a key at once",
  security: "bearer",
  responses: {
    204: { description: "Revoked (also when it already was)" },
    404: { description: "No such key for this account", schema: NativeErrorSchema },
  },
});
