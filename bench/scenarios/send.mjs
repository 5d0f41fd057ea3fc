// Issue 5: single toKABOLA text sends through the sandbox upstream, beside the bare route: at
// least 50% of its throughput, p99 within 2× of its p99. Also quotes what one send costs in D1
// statements and KV operations, counted by test/messages/io-cost.test.ts (wrapped bindings).
import { spawn } from "node:child_process";
import { join } from "node:path";
import { beside } from "../lib.mjs";

async function readyNumber(ctx, token) {
  const auth = { Authorization: `Bearer ${token}` };
  const number = `81${String(Date.now()).slice(-7)}`;
  const added = await ctx.json(`${ctx.url}/tokabola/v1/`, { type: "add", add: { cc: "243", phone_number: number, phone_name: "Bench Shop", language: "fr_FR" } }, auth);
  const id = added.data.phone_number_id;
  await ctx.json(`${ctx.url}/tokabola/v1/`, { type: "number", number: { method: "ask_code", phone_number_id: id, otp_type: "SMS", language: "fr_FR" } }, auth);
  await ctx.json(`${ctx.url}/tokabola/v1/`, { type: "number", number: { method: "verify", phone_number_id: id, otp_code: "123456" } }, auth);
  return id;
}

/** Runs the counting test and returns the IO_COST lines it prints. */
function countedCost() {
  return new Promise((resolve, reject) => {
    const bin = join(process.cwd(), "node_modules", ".bin");
    const child = spawn(join(bin, "vitest"), ["run", "test/messages/io-cost.test.ts", "--silent=false"], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("exit", (code) => {
      const lines = [...out.matchAll(/IO_COST (\{.*\})/g)].map((m) => JSON.parse(m[1]));
      code === 0 && lines.length ? resolve(lines) : reject(new Error(`io-cost test failed:\n${out.slice(-2000)}`));
    });
  });
}

export async function singleSends(ctx) {
  const signup = await ctx.json(`${ctx.url}/tokabola/v1/`, { type: "signup", signup: { name: `Bench send ${Date.now()}` } });
  const { id_user, key_user } = signup.data;
  const token = (await ctx.json(`${ctx.url}/tokabola/v1/`, { type: "token", token: { id_user, key_user } })).data.token;
  await readyNumber(ctx, token);
  const measured = await beside(
    ctx.bare,
    {
      title: "toKABOLA `assistance` text, sandbox upstream",
      url: `${ctx.url}/tokabola/v1/`,
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: JSON.stringify({ type: "assistance", assistance: { method: "text", to: "243812345673", body: "Bonjour du banc d'essai" } }),
      seconds: ctx.seconds,
      connections: ctx.connections,
    },
    ctx.rounds,
  );
  const costs = await countedCost();
  return {
    rows: [measured.bare, measured.route],
    checks: [
      {
        target: "single send ≥ 50% of the bare route's req/s",
        measured: `${(measured.throughputRatio * 100).toFixed(0)}% (median of ${ctx.rounds} paired rounds)`,
        met: measured.throughputRatio >= 0.5,
      },
      {
        target: "single send p99 ≤ 2× the bare route's p99",
        measured: `${measured.p99Ratio.toFixed(2)}× (median of ${ctx.rounds} paired rounds)`,
        met: measured.p99Ratio <= 2,
      },
      ...costs.map((c) => ({
        target: `storage cost of one send (${c.scenario}), counted`,
        measured: `${c.d1Statements} D1 statements in ${c.d1Calls} round trips, ${c.kvOps} KV operation(s), ${c.queueSends} queue message(s)`,
        met: true,
      })),
    ],
  };
}
