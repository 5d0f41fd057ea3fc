// Runs every shell snippet of README.md and docs/**/*.md as a reader would paste it, against a
// fresh `wrangler dev` (scripts/local-gateway.mjs: new local state, migrations applied), and
// fails on what a reader would see.
//   node scripts/test-docs.mjs [file.md …]      (all documents when none is named)
// Rules for writers:
// - A ```sh or ```bash block runs; its info string ending in `no-run` (```sh no-run) skips it
//   (deploy, setup: anything that touches a real account or needs a person).
// - The blocks of one file run in order in ONE bash, so a variable set by one is there in the
//   next; each file has its own bash (files run side by side), so each document stands alone.
// - Any command failing in a block fails it (bash -e, pipefail).
// - A ```json or ```text block right after a shell block (blank lines between, nothing else) is
//   its expected output: each of its lines must equal a line of the block's stdout, in order
//   (other lines may come between); `…` in an expected line matches any text.
// - README.md runs twice in a row on the same gateway: its walk-through must be repeatable.
// - Every relative link (and its #anchor) must lead to a file (and a heading) that exists.
// Environment: TUMA_DOCS_PORT (default 8787) runs the gateway on another port and rewrites
// `localhost:8787` in the snippets, and nothing else, to it.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { copyApiReference } from "./copy-api-reference.mjs";
import { ENV, startGateway } from "./local-gateway.mjs";

const PORT = Number(process.env.TUMA_DOCS_PORT ?? 8787);
/** The operator's token: the docs tell operators to put ADMIN_TOKEN in .dev.vars and their shell. */
const ADMIN_TOKEN = "docs-test-admin-token-0123456789";
const FILE_TIMEOUT_MS = 120_000;

const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
const files = process.argv.slice(2).length ? process.argv.slice(2) : ["README.md", ...walk("docs").filter((f) => f.endsWith(".md")).sort()];

/** The runnable shell blocks of a Markdown text, each with the output expected of it, if any. */
function snippets(markdown) {
  const blocks = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^```([\w-]*)\s*(.*)$/.exec(lines[i]);
    if (!open) continue;
    const end = lines.indexOf("```", i + 1);
    if (end < 0) throw new Error(`line ${i + 1}: a code block that never closes`);
    blocks.push({ lang: open[1], flags: open[2], text: lines.slice(i + 1, end).join("\n"), start: i + 1, end });
    i = end;
  }
  const runnable = [];
  blocks.forEach((block, n) => {
    if (!["sh", "bash"].includes(block.lang) || block.flags.includes("no-run")) return;
    const next = blocks[n + 1];
    const adjacent = next && lines.slice(block.end + 1, next.start - 1).every((l) => l.trim() === "");
    const expected = adjacent && ["json", "text"].includes(next.lang) ? next.text.split("\n").filter((l) => l.trim()) : [];
    runnable.push({ line: block.start, text: block.text, expected });
  });
  return runnable;
}

const withPort = (text) => text.replaceAll("localhost:8787", `localhost:${PORT}`);

