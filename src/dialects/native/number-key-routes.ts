import * as z from "zod";
import { rotateNumberKey } from "../../core/credentials/number-keys";
import { unwrap } from "../../lib/errors";
import { json } from "../../lib/http";
import { declareRoute } from "../../lib/openapi";
import { requireAccount } from "../bearer";
import { NativeErrorSchema } from "./errors";
import { nativeRouter } from "./router";

/** A number's API key (LAfricaMobile `LAM-API-KEY` / 360dialog `D360-API-KEY`), whichever dialect added the number. */

const NumberKeyResponse = z.object({
  phone_number_id: z.string(),
  deployment_id: z.string(),
  api_key: z.string().describe("Shown once; only its hash is stored. The number's previous key stops working at once."),
  api_key_masked: z.string(),
});

nativeRouter.post("/numbers/:phoneNumberId/api-key", async (request, rc) => {
  const accountId = await requireAccount(request, rc);
  const rotated = unwrap(await rotateNumberKey(rc.core, accountId, request.params.phoneNumberId!));
  return json({
    phone_number_id: rotated.phoneNumberId,
    deployment_id: rotated.deploymentId,
    api_key: rotated.apiKey,
    api_key_masked: rotated.apiKeyMasked,
  });
});
declareRoute({
  method: "post",
  path: "/api/v1/numbers/{phone_number_id}/api-key",
  operationId: "issueNumberApiKey",
  tag: "Native: numbers",
  summary: "Issue a new API key for one of the account's numbers (the old one stops working at once)",
  description: "The key authenticates the LAfricaMobile / 360dialog dialect (`LAM-API-KEY` or `D360-API-KEY` header) for this number only.",
  security: "bearer",
  responses: {
    200: { description: "The new key, shown once", schema: NumberKeyResponse },
    401: { description: "Missing, unknown or expired token", schema: NativeErrorSchema },
    404: { description: "No live number with this phone_number_id in the account", schema: NativeErrorSchema },
    409: { description: "Rotated concurrently; try again", schema: NativeErrorSchema },
  },
});
