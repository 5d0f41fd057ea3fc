/**
 * The one policy for URLs a client gives Tuma to call (webhooks, profile photos, logos). Production
 * accepts only https to public hosts; development also accepts http and loopback, for local
 * receivers. Hosts are judged after the WHATWG URL parser's normalisation, which already turns
 * every numeric IPv4 form (`0x7f000001`, `2130706433`, `017700000001`, `127.1`) into dotted
 * decimal and every IPv6 literal into its compressed hex form (`[::ffff:7f00:1]`), so the checks
 * below never read the raw text. Host names are not resolved (a Worker cannot): a public name
 * that resolves to a private address is the network's to refuse.
 */

interface Range {
  cidr: string;
  /** Loopback ranges are accepted outside production. */
  loopback?: true;
}

/** Addresses a client URL never reaches: special-purpose ranges (IANA registries), IPv4 then IPv6. */
const REFUSED_RANGES: readonly Range[] = [
  { cidr: "0.0.0.0/8" }, // "this network"
  { cidr: "10.0.0.0/8" }, // RFC 1918
  { cidr: "100.64.0.0/10" }, // CGNAT (RFC 6598)
  { cidr: "127.0.0.0/8", loopback: true },
  { cidr: "169.254.0.0/16" }, // link-local, cloud metadata (169.254.169.254)
  { cidr: "172.16.0.0/12" }, // RFC 1918
  { cidr: "192.0.0.0/24" }, // IETF protocol assignments
  { cidr: "192.0.2.0/24" }, // documentation
  { cidr: "192.168.0.0/16" }, // RFC 1918
  { cidr: "198.18.0.0/15" }, // benchmarking
  { cidr: "198.51.100.0/24" }, // documentation
  { cidr: "203.0.113.0/24" }, // documentation
  { cidr: "224.0.0.0/4" }, // multicast
  { cidr: "240.0.0.0/4" }, // reserved, broadcast
  { cidr: "::1/128", loopback: true },
  { cidr: "::/96" }, // unspecified and IPv4-compatible
  { cidr: "::ffff:0:0/96" }, // IPv4-mapped (::ffff:127.0.0.1)
  { cidr: "64:ff9b::/96" }, // NAT64: reaches an IPv4 address
  { cidr: "64:ff9b:1::/48" }, // local-use NAT64
  { cidr: "100::/64" }, // discard
  { cidr: "2001::/32" }, // Teredo: embeds an IPv4 address
  { cidr: "2001:db8::/32" }, // documentation
  { cidr: "2002::/16" }, // 6to4: embeds an IPv4 address
  { cidr: "fc00::/7" }, // unique local (ULA)
  { cidr: "fe80::/10" }, // link-local
  { cidr: "fec0::/10" }, // site-local (deprecated)
  { cidr: "ff00::/8" }, // multicast
];

/** Cloud metadata services by name; single-label names and `*.internal` are refused as well. */
const METADATA_HOSTS = new Set(["metadata", "metadata.google.internal", "instance-data", "instance-data.ec2.internal", "metadata.azure.com", "metadata.tencentyun.com"]);

/** Suffixes of names that only resolve inside a network. */
const PRIVATE_SUFFIXES = [".internal", ".local", ".localdomain", ".home.arpa", ".intranet", ".lan", ".corp"];

interface ParsedRange {
  v6: boolean;
  base: bigint;
  bits: number;
  loopback: boolean;
}

const PARSED_RANGES: readonly ParsedRange[] = REFUSED_RANGES.map(({ cidr, loopback }) => {
  const [address, bits] = cidr.split("/") as [string, string];
  const v6 = address.includes(":");
  const base = v6 ? ipv6ToBigInt(address) : ipv4ToBigInt(address);
  if (base === null) throw new Error(`Bad range ${cidr}`);
  return { v6, base, bits: Number(bits), loopback: loopback === true };
});

function ipv4ToBigInt(address: string): bigint | null {
  const parts = address.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return null;
  return parts.reduce((n, p) => (n << 8n) | BigInt(p), 0n);
}

