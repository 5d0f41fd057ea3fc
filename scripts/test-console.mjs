// The console's end-to-end test: a fresh local gateway (scripts/local-gateway.mjs), Debian's
// headless Chromium driven by playwright-core (which downloads no browser), and the issue's
// scenarios, each as a person would go through the screens:
// - the operator logs in, finds a seeded account, credits it (the ledger shows the entry),
//   suspends it (its token stops working), replays a dead delivery, watches a campaign to done;
// - a customer logs in, tops up in the sandbox, sees the balance change, sends a message and sees
//   its statuses arrive;
// - axe-core on each main page (no serious or critical violation), keyboard-only navigation.
//   node scripts/test-console.mjs [--screenshots]   (--screenshots rewrites docs/console/*.png)
// Environment: TUMA_CONSOLE_PORT (default 8797) for the gateway, CHROMIUM (default: `chromium` on PATH).
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createServer } from "node:http";
import axe from "axe-core";
import { chromium } from "playwright-core";
import { buildConsole } from "./build-console.mjs";
import { startGateway } from "./local-gateway.mjs";
import { adminScenarios, customerScenarios } from "./console-scenarios.mjs";

const PORT = Number(process.env.TUMA_CONSOLE_PORT ?? 8797);
const ADMIN_TOKEN = "console-test-admin-token-0123456789";
const SCREENSHOTS = process.argv.includes("--screenshots") ? "docs/console" : null;
const executablePath = process.env.CHROMIUM ?? execFileSync("sh", ["-c", "command -v chromium || command -v chromium-browser"], { encoding: "utf8" }).trim();

const started = Date.now();
const { files, gzipTotal } = await buildConsole();
console.log(`console built: first screen ${gzipTotal} B gzip (${files.map((f) => `${f.name} ${f.gzip} B`).join(", ")})`);

// A webhook receiver of our own: it answers 200 and counts each delivery id it is sent.
const received = new Map();
const receiver = createServer((req, res) => {
  const id = req.headers["tuma-delivery-id"];
  if (id) received.set(id, (received.get(id) ?? 0) + 1);
  req.resume();
  req.on("end", () => res.end("ok"));
});
await new Promise((resolve) => receiver.listen(0, "127.0.0.1", resolve));

const gateway = await startGateway({ port: PORT, vars: { ADMIN_TOKEN } });
console.log(`gateway ready on port ${PORT} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
const browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
if (SCREENSHOTS) mkdirSync(SCREENSHOTS, { recursive: true });

// A step names the routes it needs (`GET /api/v1/admin/accounts/{}`): one the gateway does not
// document fails the step at once, saying so (the console uses only documented routes).
const route = (method, path) => `${method.toUpperCase()} ${path.replace(/\{\w*\}/g, "{}")}`;
const documented = new Set(Object.entries((await (await fetch(`${gateway.url}/openapi.json`)).json()).paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => route(m, path))));
const results = [];
const env = { url: gateway.url, gateway, adminToken: ADMIN_TOKEN, receiverUrl: `http://localhost:${receiver.address().port}`, received, axeSource: axe.source, screenshots: SCREENSHOTS };
try {
  // The two people work side by side, each in their own browser context (own cookies).
  const run = async (name, scenarios) => {
    const context = await browser.newContext({ baseURL: gateway.url, locale: "fr-FR", viewport: { width: 1100, height: 800 } });
    const page = await context.newPage();
    try {
      for (const [title, step, needs = []] of scenarios) {
        const began = Date.now();
        const missing = needs.filter((need) => !documented.has(route(...need.split(" "))));
        try {
          if (missing.length) throw new Error(`not in /openapi.json: ${missing.join(", ")}`);
          await step(page, env);
          results.push({ name: `${name}: ${title}`, ok: true, ms: Date.now() - began });
        } catch (e) {
          results.push({ name: `${name}: ${title}`, ok: false, ms: Date.now() - began, error: e });
          await page.screenshot({ path: `/tmp/tuma-console-failure-${name}.png`, fullPage: true }).catch(() => {});
          break; // the next steps build on this one
        }
      }
    } finally {
      await context.close();
    }
  };
  await Promise.all([run("operator", adminScenarios), run("customer", customerScenarios)]);
} finally {
  await browser.close();
  receiver.close();
  gateway.stop();
}

for (const r of results) console.log(`${r.ok ? "ok  " : "FAIL"} ${r.name} (${(r.ms / 1000).toFixed(1)} s)${r.ok ? "" : `\n     ${String(r.error?.stack ?? r.error).split("\n").slice(0, 6).join("\n     ")}`}`);
const failed = results.filter((r) => !r.ok).length;
const expected = adminScenarios.length + customerScenarios.length;
console.log(`\nconsole: ${results.length - failed} of ${expected} steps passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
if (failed) console.log("a screenshot of each failed page is in /tmp/tuma-console-failure-*.png");
process.exit(failed || results.length !== expected ? 1 : 0);
