import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import {
  deleteDeployment,
  deploymentHistory,
  getDeployment,
  provisionNumber,
  requestCode,
  updateProfile,
  verifyCode,
} from "../../src/core/numbers/numbers";
import type { Deployment } from "../../src/durable/deployment";
import type { DeploymentRecord } from "../../src/durable/deployment-model";
import { sha256Hex } from "../../src/lib/crypto";
import { coreContext } from "../helpers";
import { expectState, mirrorOf, newAccount, provision, request, stubOf, uniqueNumber } from "./numbers-helpers";

const ctx = () => coreContext();

/** Moves the last code-sent time back, as if a minute had passed. */
async function ageLastCode(id: string) {
  await runInDurableObject(stubOf(id), (_i: Deployment, state) => {
    const r = state.storage.kv.get<DeploymentRecord>("record")!;
    state.storage.kv.put("record", { ...r, otp: { ...r.otp, sentAt: r.otp.sentAt! - 61_000 } });
  });
}

async function toCodeSent(accountId: string) {
  const { deployment } = await provision(accountId);
  for (let i = 0; i < 3; i++) expect(await runDurableObjectAlarm(stubOf(deployment.id))).toBe(true);
  await expectState(deployment.id, "CODE_SENT");
  return deployment.id;
}

async function toReady(accountId: string) {
  const id = await toCodeSent(accountId);
  expect((await verifyCode(ctx(), accountId, id, "123456", { inline: true })).ok).toBe(true);
  await expectState(id, "READY");
  return id;
}

describe("Deployment state machine", () => {
  it("alarms drive a provisioned number through every step to READY, recording each transition", async () => {
    const accountId = await newAccount();
    const { deployment, apiKey } = await provision(accountId);
    expect(deployment.state).toBe("INITIALIZING");
    expect((await mirrorOf(deployment.id))!.api_key_hash).toBe(await sha256Hex(apiKey));
    expect(deployment.apiKeyMasked).toBe(`${apiKey.slice(0, 8)}********`);
    const stub = stubOf(deployment.id);
    await runDurableObjectAlarm(stub);
    await expectState(deployment.id, "CREATING_CLUSTER");
    await runDurableObjectAlarm(stub);
    await expectState(deployment.id, "CLUSTER_CREATED");
    expect((await mirrorOf(deployment.id))!.phone_number_id).toMatch(/^1\d{14}$/);
    await runDurableObjectAlarm(stub);
    await expectState(deployment.id, "CODE_SENT");
    expect(await runDurableObjectAlarm(stub)).toBe(false); // waits for the client's code

    const wrong = await verifyCode(ctx(), accountId, deployment.id, "000000", { inline: false });
    expect(!wrong.ok && wrong.error.code).toBe("verification_failed");
    await expectState(deployment.id, "WRONG_CODE");
    const right = await verifyCode(ctx(), accountId, deployment.id, "123456", { inline: false });
    expect(right.ok && right.value.state).toBe("CODE_VERIFIED");
    await runDurableObjectAlarm(stub);
    await expectState(deployment.id, "FINALIZING");
    await runDurableObjectAlarm(stub);
    await expectState(deployment.id, "READY");

    const history = await deploymentHistory(ctx(), accountId, deployment.id);
    expect(history.ok && history.value.map((h) => h.state)).toEqual([
      "INITIALIZING", "CREATING_CLUSTER", "CLUSTER_CREATED", "CODE_SENT", "WRONG_CODE", "CODE_VERIFIED", "FINALIZING", "READY",
    ]);
    expect(history.ok && history.value.every((h) => h.at > 0 && h.detail.length > 0)).toBe(true);
  });

  it("an inline provision stops at CLUSTER_CREATED without sending a code, then ask_code and verify reach READY", async () => {
    const accountId = await newAccount();
    const { deployment } = await provision(accountId, { inline: true, autoRequestCode: false });
    expect(deployment.state).toBe("CLUSTER_CREATED");
    expect(await runDurableObjectAlarm(stubOf(deployment.id))).toBe(false);
    const sent = await requestCode(ctx(), accountId, deployment.id, "VOICE", "fr_FR");
    expect(sent.ok && sent.value).toMatchObject({ state: "CODE_SENT", detail: "Verification code sent by VOICE" });
    const verified = await verifyCode(ctx(), accountId, deployment.id, "123456", { inline: true });
    expect(verified.ok && verified.value.state).toBe("READY");
  });

  it("another account's deployment id answers not found", async () => {
    const owner = await newAccount();
    const { deployment } = await provision(owner);
    const other = await newAccount();
    const seen = await getDeployment(ctx(), other, deployment.id);
    expect(!seen.ok && seen.error.code).toBe("not_found");
    const deleted = await deleteDeployment(ctx(), other, deployment.id);
    expect(!deleted.ok && deleted.error.code).toBe("not_found");
  });
});

