import { describe, expect, it } from "vitest";
import { exportSPKI } from "jose";
import { expectVonageError, newKeyPair, registerKey, vonageClient } from "./helpers";

const now = () => Math.floor(Date.now() / 1000);

describe("Vonage JWT authentication", () => {
  it("a token made the way Vonage's SDK makes it is accepted, and again on later calls until it expires", async () => {
    const client = await vonageClient();
    const jwt = await client.jwt({ acl: { paths: { "/*/users/**": {} } }, sub: "alice", issued_at: now() });
    for (let i = 0; i < 3; i++) expect((await client.call("GET", "/deployments", undefined, jwt)).status).toBe(200);
  });

  it("no token, a malformed one, a wrong signature or an unknown application answer unauthorized", async () => {
    const client = await vonageClient();
    const { privateKey: stranger } = await newKeyPair();
    const cases = [
      await client.call("GET", "/deployments", undefined, "not-a-jwt"),
      await client.call("GET", "/deployments", undefined, await client.jwt({}, stranger)),
      await client.call("GET", "/deployments", undefined, await client.jwt({ application_id: crypto.randomUUID() })),
      await client.call("GET", "/deployments", undefined, await client.jwt({ application_id: undefined })),
      await client.call("GET", "/deployments", undefined, await client.jwt({ iat: undefined, exp: undefined })),
    ];
    for (const res of cases) {
      const body = await expectVonageError(res, 401, "unauthorized");
      expect(body.title).toBe("You did not provide correct credentials.");
      expect(body.detail).toBe("Check that you're using the correct credentials, and that your account has this feature enabled");
    }
  });

  it("an expired token answers jwt-expired: past exp, 15 min after iat without exp, and 24 h after iat whatever exp says", async () => {
    const client = await vonageClient();
    const expired = [
      await client.jwt({ iat: now() - 120, exp: now() - 60 }),
      await client.jwt({ iat: now() - 16 * 60, exp: undefined }),
      await client.jwt({ iat: now() - 25 * 3600, exp: now() + 3600 }),
    ];
    for (const jwt of expired) await expectVonageError(await client.call("GET", "/deployments", undefined, jwt), 401, "jwt-expired");
    const fresh = await client.jwt({ iat: now() - 5 * 60, exp: undefined });
    expect((await client.call("GET", "/deployments", undefined, fresh)).status).toBe(200);
  });

  it("replacing the registered key invalidates tokens signed by the old one, even those already used", async () => {
    const client = await vonageClient();
    const old = await client.jwt();
    expect((await client.call("GET", "/deployments", undefined, old)).status).toBe(200);
    const { publicKey, privateKey } = await newKeyPair();
    expect((await registerKey(client.accountToken, client.applicationId, await exportSPKI(publicKey))).status).toBe(200);
    await expectVonageError(await client.call("GET", "/deployments", undefined, old), 401, "unauthorized");
    expect((await client.call("GET", "/deployments", undefined, await client.jwt({}, privateKey))).status).toBe(200);
  });

  it("registering a key that is not an RSA public key, or another account's application id, is refused", async () => {
    const client = await vonageClient();
    expect((await registerKey(client.accountToken, crypto.randomUUID(), "-----BEGIN PUBLIC KEY-----\n" + "A".repeat(200) + "\n-----END PUBLIC KEY-----")).status).toBe(400);
    const other = await vonageClient();
    const { publicKey } = await newKeyPair();
    expect((await registerKey(other.accountToken, client.applicationId, await exportSPKI(publicKey))).status).toBe(409);
  });
});