/** `…` matches any text; the rest is literal. */
const pattern = (line) => new RegExp(`^${line.trim().split("…").map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);

/** The expected lines not found, in order, among the actual ones. */
function missing(expected, actual) {
  let at = 0;
  for (const line of expected) {
    const re = pattern(withPort(line));
    while (at < actual.length && !re.test(actual[at].trim())) at++;
    if (at === actual.length) return line;
    at++;
  }
  return null;
}

function runBash(script, cwd) {
  return new Promise((resolve) => {
    const child = spawn("bash", [script], { cwd, env: { ...ENV, ADMIN_TOKEN }, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let marks = "";
    child.stdout.on("data", (d) => (marks += d));
    child.stderr.on("data", () => {});
    const timer = setTimeout(() => process.kill(-child.pid, "SIGKILL"), FILE_TIMEOUT_MS);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      // Whatever a snippet left running in the background (a webhook receiver) ends with its file.
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // nothing left
      }
      resolve({ code: signal ? `${signal} after ${FILE_TIMEOUT_MS / 1000} s` : code, marks });
    });
  });
}

/** Runs one document's snippets in one bash; resolves to its failures (empty when all passed). */
async function runFile(file, run, work) {
  const began = Date.now();
  const dir = join(work, `${file.replaceAll("/", "_")}-${run}`);
  mkdirSync(dir);
  const blocks = snippets(readFileSync(file, "utf8"));
  const driver = ["exec 3>&1", "set -eo pipefail"];
  blocks.forEach((b, n) => {
    writeFileSync(join(dir, `${n}.sh`), withPort(b.text));
    driver.push(`echo ${n} >&3; exec >"${dir}/${n}.out" 2>"${dir}/${n}.err" </dev/null; source "${dir}/${n}.sh"`);
  });
  driver.push("echo done >&3");
  writeFileSync(join(dir, "driver.sh"), driver.join("\n") + "\n");
  const { code, marks } = await runBash(join(dir, "driver.sh"), process.cwd());
  const reached = marks.trim().split("\n").at(-1);
  const failures = [];
  const where = (n) => `${file}:${blocks[n].line}${run > 1 ? ` (run ${run})` : ""}`;
  const output = (n, ext) => (existsSync(join(dir, `${n}.${ext}`)) ? readFileSync(join(dir, `${n}.${ext}`), "utf8") : "");
  if (reached !== "done") {
    const n = Number(reached);
    failures.push(`${where(n)}: exited ${code}\n--- stdout\n${output(n, "out")}--- stderr\n${output(n, "err")}`);
  }
  const ran = reached === "done" ? blocks.length : Number(reached);
  // The block that stopped the file and every block after it count as failed.
  let failed = blocks.length - ran;
  for (let n = 0; n < ran; n++) {
    const lost = missing(blocks[n].expected, output(n, "out").split("\n"));
    if (lost) {
      failures.push(`${where(n)}: expected a line\n  ${lost}\n--- stdout\n${output(n, "out")}`);
      failed++;
    }
  }
  return { file, run, blocks: blocks.length, failed, failures, seconds: (Date.now() - began) / 1000 };
}

/** Relative links (and their #anchors, as GitHub makes them from headings) that lead nowhere. */
function brokenLinks() {
  const slug = (heading) => heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");
  const headings = (file) => new Set(readFileSync(file, "utf8").replace(/```[\s\S]*?```/g, "").split("\n").filter((l) => /^#{1,6} /.test(l)).map((l) => slug(l.replace(/^#+ /, ""))));
  const broken = [];
  for (const file of files) {
    for (const [, target] of readFileSync(file, "utf8").matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target)) continue;
      const [path, anchor] = target.split("#");
      const to = path ? join(dirname(file), path) : file;
      if (!existsSync(to) || (anchor && to.endsWith(".md") && !headings(to).has(anchor))) broken.push(`${file}: broken link ${target}`);
    }
  }
  return broken;
}

const started = Date.now();
const links = brokenLinks();
copyApiReference();
const work = mkdtempSync(join(tmpdir(), "tuma-docs-"));
let results = [];
try {
  await startGateway({ port: PORT, vars: { ADMIN_TOKEN } });
  console.log(`gateway ready on port ${PORT} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const readme = files.includes("README.md") ? runFile("README.md", 1, work).then(async (first) => [first, await runFile("README.md", 2, work)]) : Promise.resolve([]);
  const others = files.filter((f) => f !== "README.md").map((f) => runFile(f, 1, work));
  results = [...(await readme), ...(await Promise.all(others))];
} finally {
  rmSync(work, { recursive: true, force: true });
}

const failures = [...links, ...results.flatMap((r) => r.failures)];
for (const r of results) console.log(`${r.failures.length ? "FAIL" : "ok  "} ${r.file}${r.run > 1 ? ` (run ${r.run})` : ""}: ${r.blocks} snippets, ${r.seconds.toFixed(1)} s`);
for (const f of failures) console.error(`\n${f}`);
const total = results.reduce((sum, r) => sum + r.blocks, 0);
const failed = links.length + results.reduce((sum, r) => sum + r.failed, 0);
console.log(`\n${results.length} runs of ${files.length} files against one gateway in ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`docs: ${total - (failed - links.length)} passed, ${failed} failed`);
process.exit(failures.length ? 1 : 0);