/** The compressed hex form the URL parser writes (no embedded dotted IPv4 there). */
function ipv6ToBigInt(address: string): bigint | null {
  const halves = address.split("::");
  if (halves.length > 2) return null;
  const groups = (s: string | undefined) => (s ? s.split(":") : []);
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  if (!all.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return null;
  return all.reduce((n, g) => (n << 16n) | BigInt(parseInt(g, 16)), 0n);
}

function inRange(value: bigint, v6: boolean, r: ParsedRange): boolean {
  if (r.v6 !== v6) return false;
  const shift = BigInt((v6 ? 128 : 32) - r.bits);
  return value >> shift === r.base >> shift;
}

type HostKind = "public" | "loopback" | "private";

/** Whether a client address (CF-Connecting-IP: `127.0.0.1`, `::1`) is this machine. */
export function isLoopbackAddress(address: string): boolean {
  return classifyHost(address.includes(":") ? `[${address}]` : address) === "loopback";
}

/** What `hostname` (as the URL parser wrote it) reaches. */
function classifyHost(hostname: string): HostKind {
  const v6 = hostname.startsWith("[") && hostname.endsWith("]");
  const ip = v6 ? ipv6ToBigInt(hostname.slice(1, -1)) : ipv4ToBigInt(hostname);
  if (ip !== null) {
    const range = PARSED_RANGES.find((r) => inRange(ip, v6, r));
    if (!range) return "public";
    return range.loopback ? "loopback" : "private";
  }
  if (v6) return "private";
  const name = hostname.replace(/\.$/, "").toLowerCase();
  if (name === "localhost" || name.endsWith(".localhost")) return "loopback";
  if (!name.includes(".") || METADATA_HOSTS.has(name) || PRIVATE_SUFFIXES.some((s) => name.endsWith(s))) return "private";
  return "public";
}

/** Why Tuma must not call `value`, said for the client's field error; null when it may. */
export function clientUrlProblem(value: string, production: boolean): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "must be a URL";
  }
  const https = production ? "must be an https URL" : "must be an https URL (http is allowed for localhost only)";
  if (url.protocol !== "https:" && url.protocol !== "http:") return https;
  if (url.username || url.password) return "must not contain credentials";
  const host = classifyHost(url.hostname);
  if (host === "private" || (host === "loopback" && production)) return "must point to a public host";
  if (url.protocol === "http:" && host !== "loopback") return https;
  return null;
}

/** A client URL Tuma refused to call (the policy, checked again when it is called). */
/**
 * A media link Meta fetches (never Tuma): http or https, as Meta's Cloud API takes both, to a
 * public host in every environment (Meta cannot reach a private or loopback one).
 */
export function mediaLinkProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "must be a URL";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "must be an http or https URL";
  if (url.username || url.password) return "must not contain credentials";
  return classifyHost(url.hostname) === "public" ? null : "must point to a public host";
}

export class RefusedUrlError extends Error {
  override name = "RefusedUrlError";
}

/**
 * GETs a client URL, checking the policy before the call and again at every redirect (at most
 * `maxRedirects`): a public URL cannot bounce Tuma to an internal one.
 */
export async function fetchClientUrl(value: string, production: boolean, init: { signal?: AbortSignal; maxRedirects?: number } = {}): Promise<Response> {
  let url = value;
  for (let hop = 0; ; hop++) {
    const problem = clientUrlProblem(url, production);
    if (problem) throw new RefusedUrlError(`${hop ? "A redirect" : "The URL"} ${problem}`);
    const response = await fetch(url, { signal: init.signal, redirect: "manual" });
    const location = response.headers.get("Location");
    if (response.status < 300 || response.status > 399 || !location) return response;
    await response.body?.cancel();
    if (hop >= (init.maxRedirects ?? 3)) throw new RefusedUrlError("Too many redirects");
    url = new URL(location, url).href;
  }
}
