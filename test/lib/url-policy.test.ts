import { describe, expect, it } from "vitest";
import { clientUrlProblem, fetchClientUrl, RefusedUrlError } from "../../src/lib/url-policy";

const PRODUCTION = true;
const DEVELOPMENT = false;

/** Every internal form the policy must refuse, in production and in development alike. */
const INTERNAL = [
  "https://10.0.0.1/hook", // RFC 1918
  "https://172.16.5.4/hook",
  "https://172.31.255.255/hook",
  "https://192.168.1.1/hook",
  "https://100.64.0.1/hook", // CGNAT
  "https://100.127.255.254/hook",
  "https://169.254.169.254/latest/meta-data/", // link-local, cloud metadata
  "https://0.0.0.0/hook",
  "https://224.0.0.1/hook", // multicast
  "https://255.255.255.255/hook",
  "https://[fd00::1]/hook", // ULA fc00::/7
  "https://[fc00::1]/hook",
  "https://[fe80::1]/hook", // IPv6 link-local
  "https://[::]/hook",
  "https://[::ffff:127.0.0.1]/hook", // IPv4-mapped IPv6
  "https://[::ffff:7f00:1]/hook",
  "https://[::ffff:169.254.169.254]/hook",
  "https://[::ffff:10.0.0.1]/hook",
  "https://[::127.0.0.1]/hook", // IPv4-compatible
  "https://[64:ff9b::a9fe:a9fe]/hook", // NAT64 of 169.254.169.254
  "https://[2002:a9fe:a9fe::1]/hook", // 6to4 of 169.254.169.254
  "https://0xa9fea9fe/hook", // 169.254.169.254, numeric forms
  "https://2852039166/hook",
  "https://0x0a.0.0.1/hook",
  "https://metadata.google.internal/computeMetadata/v1/",
  "https://metadata.google.internal./computeMetadata/v1/",
  "https://METADATA.GOOGLE.INTERNAL/computeMetadata/v1/",
  "https://metadata/latest",
  "https://instance-data/latest",
  "https://instance-data.ec2.internal/latest",
  "https://printer.local/hook",
  "https://intranet/hook", // single-label names resolve inside a network
];

/** Loopback in its literal and numeric-encoded forms: refused in production, allowed in development. */
const LOOPBACK = [
  "https://127.0.0.1/hook",
  "https://127.8.9.10/hook",
  "https://0x7f000001/hook",
  "https://2130706433/hook",
  "https://017700000001/hook",
  "https://0177.0.0.1/hook",
  "https://127.1/hook",
  "https://[::1]/hook",
  "https://[0:0:0:0:0:0:0:1]/hook",
  "https://localhost/hook",
  "https://localhost./hook",
  "https://LocalHost/hook",
  "https://receiver.localhost/hook",
  "http://localhost:9000/hook",
  "http://127.0.0.1:9000/hook",
  "http://0x7f000001:9000/hook",
  "http://[::1]:9000/hook",
];

const PUBLIC = ["https://hooks.example.com/wa", "https://8.8.8.8/hook", "https://[2606:4700:4700::1111]/hook", "https://hooks.example.com:8443/a?b=c", "https://xn--bcher-kva.example/hook"];

describe("the client URL policy", () => {
  it("accepts https to public hosts in both environments", () => {
    for (const url of PUBLIC) {
      expect([url, clientUrlProblem(url, PRODUCTION)]).toEqual([url, null]);
      expect([url, clientUrlProblem(url, DEVELOPMENT)]).toEqual([url, null]);
    }
  });

  it("refuses private, link-local, CGNAT, ULA, IPv4-mapped, numeric-encoded and metadata hosts in both environments", () => {
    for (const url of INTERNAL) {
      expect([url, clientUrlProblem(url, PRODUCTION)]).toEqual([url, "must point to a public host"]);
      expect([url, clientUrlProblem(url, DEVELOPMENT)]).toEqual([url, "must point to a public host"]);
    }
  });

  it("refuses loopback (every encoding, localhost and *.localhost) in production; development allows it, over http too", () => {
    for (const url of LOOPBACK) {
      expect([url, clientUrlProblem(url, PRODUCTION)]).toEqual([url, "must point to a public host"]);
      expect([url, clientUrlProblem(url, DEVELOPMENT)]).toEqual([url, null]);
    }
  });

  it("accepts http only in development and only to loopback", () => {
    expect(clientUrlProblem("http://hooks.example.com/wa", PRODUCTION)).toBe("must be an https URL");
    expect(clientUrlProblem("http://hooks.example.com/wa", DEVELOPMENT)).toBe("must be an https URL (http is allowed for localhost only)");
    expect(clientUrlProblem("http://10.0.0.1/wa", DEVELOPMENT)).toBe("must point to a public host");
  });

  it("refuses other schemes, credentials in the URL, and what is not a URL", () => {
    for (const production of [PRODUCTION, DEVELOPMENT]) {
      expect(clientUrlProblem("ftp://hooks.example.com/wa", production)).toMatch(/^must be an https URL/);
      expect(clientUrlProblem("file:///etc/passwd", production)).toMatch(/^must be an https URL/);
      expect(clientUrlProblem("javascript:alert(1)", production)).toMatch(/^must be an https URL/);
      expect(clientUrlProblem("https://user:pass@hooks.example.com/wa", production)).toBe("must not contain credentials");
      expect(clientUrlProblem("https://user@hooks.example.com/wa", production)).toBe("must not contain credentials");
      expect(clientUrlProblem("logo.png", production)).toBe("must be a URL");
      expect(clientUrlProblem("https://[::1/", production)).toBe("must be a URL");
    }
  });
});

describe("fetching a client URL", () => {
  const redirect = (to: string) => `https://images.fake.test/redirect?to=${encodeURIComponent(to)}`;

  it("follows a redirect to a public host, checking it", async () => {
    const res = await fetchClientUrl(redirect("https://images.fake.test/logo.png"), PRODUCTION);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("image/png");
  });

  it("refuses a redirect to an internal address, and a URL refused at the start, before calling it", async () => {
    await expect(fetchClientUrl(redirect("http://169.254.169.254/latest/meta-data/"), PRODUCTION)).rejects.toThrow(RefusedUrlError);
    await expect(fetchClientUrl(redirect("https://[::ffff:127.0.0.1]/logo.png"), PRODUCTION)).rejects.toThrow("A redirect must point to a public host");
    await expect(fetchClientUrl("https://10.0.0.1/logo.png", PRODUCTION)).rejects.toThrow("The URL must point to a public host");
  });

  it("gives up after a few redirects", async () => {
    const loop = redirect(redirect(redirect(redirect("https://images.fake.test/logo.png"))));
    await expect(fetchClientUrl(loop, PRODUCTION)).rejects.toThrow("Too many redirects");
  });
});
