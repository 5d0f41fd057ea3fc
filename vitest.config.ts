import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { outboundService } from "./test/fakes/outbound.ts";

export default defineConfig({
  plugins: [
    cloudflareTest(async () => ({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          TEST_MIGRATIONS: await readD1Migrations("./migrations"),
          ADMIN_TOKEN: "test-admin-token",
        },
        // Every outbound fetch goes to the fakes: no test ever needs the internet.
        outboundService,
      },
    })),
  ],
  test: {
    include: ["test/**/*.test.ts"],
    // Logs of passing tests are noise; a failing test still shows its own.
    silent: "passed-only",
    setupFiles: ["./test/setup.ts"],
  },
});
