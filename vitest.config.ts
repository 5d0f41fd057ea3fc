import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [
    cloudflareTest(async () => ({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          TEST_MIGRATIONS: await readD1Migrations("./migrations"),
          ADMIN_TOKEN: "test-admin-token",
        },
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
