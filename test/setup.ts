import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
// Runs before each test file; the runtime and its D1 outlive a file (vitest.config.ts `isolate:
// false`), so the migrations are applied by the first file only (the others find them recorded).
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
