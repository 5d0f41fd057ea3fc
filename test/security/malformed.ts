import fc from "fast-check";

/**
 * Malformed input for the fuzz test (test/security/fuzz.test.ts), derived from the JSON Schemas
 * of `/openapi.json`: every body it makes is invalid for its schema (a property of a type the
 * schema does not allow, a required property missing, the wrong kind of document, broken JSON),
 * so no request built here may change anything.
 */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  const?: unknown;
  enum?: unknown[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
}

type Kind = "string" | "integer" | "number" | "boolean" | "null" | "object" | "array";
const KINDS: Kind[] = ["string", "integer", "number", "boolean", "null", "object", "array"];

/** The JSON types a schema accepts; null when it says nothing (anything goes). */
function kindsOf(s: JsonSchema): Set<Kind> | null {
  const branches = s.anyOf ?? s.oneOf;
  if (branches) {
    const all = branches.map(kindsOf);
    return all.some((k) => k === null) ? null : new Set(all.flatMap((k) => [...k!]));
  }
  const values = s.const !== undefined ? [s.const] : s.enum;
  if (values) return new Set(values.map((v) => (v === null ? "null" : Array.isArray(v) ? "array" : Number.isInteger(v) ? "integer" : (typeof v as Kind))));
  if (!s.type) return null;
  const kinds = new Set((Array.isArray(s.type) ? s.type : [s.type]) as Kind[]);
  if (kinds.has("number")) kinds.add("integer");
  return kinds;
}

const HUGE = "é".repeat(300_000);
const deep = (depth: number) => JSON.parse("[".repeat(depth) + "]".repeat(depth)) as unknown;

/** Values of each kind, hostile ones first among them. */
const VALUES: Record<Kind, fc.Arbitrary<unknown>> = {
  string: fc.oneof(fc.constantFrom("", " ", "\u0000", "\ud800", "%E0%A4%A", "'; DROP TABLE accounts;--", "../../etc/passwd", "😀".repeat(500), HUGE, "__proto__"), fc.string({ maxLength: 40, unit: "binary" })),
  integer: fc.constantFrom(-1, 0, -(2 ** 63), 2 ** 53 + 1, 1e21, Number.MAX_SAFE_INTEGER),
  number: fc.constantFrom(-0.5, 1.5, 1e308, -1e308, 5e-324),
  boolean: fc.boolean(),
  null: fc.constant(null),
  object: fc.oneof(fc.constantFrom({}, { __proto__: { admin: true } }, { constructor: { prototype: { x: 1 } } }), fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 })),
  array: fc.oneof(fc.constantFrom([], [null], deep(3000)), fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 5 })),
};

/** A value the schema does not accept (null when it accepts any type). */
function wrongValue(s: JsonSchema): fc.Arbitrary<unknown> | null {
  const allowed = kindsOf(s);
  if (!allowed) return null;
  const wrong = KINDS.filter((k) => !allowed.has(k));
  return wrong.length ? fc.oneof(...wrong.map((k) => VALUES[k])) : null;
}

/** Values of an allowed type just past the schema's bounds: one character too many, one below the minimum, … */
function outOfBounds(s: JsonSchema): fc.Arbitrary<unknown>[] {
  const branches = s.anyOf ?? s.oneOf;
  if (branches) return branches.flatMap(outOfBounds);
  const out: unknown[] = [];
  if (s.maxLength !== undefined) out.push("x".repeat(s.maxLength + 1), "%".repeat(s.maxLength + 1));
  if (s.minLength !== undefined && s.minLength > 0) out.push("");
  if (s.maximum !== undefined) out.push(s.maximum + 1, 1e308);
  if (s.minimum !== undefined) out.push(s.minimum - 1, -1e308);
  if (s.maxItems !== undefined) out.push(Array.from({ length: s.maxItems + 1 }, () => "x"));
  if (s.minItems !== undefined && s.minItems > 0) out.push([]);
  return out.length ? [fc.constantFrom(...out)] : [];
}

/** A field named for a URL takes only URLs, whatever its schema documents. */
const URL_FIELD = /(^|_)(url|logo|logourl|webhook)$/i;
const NOT_URLS = fc.constantFrom("x", "not a url", "javascript:alert(1)", "http://", "https://%zz", "//evil.example", "https://", "file:///etc/passwd");

/** A value the schema refuses: of a wrong type, of the right type out of bounds, or (URL fields) not a URL. */
function refusedValue(s: JsonSchema, name: string): fc.Arbitrary<unknown> | null {
  const urls = URL_FIELD.test(name) && kindsOf(s)?.has("string") ? [NOT_URLS] : [];
  const options = [wrongValue(s), ...outOfBounds(s), ...urls].filter((a): a is fc.Arbitrary<unknown> => a !== null);
  return options.length ? fc.oneof(...options) : null;
}

