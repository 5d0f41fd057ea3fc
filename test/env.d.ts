// Test-only bindings, added by vitest.config.ts beside the ones wrangler.toml declares.
declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
    TEST_RATE_LIMIT_LOW: RateLimit;
  }
}
