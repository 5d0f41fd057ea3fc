import * as z from "zod";
import { rotateAccountKey } from "../../core/accounts/accounts";
import { unwrap } from "../../lib/errors";
import { json } from "../../lib/http";
import { documentRoute } from "../../lib/openapi";
import { requireAccount } from "../bearer";
import { NativeErrorSchema } from "./errors";
import { nativeRouter } from "./router";

const RotateKeyResponse = z.object({
  id_user: z.string(),
  key_user: z.string().describe("The new key, shown once. Every token issued before is revoked."),
});

nativeRouter.post("/account/rotate-key", async (request, rc) => {
  const accountId = await requireAccount(request, rc);
  const keyUser = unwrap(await rotateAccountKey(rc.core, accountId));
  rc.log.log("info", "account_key_rotated", { account_id: accountId });
  return json({ id_user: accountId, key_user: keyUser });
});
documentRoute({
  method: "post",
  path: "/api/v1/account/rotate-key",
  tag: "Native: account",
  summary: "Issue a new key_user and revoke every token of the account",
  description: "Cuts off a leaked key at once: tokens issued before this call stop working immediately.",
  security: "bearer",
  responses: {
    200: { description: "The new key_user, shown once", schema: RotateKeyResponse },
    401: { description: "Missing, unknown or expired token", schema: NativeErrorSchema },
  },
});
