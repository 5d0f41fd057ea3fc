// Source rules a layer check cannot see:
// - size: a file in src/ has at most 300 lines (one concept);
// - core knows no dialect and no provider: no file in src/core/ names a dialect in its code (its
//   comments may say where a rule comes from) nor holds a Meta error code, comments included
//   (the WhatsApp adapter maps those codes to fault kinds: src/upstreams/whatsapp/meta-errors.ts).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const LIMIT = 300;
const DIALECT_NAME = /\b(tokabola|engagelab|vonage|lam)\b/i;
/** Meta's WhatsApp error codes (13xxxx) and its rate-limit code 80007. */
const META_CODE = /\b(13[0-6]\d{3}|80007)\b/;

const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));

/** The text with its comments blanked (line breaks kept); strings stay, so a name in a string counts. */
function withoutComments(text) {
  let out = "";
  for (let i = 0; i < text.length; ) {
    const two = text.slice(i, i + 2);
    if (two === "//" || two === "/*") {
      const end = two === "//" ? text.indexOf("\n", i) : text.indexOf("*/", i + 2) + 2;
      const stop = end < (two === "//" ? 0 : 2) ? text.length : end;
      out += text.slice(i, stop).replace(/[^\n]/g, " ");
      i = stop;
    } else if (`"'\``.includes(text[i])) {
      let j = i + 1;
      while (j < text.length && text[j] !== text[i]) j += text[j] === "\\" ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else {
      out += text[i++];
    }
  }
  return out;
}

const problems = [];
const files = walk("src").filter((f) => f.endsWith(".ts"));
for (const f of files) {
  const text = readFileSync(f, "utf8");
  const lines = text.split("\n").length - 1;
  if (lines > LIMIT) problems.push(`${f}: ${lines} lines (at most ${LIMIT})`);
  if (!f.startsWith(join("src", "core"))) continue;
  const code = withoutComments(text).split("\n");
  text.split("\n").forEach((line, n) => {
    const dialect = DIALECT_NAME.exec(code[n]);
    if (dialect) problems.push(`${f}:${n + 1}: core names the dialect "${dialect[1]}" (register what it needs from the dialect instead)`);
    const meta = META_CODE.exec(line);
    if (meta) problems.push(`${f}:${n + 1}: core holds Meta's code ${meta[1]} (map it to a fault kind in src/upstreams/whatsapp/)`);
  });
}
for (const p of problems) console.error(p);
if (problems.length > 0) process.exit(1);
console.log(`source rules: every file in src/ has at most ${LIMIT} lines; src/core/ names no dialect and no Meta code`);
