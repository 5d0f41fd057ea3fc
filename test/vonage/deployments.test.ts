import { runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { SANDBOX_WABA_ID } from "../../src/core/numbers/waba";
import { stubOf, uniqueNumber } from "../durable/numbers-helpers";
import { signupWithToken, tokabola } from "../helpers";
import { expectVonageError, vonageClient, type VonageClient } from "./helpers";

interface DeploymentResponse {
  deployment_id: string;
  waba_id: string;
  country_code: string;
  number: string;
  api_key: string;
  current_state: { title: string; detail: string };
}

const provisionBody = (number = uniqueNumber(), extra: Record<string, unknown> = {}) => ({
  country_code: "44",
  number,
  vname_certificate: "AbCdEFGHiJK123456",
  method: "sms",
  waba_id: SANDBOX_WABA_ID,
  ...extra,
});

async function provision(client: VonageClient, body = provisionBody()) {
  const res = await client.call("POST", "/deployments", body);
  expect(res.status).toBe(202);
  return res.json<DeploymentResponse>();
}

async function alarms(id: string, n: number) {
  for (let i = 0; i < n; i++) await runDurableObjectAlarm(stubOf(id));
}

async function stateOf(client: VonageClient, id: string) {
  return (await (await client.call("GET", `/deployments/${id}`)).json<DeploymentResponse>()).current_state.title;
}

describe("Vonage WhatsApp Manager: deployments", () => {
  it("provision (202) → code sent → verify (201) → READY → profile and photo → delete (204) → DELETED", async () => {
    const client = await vonageClient();
    const created = await provision(client);
    expect(created).toMatchObject({ country_code: "44", waba_id: SANDBOX_WABA_ID, current_state: { title: "INITIALIZING", detail: "Initializing deployment" } });
    expect(created.api_key).toMatch(/^[0-9a-f]{40}$/);
    const id = created.deployment_id;

    const fetched = await (await client.call("GET", `/deployments/${id}`)).json<DeploymentResponse>();
    expect(fetched.api_key).toBe(`${created.api_key.slice(0, 8)}********`);

    await alarms(id, 3);
    expect(await stateOf(client, id)).toBe("CODE_SENT");
    await expectVonageError(await client.call("POST", `/deployments/${id}/resend-otp`, { method: "voice" }), 429, "throttled");

    for (const code of ["12345", "abcdef", undefined]) {
      const malformed = await expectVonageError(await client.call("POST", `/deployments/${id}/verify`, { code }), 422, "verification-failed");
      expect(malformed.title).toBe("Verification Failed");
      expect(malformed.invalid_parameters?.map((p) => p.name)).toEqual(["code"]);
    }
    // A body that is not an object, or not JSON, is the dialect's usual answer, not a wrong code.
    await expectVonageError(await client.call("POST", `/deployments/${id}/verify`, ["123456"]), 422, "unprocessable");
    await expectVonageError(await client.call("POST", `/deployments/${id}/verify`, "{not json"), 400, "invalid-json");
    expect(await stateOf(client, id)).toBe("CODE_SENT");
    const wrong = await expectVonageError(await client.call("POST", `/deployments/${id}/verify`, { code: "000111" }), 422, "verification-failed");
    expect(wrong.invalid_parameters).toEqual([{ name: "code", reason: "Invalid code provided." }]);
    expect(await stateOf(client, id)).toBe("WRONG_CODE");

    const verified = await client.call("POST", `/deployments/${id}/verify`, { code: "123456" });
    expect(verified.status).toBe(201);
    expect(await verified.json()).toEqual({ deployment_id: id, status: "Deployment was Created" });
    await alarms(id, 2);
    expect(await stateOf(client, id)).toBe("READY");

    const profile = { about: "about your business", address: "123 main street", description: "your business description", email: "you@example.com", vertical: "Food and Grocery", websites: ["https://example.com"] };
    const patched = await client.call("PATCH", `/deployments/${id}/profile`, profile);
    expect(patched.status).toBe(200);
    expect(await patched.json()).toEqual(profile);
    expect(await (await client.call("GET", `/deployments/${id}/profile`)).json()).toEqual(profile);
    const tooLong = await expectVonageError(await client.call("PATCH", `/deployments/${id}/profile`, { description: "x".repeat(257) }), 422, "unprocessable-profile-update");
    expect(tooLong.invalid_parameters?.[0]?.name).toBe("description");

    const photo = await client.call("POST", `/deployments/${id}/profile/photo`, { image_url: "https://www.example.com/img.png" });
    expect(photo.status).toBe(200);
    expect(await (await client.call("GET", `/deployments/${id}/profile/photo`)).json()).toEqual({ image_url: "https://www.example.com/img.png" });
    await expectVonageError(await client.call("POST", `/deployments/${id}/profile/photo`, { image_url: "https://www.example.com/img.gif" }), 422, "unprocessable");

    const deleted = await client.call("DELETE", `/deployments/${id}`);
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe("");
    expect(await stateOf(client, id)).toBe("DELETING");
    await alarms(id, 1);
    expect(await stateOf(client, id)).toBe("DELETED");
  });

  it("answers each error in Vonage's format with its status", async () => {
    const client = await vonageClient();
    await expectVonageError(await client.call("POST", "/deployments", "{not json"), 400, "invalid-json");
    const missing = await expectVonageError(await client.call("POST", "/deployments", { ...provisionBody(), waba_id: undefined }), 422, "unprocessable");
    expect(missing.invalid_parameters?.map((p) => p.name)).toEqual(["waba_id"]);

    const { deployment_id: id, number } = await provision(client);
    await expectVonageError(await client.call("POST", "/deployments", provisionBody(number)), 409, "number-in-use");
    await expectVonageError(await client.call("DELETE", `/deployments/${id}`), 409, "conflict-deployment-state");
    const resend = await expectVonageError(await client.call("POST", `/deployments/${id}/resend-otp`, { method: "sms" }), 409, "conflict-resend-otp");
    expect(resend.title).toBe("Deployment Completed, Resend Failed");
    await expectVonageError(await client.call("GET", `/deployments/${crypto.randomUUID()}`), 404, "not-found");
    await expectVonageError(await client.call("PATCH", `/deployments/${id}/profile`, { about: "Hi" }), 409, "conflict-deployment-state");

    const other = await vonageClient();
    await expectVonageError(await other.call("GET", `/deployments/${id}`), 404, "not-found");
    await expectVonageError(await other.call("POST", `/deployments/${id}/verify`, { code: "123456" }), 404, "not-found");
  });

  it("a bad vname certificate ends in ERROR with its reason; the deployment can then be deleted and the number provisioned again", async () => {
    const client = await vonageClient();
    const number = uniqueNumber();
    const { deployment_id: id } = await provision(client, provisionBody(number, { vname_certificate: "invalid" }));
    await alarms(id, 2);
    const failed = await (await client.call("GET", `/deployments/${id}`)).json<DeploymentResponse>();
    expect(failed.current_state).toEqual({ title: "ERROR", detail: "Invalid vname certificate" });
    expect((await client.call("DELETE", `/deployments/${id}`)).status).toBe(204);
    await alarms(id, 1);
    expect((await provision(client, provisionBody(number))).current_state.title).toBe("INITIALIZING");
  });

  it("lists only the account's own live deployments", async () => {
    const client = await vonageClient();
    const other = await vonageClient();
    const mine = await provision(client);
    await provision(other);
    const list = await (await client.call("GET", "/deployments")).json<{ deployments: DeploymentResponse[] }>();
    expect(list.deployments.map((d) => d.deployment_id)).toEqual([mine.deployment_id]);
    expect(list.deployments[0]!.api_key).toMatch(/\*{8}$/);
  });
});

describe("both dialects drive the same numbers", () => {
  it("a number added through toKABOLA is visible through Vonage, and one provisioned through Vonage is verified through toKABOLA", async () => {
    const client = await vonageClient();
    const added = await (await tokabola({ type: "add", add: { cc: "243", phone_number: uniqueNumber(), phone_name: "Kin", language: "fr_FR" } }, client.accountToken)).json<{ data: { deployment_id: string; phone_number_id: string } }>();
    const seen = await (await client.call("GET", `/deployments/${added.data.deployment_id}`)).json<DeploymentResponse>();
    expect(seen.current_state.title).toBe("CLUSTER_CREATED");
    const listed = await (await client.call("GET", "/deployments")).json<{ deployments: DeploymentResponse[] }>();
    expect(listed.deployments.map((d) => d.deployment_id)).toContain(added.data.deployment_id);

    const { deployment_id: id } = await provision(client);
    await alarms(id, 3);
    const pnid = (await stubOf(id).view())!.phoneNumberId!;
    const verified = await tokabola({ type: "number", number: { method: "verify", phone_number_id: pnid, otp_code: "123456" } }, client.accountToken);
    expect((await verified.json<{ data: { status: string } }>()).data.status).toBe("READY");
    expect(await stateOf(client, id)).toBe("READY");

    const stranger = await signupWithToken();
    const refused = await tokabola({ type: "number", number: { method: "verify", phone_number_id: pnid, otp_code: "123456" } }, stranger.token);
    expect(refused.status).toBe(404);
  });
});
