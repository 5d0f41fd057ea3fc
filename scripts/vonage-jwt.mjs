#!/usr/bin/env node
// Makes a JWT the way Vonage's SDK does (RS256; application_id, iat, jti, exp), for the Vonage
// dialect's walk-through in the README.
//   node scripts/vonage-jwt.mjs keygen [dir]                          → dir/private.pem, dir/public.pem
//   node scripts/vonage-jwt.mjs <application_id> <private.pem> [ttl]  → prints a JWT (ttl in s, default 900)
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { importPKCS8, SignJWT } from "jose";

const [command, ...rest] = process.argv.slice(2);

if (command === "keygen") {
  const dir = rest[0] ?? ".";
  const { privateKey, publicKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  writeFileSync(join(dir, "private.pem"), privateKey, { mode: 0o600 });
  writeFileSync(join(dir, "public.pem"), publicKey);
  console.error(`wrote ${join(dir, "private.pem")} and ${join(dir, "public.pem")}`);
} else if (command && rest[0]) {
  const ttl = Number(rest[1] ?? 900);
  const key = await importPKCS8(readFileSync(rest[0], "utf8"), "RS256");
  const iat = Math.floor(Date.now() / 1000);
  const jwt = await new SignJWT({ application_id: command, iat, jti: randomUUID(), exp: iat + ttl })
    .setProtectedHeader({ typ: "JWT", alg: "RS256" })
    .sign(key);
  console.log(jwt);
} else {
  console.error("usage: vonage-jwt.mjs keygen [dir] | vonage-jwt.mjs <application_id> <private.pem> [ttl_seconds]");
  process.exit(2);
}
