// A local gateway for the scripts that need one (the benchmark, the docs test): `wrangler dev` on a
// fresh, migrated state directory, stopped (and its state removed) by stop() or when the script exits.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
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

/** Starts the Worker locally on a fresh, migrated state directory; returns its URL and a stop(). */
export async function startGateway({ port, vars = {} }) {
  const state = mkdtempSync(join(tmpdir(), "tuma-gateway-"));
  await run(WRANGLER, ["d1", "migrations", "apply", "DB", "--local", "--persist-to", state]);
  const varArgs = Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]);
  const child = spawn(WRANGLER, ["dev", "--port", String(port), "--persist-to", state, "--log-level", "warn", ...varArgs], {
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
