// Copies Scalar's standalone API reference bundle (@scalar/api-reference, ~4.8 MB, ~1.4 MB
// gzipped) from node_modules to public/docs/, where the Worker serves it as a static asset for
// /docs. Copied rather than committed: it is large, and the copy always matches the installed
// version. `npm run dev`, `npm run deploy` and the tests (vitest.config.ts) run it.
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
// The package exports no path to its browser build: it sits beside its entry, in dist/.
const BUNDLE = join(dirname(require.resolve("@scalar/api-reference")), "browser", "standalone.js");
const TARGET = fileURLToPath(new URL("../public/docs/scalar-api-reference.js", import.meta.url));

export function copyApiReference() {
  // Without its source map (20 MB, not shipped), so a browser's devtools ask for no missing file.
  writeFileSync(TARGET, readFileSync(BUNDLE, "utf8").replace(/\n\/\/# sourceMappingURL=\S+\s*$/, "\n"));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) copyApiReference();
