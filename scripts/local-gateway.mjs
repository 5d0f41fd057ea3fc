// A local gateway for the scripts that need one (the benchmark, the docs test): `wrangler dev` on a
// fresh, migrated state directory, stopped (and its state removed) by stop() or when the script exits.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const BIN = join(process.cwd(), "node_modules", ".bin");
const WRANGLER = join(BIN, "wrangler");
// wrangler needs the project's Node 24 (node_modules/.bin/node) even when this runs outside npm.
export const ENV = { ...process.env, PATH: `${BIN}:${process.env.PATH}` };

function run(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], env: ENV });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("exit", (code) => (code === 0 ? resolve(output) : reject(new Error(`${command} ${args.join(" ")} failed:\n${output}`))));
  });
}

/**
 * wrangler.toml without the consumers of `queues`, written beside it (paths in it are relative to
 * it). In production a queue's consumer runs in invocations of its own; locally every invocation
 * shares one workerd thread, so a route's own cost is measured with the consumer detached.
 */
function configWithout(queues, port) {
  const path = join(process.cwd(), `wrangler.detached-${port}.toml`);
  const blocks = readFileSync(join(process.cwd(), "wrangler.toml"), "utf8").split(/(?=^\[)/m);
  const detached = (block) => block.startsWith("[[queues.consumers]]") && queues.some((q) => block.includes(`queue = "${q}"`));
  writeFileSync(path, blocks.filter((b) => !detached(b)).join(""));
  return path;
}

/**
 * Starts the Worker locally on a fresh, migrated state directory; returns its URL and a stop().
 * `detach` names queues whose consumer does not run (their messages wait in the queue).
 */
export async function startGateway({ port, vars = {}, detach = [] }) {
  const state = mkdtempSync(join(tmpdir(), "tuma-gateway-"));
  await run(WRANGLER, ["d1", "migrations", "apply", "DB", "--local", "--persist-to", state]);
  const varArgs = Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]);
  const config = detach.length ? configWithout(detach, port) : null;
  const child = spawn(WRANGLER, ["dev", ...(config ? ["-c", config] : []), "--port", String(port), "--persist-to", state, "--log-level", "warn", ...varArgs], {
    stdio: ["ignore", "ignore", "pipe"],
    env: ENV,
    detached: true,
  });
  const stop = () => {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      // already gone
    }
    rmSync(state, { recursive: true, force: true });
    if (config) rmSync(config, { force: true });
  };
  // Whatever happens to the script, the gateway it started stops with it.
  process.on("exit", stop);
  let stderr = "";
  child.stderr.on("data", (d) => {
    stderr += d;
    if (process.env.BENCH_DEBUG) process.stderr.write(d);
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/ping`)).ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`wrangler dev did not start on port ${port}:\n${stderr}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    /** What the gateway logged at warn level and above so far. */
    logs: () => stderr,
    /** Runs SQL against the gateway's local D1 (for the checks a client cannot see); returns the rows. */
    async sql(command) {
      const out = await run(WRANGLER, ["d1", "execute", "DB", "--local", "--persist-to", state, "--json", "--command", command]);
      return JSON.parse(out.slice(out.indexOf("[")))[0].results;
    },
    stop,
  };
}
