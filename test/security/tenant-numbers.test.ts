import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { releaseUnverifiedNumbers } from "../../src/core/numbers/release";
import { SANDBOX_WABA_ID } from "../../src/core/numbers/waba";
import { uniqueNumber } from "../durable/numbers-helpers";
import { seedReadyNumber } from "../fixtures/numbers";
import { coreContext, ManualClock, signup, tokabola, tokenFor } from "../helpers";
import { expectVonageError, vonageClient, type VonageClient } from "../vonage/helpers";

const DAY = 24 * 3600 * 1000;
const provisionBody = (wabaId: string, number = uniqueNumber()) => ({ country_code: "44", number, vname_certificate: "AbCdEFGHiJK123456", method: "sms", waba_id: wabaId });
const listed = async (client: VonageClient) => (await (await client.call("GET", "/deployments")).json<{ deployments: { deployment_id: string }[] }>()).deployments.length;
const shown = async (client: VonageClient, id: string) =>
  (await (await client.call("GET", `/deployments/${id}`)).json<{ current_state: { title: string; detail: string } }>()).current_state;
const expirePlan = (accountId: string) => env.DB.prepare("UPDATE accounts SET plan_expires_at = ? WHERE id = ?").bind(Date.now() - 1000, accountId).run();
const addBody = (number: string) => ({ type: "add", add: { cc: "243", phone_number: number, phone_name: "Ma Boutique", language: "fr_FR" } });

describe("a Vonage waba_id must be the account's own or the operator's", () => {
  it("refuses another WABA the operator's token could reach (422 naming waba_id), creating nothing", async () => {
    const client = await vonageClient();
    const refused = await expectVonageError(await client.call("POST", "/deployments", provisionBody("123456789123")), 422, "unprocessable");
    expect(refused.invalid_parameters?.map((p) => p.name)).toEqual(["waba_id"]);
    expect(await listed(client)).toBe(0);
  });

  it("accepts the operator's WABA and a WABA already linked to the account (Embedded Signup), not another account's", async () => {
    const client = await vonageClient();
    expect((await client.call("POST", "/deployments", provisionBody(SANDBOX_WABA_ID))).status).toBe(202);
    const accountId = (await env.DB.prepare("SELECT account_id FROM vonage_applications WHERE application_id = ?").bind(client.applicationId).first<{ account_id: string }>())!.account_id;
    const linked = await seedReadyNumber(accountId);
    const ownWaba = `3${Date.now()}`;
    await env.DB.prepare("UPDATE deployments SET waba_id = ? WHERE id = ?").bind(ownWaba, linked.deploymentId).run();
    expect((await client.call("POST", "/deployments", provisionBody(ownWaba))).status).toBe(202);
    const stranger = await vonageClient();
    await expectVonageError(await stranger.call("POST", "/deployments", provisionBody(ownWaba)), 422, "unprocessable");
  });
});

describe("adding a number needs an active plan or trial", () => {
  it("toKABOLA add answers its plan-expired error (403) and holds no number", async () => {
    const account = await signup();
    await expirePlan(account.id);
    const token = await tokenFor(account);
    const number = `81${uniqueNumber().slice(-7)}`;
    const res = await tokabola(addBody(number), token);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ status: "error", code: 403, message: expect.stringContaining("Abonnement expiré") });
    // The number stays free for someone with a plan.
    expect((await tokabola(addBody(number), await tokenFor(await signup()))).status).toBe(200);
  });

  it("Vonage POST /deployments answers forbidden (403) and creates nothing", async () => {
    const client = await vonageClient();
    const accountId = (await env.DB.prepare("SELECT account_id FROM vonage_applications WHERE application_id = ?").bind(client.applicationId).first<{ account_id: string }>())!.account_id;
    await expirePlan(accountId);
    await expectVonageError(await client.call("POST", "/deployments", provisionBody(SANDBOX_WABA_ID)), 403, "forbidden");
    expect(await listed(client)).toBe(0);
  });
});

describe("the cron releases numbers left unverified", () => {
  it("after UNVERIFIED_NUMBER_RELEASE_DAYS (7) the deployment is DELETED, its number free, the client sees it released and out of its list; READY and younger ones stay", async () => {
    const client = await vonageClient();
    const number = uniqueNumber();
    const created = await (await client.call("POST", "/deployments", provisionBody(SANDBOX_WABA_ID, number))).json<{ deployment_id: string }>();
    const id = created.deployment_id;
    const accountId = (await env.DB.prepare("SELECT account_id FROM deployments WHERE id = ?").bind(id).first<{ account_id: string }>())!.account_id;
    const ready = await seedReadyNumber(accountId);
    const stateOf = async (deploymentId: string) => (await env.DB.prepare("SELECT state FROM deployments WHERE id = ?").bind(deploymentId).first<{ state: string }>())!.state;

    await releaseUnverifiedNumbers(coreContext(new ManualClock(Date.now() + 6 * DAY)), 10_000);
    expect(await stateOf(id)).not.toBe("DELETED");
    expect(await listed(client)).toBe(2);

    await releaseUnverifiedNumbers(coreContext(new ManualClock(Date.now() + 8 * DAY)), 10_000);
    expect(await stateOf(id)).toBe("DELETED");
    expect(await shown(client, id)).toEqual({ title: "DELETED", detail: "Released: not verified within 7 days" });
    expect(await listed(client)).toBe(1);
    expect(await stateOf(ready.deploymentId)).toBe("READY");
    // The number's real owner can now add it.
    const owner = await vonageClient();
    expect((await owner.call("POST", "/deployments", provisionBody(SANDBOX_WABA_ID, number))).status).toBe(202);
  });

  it("the release age is configurable", async () => {
    const client = await vonageClient();
    const { deployment_id: id } = await (await client.call("POST", "/deployments", provisionBody(SANDBOX_WABA_ID))).json<{ deployment_id: string }>();
    await releaseUnverifiedNumbers(coreContext(new ManualClock(Date.now() + 2 * DAY), { UNVERIFIED_NUMBER_RELEASE_DAYS: "1" }), 10_000);
    expect(await shown(client, id)).toEqual({ title: "DELETED", detail: "Released: not verified within 1 day" });
  });
});
