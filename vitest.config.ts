import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { buildConsole } from "./scripts/build-console.mjs";
import { copyApiReference } from "./scripts/copy-api-reference.mjs";
import { GRAPH_APP_ID, GRAPH_APP_SECRET, GRAPH_CONFIG_ID, GRAPH_TOKEN } from "./test/fakes/graph.ts";
import { outboundService } from "./test/fakes/outbound.ts";

/**
 * The queues' consumers as wrangler.toml sets them, but each batch is handed over at once: waiting
 * max_batch_timeout (1 s) to fill a batch would add a second per queue hop to every test that
 * goes through the real queues.
 */
async function queueConsumers() {
  const { unstable_readConfig } = await import("wrangler");
  return Object.fromEntries(
    unstable_readConfig({ config: "./wrangler.toml" }).queues.consumers.map((c: { queue: string; max_batch_size?: number; max_retries?: number }) => [
      c.queue,
      { maxBatchSize: c.max_batch_size, maxRetries: c.max_retries, maxBatchTimeout: 0 },
    ]),
  );
}

// /docs serves Scalar's bundle from public/docs/ and /console its own bundle from public/console/
// (wrangler.toml [assets]); a test run needs them there. The console's build fails over budget.
copyApiReference();
await buildConsole();

export default defineConfig({
  plugins: [
    cloudflareTest(async () => ({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          TEST_MIGRATIONS: await readD1Migrations("./migrations"),
          ADMIN_TOKEN: "test-admin-token",
          // Deployments created with WHATSAPP_UPSTREAM=meta (tests pass it per call) use these
          // against the fake Graph API (test/fakes/graph.ts).
          META_ACCESS_TOKEN: GRAPH_TOKEN,
          META_APP_ID: GRAPH_APP_ID,
          META_APP_SECRET: GRAPH_APP_SECRET,
          META_CONFIG_ID: GRAPH_CONFIG_ID,
          EMBEDDED_SIGNUP_KEY: "test-embedded-signup-key-0123456789abcdef",
          META_VERIFY_TOKEN: "test-verify-token",
          // Well above a loaded machine's worst fake answer; the fake's deliberately slow answers take longer.
          META_TIMEOUT_MS: "4000",
          // Production's 6 connections per invocation, which workerd does not enforce (lib/connection-cap.ts).
          EMULATE_CONNECTION_CAP: "true",
        },
        // wrangler.toml's RATE_LIMIT_* bindings are the production ones, kept in tests; ordinary tests
        // stay under them. This one has a low limit: throttle tests put it in place of
        // RATE_LIMIT_ACCOUNT (test/security/rate-limits.test.ts), so a burst of tens of requests
        // shows the per-account limit through the same code.
        ratelimits: { TEST_RATE_LIMIT_LOW: { namespace_id: "9001", simple: { limit: 20, period: 10 } } },
        // Every outbound fetch goes to the fakes: no test ever needs the internet.
        outboundService,
        queueConsumers: await queueConsumers(),
      },
    })),
  ],
  test: {
    include: ["test/**/*.test.ts"],
    // Logs of passing tests are noise; a failing test still shows its own.
    silent: "passed-only",
    // A loaded machine (CI shares its cores) must not fail a correct test for being slow.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    setupFiles: ["./test/setup.ts"],
    // One Worker runtime (and one module graph, one D1, one KV) serves every test file of a
    // runner, instead of a fresh runtime per file: starting workerd and loading src/ took longer
    // than most files' tests. So tests never rely on an empty store: each makes its own accounts
    // and numbers, and reads only what it made.
    isolate: false,
    // A runner per core, two on this two-core machine (vitest's default would be one): a test
    // mostly waits on round trips between Node, its runner and D1, so a second runner works while
    // the first one waits.
    maxWorkers: "100%",
    // Queue consumers and alarms keep running after the test that started them; vitest drops a
    // log line of theirs still on its way to Node when a file ends. A lost log line fails no test.
    onUnhandledError: (error) => !error.message.includes('Closing rpc while "onUserConsoleLog" was pending'),
  },
});
