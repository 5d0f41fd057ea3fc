import * as z from "zod";
import { registerVonageApplication } from "../../core/credentials/vonage-auth";
import { unwrap } from "../../lib/errors";
import { json } from "../../lib/http";
import { declareRoute } from "../../lib/openapi";
import { requireAccount } from "../bearer";
import { NativeErrorSchema } from "./errors";
import { nativeRouter } from "./router";

const RegisterApplication = z.strictObject({
  application_id: z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9-]+$/, "must be a Vonage application id (UUID)"),
  public_key: z.string().trim().min(100, "must be a PEM public key").max(4096),
});

const ApplicationResponse = z.object({
  application_id: z.string(),
  key_fingerprint: z.string().describe("sha256 of the PEM; changes when the key is replaced"),
  updated_at: z.string(),
});

const registerRoute = declareRoute({
  method: "put",
  path: "/api/v1/vonage/application",
  operationId: "registerVonageApplication",
  tag: "Native: account",
  summary: "Register (or replace) the Vonage application whose key signs this account's Vonage JWTs",
  description:
    "The Vonage dialect (`/vonage/v0.1/whatsapp-manager`) accepts `Authorization: Bearer <JWT>` signed RS256 with the application's private key. Replacing the key invalidates every token signed by the old one.",
  security: "bearer",
  body: RegisterApplication,
  responses: {
    200: { description: "Registered", schema: ApplicationResponse },
    400: { description: "Invalid application id or key", schema: NativeErrorSchema },
    401: { description: "Missing, unknown or expired token", schema: NativeErrorSchema },
    409: { description: "Another account registered this application id", schema: NativeErrorSchema },
  },
});
nativeRouter.put("/vonage/application", async (request, rc) => {
  const accountId = await requireAccount(request, rc);
  const { body } = await registerRoute.read(request);
  const app = unwrap(await registerVonageApplication(rc.core, accountId, body.application_id, body.public_key));
  rc.log.log("info", "vonage_application_registered", { account_id: accountId, application_id: app.applicationId });
  return json({ application_id: app.applicationId, key_fingerprint: app.keyFingerprint, updated_at: new Date(app.updatedAt).toISOString() });
});
