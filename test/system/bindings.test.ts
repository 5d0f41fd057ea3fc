import { env } from "cloudflare:workers";
import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  getQueueResult,
  runInDurableObject,
  waitOnExecutionContext,
} from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Deployment } from "../../src/durable/deployment";
import worker from "../../src/index";
import { issueToken } from "../../src/core/credentials/tokens";
import { createAccount } from "../../src/core/accounts/accounts";
import type { Env } from "../../src/config/env";
import { coreContext, ManualClock, uniqueName } from "../helpers";

describe("bindings", () => {
  it("D1 is migrated", async () => {
    const tables = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all<{ name: string }>();
    expect(tables.results.map((t) => t.name)).toEqual(expect.arrayContaining(["accounts", "tokens"]));
  });

  it("KV stores and reads", async () => {
    await env.TOKENS.put("binding-test", "yes");
    expect(await env.TOKENS.get("binding-test")).toBe("yes");
  });

  it("the Deployment Durable Object keeps its state in its own SQLite storage", async () => {
    const stub = env.DEPLOYMENTS.get(env.DEPLOYMENTS.idFromName("binding-test"));
    expect(await stub.view()).toBeNull();
    const tables = await runInDurableObject(stub, (_instance: Deployment, state) =>
      state.storage.sql.exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").toArray(),
    );
    expect(tables.map((t) => t.name)).toContain("history");
  });

  it("both queues accept messages", async () => {
    const sent = await env.DELIVERIES.send({ kind: "probe" });
    const batch = await env.SENDS.sendBatch([{ body: { kind: "probe" } }]);
    for (const result of [sent, batch] as unknown as { metadata: { metrics: object } }[]) {
      expect(result.metadata.metrics).toHaveProperty("backlogCount");
    }
  });

  it("a consumer acks a message no handler knows instead of retrying it forever", async () => {
    const batch = createMessageBatch("tuma-deliveries", [{ id: "m1", timestamp: Date.now(), attempts: 1, body: { kind: "unknown" } }]);
    const ctx = createExecutionContext();
    await worker.queue(batch as MessageBatch<any>, env as unknown as Env, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual(["m1"]);
    expect(result.retryMessages).toEqual([]);
  });

  it("the cron trigger runs its jobs (expired tokens are purged)", async () => {
    const past = new ManualClock(Date.now() - 3 * 86_400_000);
    const created = await createAccount(coreContext(past), { name: uniqueName() });
    if (!created.ok) throw created.error;
    await issueToken(coreContext(past), created.value.account.id);
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: "* * * * *" }), env as unknown as Env, ctx);
    await waitOnExecutionContext(ctx);
    const left = await env.DB.prepare("SELECT COUNT(*) AS n FROM tokens WHERE account_id = ?").bind(created.value.account.id).first<{ n: number }>();
    expect(left!.n).toBe(0);
  });
});

describe("outbound requests", () => {
  it("go to the fakes by host, never to the internet", async () => {
    const echoed = await (await fetch("https://echo.fake.test/path?q=1", { method: "POST", body: "hi" })).json<any>();
    expect(echoed).toEqual({ method: "POST", url: "https://echo.fake.test/path?q=1", body: "hi" });
    const unknown = await fetch("https://unfaked.example.com/v23.0/me");
    expect(unknown.status).toBe(599);
  });
});