const anything = fc.oneof(...KINDS.map((k) => VALUES[k]));

/** The object branches of a request schema (toKABOLA's is a union, one branch per `type`). */
function objectBranches(s: JsonSchema): JsonSchema[] {
  const branches = s.anyOf ?? s.oneOf;
  return branches ? branches.flatMap(objectBranches) : s.properties ? [s] : [];
}

/** Constants stay right (a discriminator such as toKABOLA's `type`), so the request reaches the handler it names. */
function keep(s: JsonSchema): fc.Arbitrary<unknown> {
  return s.const !== undefined ? fc.constant(s.const) : anything;
}

/** An object of the schema's shape with one property refused (of a wrong type or out of bounds, nested objects too), or a required one missing. */
function invalidObject(s: JsonSchema): fc.Arbitrary<unknown> | null {
  const props = Object.entries(s.properties ?? {});
  const required = s.required ?? [];
  const options: fc.Arbitrary<unknown>[] = [];
  for (const [name, prop] of props) {
    const bad = invalidObject(prop) ?? refusedValue(prop, name);
    if (!bad) continue;
    // Every other property may come too (hostile values all): validation checks them all, refused or not.
    const others = Object.fromEntries(props.filter(([n]) => n !== name).map(([n, p]) => [n, keep(p)]));
    const always = props.filter(([n, p]) => n === name || required.includes(n) || p.const !== undefined).map(([n]) => n);
    options.push(fc.record({ ...others, [name]: bad }, { requiredKeys: always }));
  }
  for (const name of required) {
    const prop = s.properties?.[name];
    if (prop?.const !== undefined) continue;
    const rest = Object.fromEntries(props.filter(([n]) => n !== name).map(([n, p]) => [n, keep(p)]));
    options.push(fc.record(rest, { requiredKeys: props.filter(([n]) => n !== name && s.properties![n]!.const !== undefined).map(([n]) => n) }));
  }
  return options.length ? fc.oneof(...options) : null;
}

export interface BadBody {
  kind: string;
  contentType: string;
  body: string;
}

const json = (kind: string, contentType = "application/json") => (v: unknown): BadBody => ({ kind, contentType, body: JSON.stringify(v) });

/** Invalid bodies for a request schema, of every kind. */
export function badBodies(schema: JsonSchema): fc.Arbitrary<BadBody> {
  const objects = objectBranches(schema).map(invalidObject).filter((a): a is fc.Arbitrary<unknown> => a !== null);
  const options: fc.Arbitrary<BadBody>[] = [
    fc.constantFrom("{", '{"a":', "[1,2", "{'a':1}", '{"a":1}}', "NaN", "\u0000", "", "nul", '{"a":"\\ud800"', `{"a":${"9".repeat(400)}}`).map((body) => ({ kind: "broken JSON", contentType: "application/json", body })),
    fc.constantFrom<unknown>([], [{}], "text", 42, -1, null, true, deep(5000)).map(json("wrong document kind")),
    fc.constant({ kind: "2 MB body", contentType: "application/json", body: JSON.stringify({ x: "a".repeat(2_000_000) }) }),
  ];
  if (objects.length) {
    const invalid = fc.oneof(...objects);
    options.push(invalid.map(json("wrong field type or missing field")), invalid.map(json("wrong field type or missing field")));
    options.push(invalid.chain((v) => fc.constantFrom("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml").map((ct) => json(`content type ${ct}`, ct)(v))));
  }
  return fc.oneof(...options);
}

/** Path parameters no resource has. */
export const badSegment = fc.constantFrom(
  "%", "%E0%A4%A", "%zz", "%00", "%2e%2e%2f%2e%2e", "..", "-1", "1e400", "99999999999999999999999999999999", "x".repeat(3000),
  encodeURIComponent("é😀"), "%F0%9F", encodeURIComponent("'; DROP TABLE accounts;--"), "null", "__proto__", "constructor", "%25", "%uD800", " ",
);

/** Query strings for GET routes: wrong types, huge, malformed encodings. */
export const badQuery = fc.constantFrom(
  "?limit=-1", "?limit=1e400", "?limit=abc&before=xyz", "?since=%&until=%E0%A4%A", "?state=__proto__", "?before=-99999999999999999999",
  "?status=%00&category=[]", "?a[b]=c&limit[]=1", `?since=${"9".repeat(5000)}`, "?endpoint_id=%zz", "?name=%F0%9F&language=", "?until=2026-13-45T99:99:99Z",
);