describe("Deployment rules", () => {
  it("a number is in only one live deployment across accounts, even when provisioned concurrently", async () => {
    const number = uniqueNumber();
    const accounts = await Promise.all([newAccount(), newAccount(), newAccount(), newAccount(), newAccount()]);
    const results = await Promise.all(accounts.map((a) => provisionNumber(ctx(), a, request({ number }))));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    for (const r of results.filter((r) => !r.ok)) expect(!r.ok && r.error.code).toBe("number_in_use");
  });

  it("a deleted deployment frees its number", async () => {
    const accountId = await newAccount();
    const id = await toReady(accountId);
    const view = await stubOf(id).view();
    const again = await provisionNumber(ctx(), await newAccount(), request({ number: view!.number }));
    expect(!again.ok && again.error.code).toBe("number_in_use");
    expect((await deleteDeployment(ctx(), accountId, id)).ok).toBe(true);
    await expectState(id, "DELETING");
    await runDurableObjectAlarm(stubOf(id));
    await expectState(id, "DELETED");
    expect((await provisionNumber(ctx(), await newAccount(), request({ number: view!.number }))).ok).toBe(true);
  });

  it("transitional states refuse deletion (conflict-deployment-state), and so does DELETED", async () => {
    const accountId = await newAccount();
    const { deployment } = await provision(accountId);
    const early = await deleteDeployment(ctx(), accountId, deployment.id);
    expect(!early.ok && [early.error.code, early.error.details.reason]).toEqual(["conflict", "deployment_state"]);
    const id = await toReady(accountId);
    expect((await deleteDeployment(ctx(), accountId, id)).ok).toBe(true);
    const twice = await deleteDeployment(ctx(), accountId, id);
    expect(!twice.ok && twice.error.details.reason).toBe("deployment_state");
  });

  it("a code can be resent only in CODE_SENT or WRONG_CODE (conflict-resend-otp) and at most once a minute (throttled)", async () => {
    const accountId = await newAccount();
    const { deployment } = await provision(accountId);
    const early = await requestCode(ctx(), accountId, deployment.id, "SMS", "fr_FR");
    expect(!early.ok && [early.error.code, early.error.details.reason]).toEqual(["conflict", "resend_otp"]);
    const id = await toCodeSent(accountId);
    const soon = await requestCode(ctx(), accountId, id, "SMS", "fr_FR");
    expect(!soon.ok && soon.error.code).toBe("rate_limited");
    expect(!soon.ok && soon.error.details.retryAfterSeconds).toBeGreaterThan(0);
    await ageLastCode(id);
    expect((await requestCode(ctx(), accountId, id, "VOICE", "fr_FR")).ok).toBe(true);
    await verifyCode(ctx(), accountId, id, "123456", { inline: true });
    await ageLastCode(id);
    const done = await requestCode(ctx(), accountId, id, "SMS", "fr_FR");
    expect(!done.ok && done.error.details.reason).toBe("resend_otp");
  });

  it("after five wrong codes even the right one is refused until a new code is sent", async () => {
    const accountId = await newAccount();
    const id = await toCodeSent(accountId);
    for (let i = 1; i <= 5; i++) {
      const wrong = await verifyCode(ctx(), accountId, id, "654321", { inline: true });
      expect(!wrong.ok && wrong.error.details.reason).toBe("wrong_code");
    }
    const blocked = await verifyCode(ctx(), accountId, id, "123456", { inline: true });
    expect(!blocked.ok && [blocked.error.code, blocked.error.details.reason]).toEqual(["verification_failed", "too_many_attempts"]);
    await expectState(id, "WRONG_CODE");
    await ageLastCode(id);
    expect((await requestCode(ctx(), accountId, id, "SMS", "fr_FR")).ok).toBe(true);
    const verified = await verifyCode(ctx(), accountId, id, "123456", { inline: true });
    expect(verified.ok && verified.value.state).toBe("READY");
  });

  it("concurrent verifications of one code run one at a time: one wins, the other finds nothing left to verify", async () => {
    const accountId = await newAccount();
    const id = await toCodeSent(accountId);
    const results = await Promise.all([1, 2, 3].map(() => verifyCode(ctx(), accountId, id, "123456", { inline: true })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    for (const r of results.filter((r) => !r.ok)) expect(!r.ok && r.error.details.reason).toBe("deployment_state");
    const history = await deploymentHistory(ctx(), accountId, id);
    expect(history.ok && history.value.filter((h) => h.state === "READY")).toHaveLength(1);
  });

  it("CODE_SENT and WRONG_CODE can be deleted; a PIN WhatsApp refuses ends FINALIZING in ERROR", async () => {
    const accountId = await newAccount();
    const sent = await toCodeSent(accountId);
    const wrong = await toCodeSent(accountId);
    await verifyCode(ctx(), accountId, wrong, "000000", { inline: true });
    for (const id of [sent, wrong]) {
      expect((await deleteDeployment(ctx(), accountId, id)).ok).toBe(true);
      await runDurableObjectAlarm(stubOf(id));
      await expectState(id, "DELETED");
    }
    const { deployment } = await provision(accountId, { pin: "000000", inline: true, autoRequestCode: false });
    await requestCode(ctx(), accountId, deployment.id, "SMS", "fr_FR");
    const failed = await verifyCode(ctx(), accountId, deployment.id, "123456", { inline: true });
    expect(failed.ok && failed.value).toMatchObject({ state: "ERROR", detail: "Two-step verification PIN mismatch" });
  });

  it("a Vonage deployment about to send its own code refuses a request for one at CLUSTER_CREATED", async () => {
    const accountId = await newAccount();
    const { deployment } = await provision(accountId);
    await runDurableObjectAlarm(stubOf(deployment.id));
    await runDurableObjectAlarm(stubOf(deployment.id));
    await expectState(deployment.id, "CLUSTER_CREATED");
    const early = await requestCode(ctx(), accountId, deployment.id, "SMS", "fr_FR");
    expect(!early.ok && early.error.details.reason).toBe("resend_otp");
  });

  it("a number waiting at CLUSTER_CREATED can be deleted", async () => {
    const accountId = await newAccount();
    const { deployment } = await provision(accountId, { inline: true, autoRequestCode: false });
    expect((await deleteDeployment(ctx(), accountId, deployment.id)).ok).toBe(true);
    await runDurableObjectAlarm(stubOf(deployment.id));
    await expectState(deployment.id, "DELETED");
  });

  it("the profile can change only when READY", async () => {
    const accountId = await newAccount();
    const id = await toCodeSent(accountId);
    const early = await updateProfile(ctx(), accountId, id, { about: "Bonjour" });
    expect(!early.ok && early.error.details.reason).toBe("deployment_state");
    await verifyCode(ctx(), accountId, id, "123456", { inline: true });
    const updated = await updateProfile(ctx(), accountId, id, { about: "Bonjour", websites: ["https://a.example"] });
    expect(updated.ok && updated.value.profile).toEqual({ about: "Bonjour", websites: ["https://a.example"] });
  });
});

describe("Deployment upstream faults and recovery", () => {
  it("a permanent upstream failure moves to ERROR with a detail a person understands; the number stays held until deleted", async () => {
    const accountId = await newAccount();
    const { deployment } = await provision(accountId, { vnameCertificate: "invalid" });
    await runDurableObjectAlarm(stubOf(deployment.id));
    await runDurableObjectAlarm(stubOf(deployment.id));
    await expectState(deployment.id, "ERROR");
    expect((await mirrorOf(deployment.id))!.detail).toBe("Invalid vname certificate");
    expect(await runDurableObjectAlarm(stubOf(deployment.id))).toBe(false);
    expect((await deleteDeployment(ctx(), accountId, deployment.id)).ok).toBe(true);
  });

  it("a transient failure is retried with growing backoff, then gives up into ERROR", async () => {
    const accountId = await newAccount();
    const { deployment } = await provision(accountId, { number: uniqueNumber("5030") });
    const stub = stubOf(deployment.id);
    await runDurableObjectAlarm(stub); // → CREATING_CLUSTER
    const delays: number[] = [];
    for (let i = 1; i < 6; i++) {
      const before = Date.now();
      await runDurableObjectAlarm(stub);
      await expectState(deployment.id, "CREATING_CLUSTER");
      const alarm = await runInDurableObject(stub, (_i: Deployment, state) => state.storage.getAlarm());
      delays.push(alarm! - before);
    }
    expect(delays[1]! > delays[0]! && delays[4]! > delays[3]!).toBe(true);
    await runDurableObjectAlarm(stub);
    await expectState(deployment.id, "ERROR");
    expect((await stub.view())!.detail).toMatch(/gave up after 6 attempts/);
  });

  it("an eviction in the middle of a step resumes from storage on the next alarm", async () => {
    const accountId = await newAccount();
    const { deployment } = await provision(accountId);
    const stub = stubOf(deployment.id);
    await runDurableObjectAlarm(stub); // → CREATING_CLUSTER; the add step is due
    // As if the step had started (its watchdog alarm set) and the instance died before the answer.
    await runInDurableObject(stub, (_i: Deployment, state) => state.storage.setAlarm(Date.now() + 30_000));
    await evictDurableObject(stub);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    await expectState(deployment.id, "CLUSTER_CREATED");
    await runDurableObjectAlarm(stub);
    await expectState(deployment.id, "CODE_SENT");
  });

  it("an alarm catches the D1 mirror up when it lags behind the object", async () => {
    const accountId = await newAccount();
    const id = await toCodeSent(accountId);
    await runInDurableObject(stubOf(id), (_i: Deployment, state) => {
      state.storage.kv.put("record", { ...state.storage.kv.get<DeploymentRecord>("record")!, mirrored: false });
      return state.storage.setAlarm(Date.now() + 5_000);
    });
    await coreContext().db.prepare("UPDATE deployments SET state = 'INITIALIZING' WHERE id = ?").bind(id).run();
    await runDurableObjectAlarm(stubOf(id));
    expect((await mirrorOf(id))!.state).toBe("CODE_SENT");
  });
});
