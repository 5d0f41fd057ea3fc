// Builds the web console (public/console/src/ → public/console/app.js): Preact + htm, bundled and
// minified by esbuild, no build step beyond this one, output not committed (like Scalar's bundle).
// `npm run dev`, `npm run deploy` and the tests (vitest.config.ts, scripts/test-console.mjs) run it.
// It fails the build when
// - the first screen (the HTML, its stylesheet and the bundle: everything the login screen loads)
//   is over BUDGET_BYTES gzip-compressed (operators and customers work from phones on 3G);
// - the French and English catalogues do not have the same keys, or the code names a key that
//   neither has.
//   node scripts/build-console.mjs      (prints the sizes)
import { build } from "esbuild";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

const ROOT = fileURLToPath(new URL("../public/console/", import.meta.url));
const SRC = join(ROOT, "src");
export const BUDGET_BYTES = 150 * 1024;
/** What the login screen loads, all from the Worker's own assets. */
const FIRST_SCREEN = ["index.html", "console.css", "app.js"];

const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));

async function checkCatalogues() {
  const load = async (lang) => (await import(pathToFileURL(join(SRC, "i18n", `${lang}.js`)).href)).default;
  const [fr, en] = [await load("fr"), await load("en")];
  const problems = [
    ...Object.keys(fr).filter((k) => !(k in en)).map((k) => `en.js lacks ${k}`),
    ...Object.keys(en).filter((k) => !(k in fr)).map((k) => `fr.js lacks ${k}`),
  ];
  // Literal keys only (t("nav.home")); keys built at run time fall back to the raw value.
  for (const file of walk(SRC).filter((f) => !f.includes(`${join("src", "i18n")}`))) {
    for (const [, key] of readFileSync(file, "utf8").matchAll(/\bt\("([\w.]+)"/g)) if (!(key in fr)) problems.push(`${file}: unknown key ${key}`);
  }
  if (problems.length) throw new Error(`console catalogues:\n${problems.join("\n")}`);
}

/** Builds the bundle; returns each first-screen file's raw and gzip sizes and their gzip total. */
export async function buildConsole() {
  await checkCatalogues();
  await build({
    entryPoints: [join(SRC, "main.js")],
    outfile: join(ROOT, "app.js"),
    bundle: true,
    minify: true,
    format: "esm",
    // Phones of a few years back: Android's Chrome and iOS Safari with ES2020.
    target: "es2020",
    legalComments: "none",
    logLevel: "warning",
  });
  const files = FIRST_SCREEN.map((name) => {
    const bytes = readFileSync(join(ROOT, name));
    return { name, raw: statSync(join(ROOT, name)).size, gzip: gzipSync(bytes, { level: 9 }).length };
  });
  const gzipTotal = files.reduce((sum, f) => sum + f.gzip, 0);
  if (gzipTotal > BUDGET_BYTES) throw new Error(`console first screen: ${gzipTotal} B gzip, over the ${BUDGET_BYTES} B budget`);
  return { files, gzipTotal };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { files, gzipTotal } = await buildConsole();
  for (const f of files) console.log(`${f.name.padEnd(12)} ${String(f.raw).padStart(7)} B raw ${String(f.gzip).padStart(7)} B gzip`);
  console.log(`first screen: ${gzipTotal} B gzip (${(gzipTotal / 1024).toFixed(1)} KiB) of a ${BUDGET_BYTES / 1024} KiB budget`);
}
