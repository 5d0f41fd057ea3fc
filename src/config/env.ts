import * as z from "zod";
import { AppError } from "../lib/errors";

/**
 * The Worker's bindings and vars as declared in wrangler.toml (`Cloudflare.Env`, generated into
 * worker-configuration.d.ts by `npm run cf-typegen`), plus its secrets, which `loadConfig` parses.
 */
export type Env = Cloudflare.Env & { [secret: string]: unknown };

const upstreamSwitch = <T extends string>(values: readonly [T, ...T[]], fallback: T) =>
  z.enum(values).default(fallback);

const optionalSecret = z.string().min(1).optional();

/**
 * Values shipped in the source, so public: they sign nothing that matters. The sandbox's app
 * secret signs its own payloads only while META_APP_SECRET is unset (never in production, nor with
 * Meta); the development signing key derives client webhook secrets only in development on the
 * sandbox. Neither is accepted as the value of a real secret.
 */
const SANDBOX_APP_SECRET_DEFAULT = "tuma-sandbox-app-secret";
const DEV_WEBHOOK_SIGNING_KEY = "tuma-dev-webhook-signing-key";
const PUBLIC_DEFAULTS: ReadonlySet<unknown> = new Set([SANDBOX_APP_SECRET_DEFAULT, DEV_WEBHOOK_SIGNING_KEY]);
const SECRETS = ["ADMIN_TOKEN", "META_ACCESS_TOKEN", "META_APP_SECRET", "META_VERIFY_TOKEN", "WEBHOOK_SIGNING_KEY", "PAWAPAY_API_TOKEN", "EMBEDDED_SIGNUP_KEY"] as const;

/** pawaPay's sandbox completes deposits without money changing hands. */
const PAWAPAY_SANDBOX_HOST = "api.sandbox.pawapay.io";

/**
 * Every setting, with what it is for: `npm run config-docs` writes docs/operations.md's
 * configuration table from these descriptions (`npm run lint` fails while the table is stale).
 * Rules between settings (what production or a real upstream requires) are in superRefine below.
 * @public
 */
export const ConfigSchema = z
  .object({
    ENVIRONMENT: z.enum(["development", "production"]).default("development").describe("`production` refuses the sandboxes and `CHAOS_*` switches, requires the secrets below, and accepts only https client URLs to public hosts; `/sandbox/*` answers 404"),
    WHATSAPP_UPSTREAM: upstreamSwitch(["sandbox", "meta"], "sandbox").describe("`meta` for Meta's Cloud API (needs the `META_*` secrets, `WEBHOOK_SIGNING_KEY` and `MOBILE_MONEY=pawapay`); a number keeps the upstream it was created with"),
    MOBILE_MONEY: upstreamSwitch(["sandbox", "pawapay"], "sandbox").describe("`pawapay` for real deposits (needs `PAWAPAY_API_TOKEN`)"),
    TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(30 * 24 * 3600).default(86400).describe("bearer token lifetime"),
    ADMIN_TOKEN: z.string().min(16, "ADMIN_TOKEN must be at least 16 characters").optional().describe("the operator's token for `/api/v1/admin/*`; required in production"),
    META_GRAPH_URL: z.url().default("https://graph.facebook.com").describe("Graph API base URL"),
    META_API_VERSION: z.string().regex(/^v\d+\.\d+$/, "META_API_VERSION looks like v23.0").default("v23.0").describe("Graph API version"),
    META_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000).describe("one Graph call's time limit; a timeout is a transient fault"),
    META_APP_ID: optionalSecret.describe("Meta app id: profile photos (resumable upload) and Embedded Signup (`goto/addnumber`)"),
    META_CONFIG_ID: optionalSecret.describe("Embedded Signup configuration id, for `goto/addnumber`"),
    EMBEDDED_SIGNUP_KEY: z.string().min(32, "EMBEDDED_SIGNUP_KEY must be at least 32 characters").optional().describe("signs Embedded Signup's `state` and nothing else; required in production with `meta`"),
    SANDBOX_OTP_CODE: z.string().regex(/^\d{6}$/, "SANDBOX_OTP_CODE must be 6 digits").default("123456").describe("the sandbox's verification code"),
    STEP_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(1000).describe("pause between two alarm-driven provisioning steps"),
    SANDBOX_ENFORCE_WINDOW: z.enum(["true", "false"]).default("false").transform((v) => v === "true").describe("the sandbox refuses free-form messages outside the 24-hour window only when `true`"),
    SANDBOX_STATUS_DELAY_SECONDS: z.coerce.number().int().min(0).max(3600).default(1).describe("seconds between the sandbox's sent → delivered → read statuses"),
    OTP_TEMPLATE_NAME: z.string().regex(/^[a-z0-9_]{1,512}$/, "OTP_TEMPLATE_NAME must be a template name").default("tuma_otp").describe("the authentication template (copy-code button) toKABOLA `auth` sends"),
    UNVERIFIED_NUMBER_RELEASE_DAYS: z.coerce.number().min(0.01).max(365).default(7).describe("a number still unverified this many days after it was added is released by the cron"),
    SANDBOX_CHARGES: z.enum(["true", "false"]).default("false").transform((v) => v === "true").describe("`true` charges sandbox sends at the listed prices, like live ones (benchmarks, billing trials); refused in production"),
    CHAOS_SEND_BATCH_FAILURE_RATE: z.coerce.number().min(0).max(1).default(0).describe("tests and benchmarks: the share of campaign chunk deliveries whose consumer dies midway (the queue retries the chunk); refused in production"),
    EMULATE_CONNECTION_CAP: z.enum(["true", "false"]).default("false").transform((v) => v === "true").describe("tests and benchmarks: each invocation's Meta calls wait as production's do, at most 6 waiting for headers at once (workerd does not enforce the cap); refused in production, which enforces it"),
    META_ACCESS_TOKEN: optionalSecret.describe("system user token with `whatsapp_business_messaging` and `whatsapp_business_management`; required with `meta`"),
    META_APP_SECRET: optionalSecret.describe("the app's secret: verifies `X-Hub-Signature-256` of Meta's webhooks; required with `meta`"),
    META_VERIFY_TOKEN: optionalSecret.describe("the verify token typed in the app's webhook settings (`GET /webhooks/meta` handshake); required with `meta`"),
    META_WABA_ID: optionalSecret.describe("the operator's WhatsApp Business Account, shared by accounts without their own; required with `meta`"),
    SANDBOX_APP_SECRET: z.string().min(8).default(SANDBOX_APP_SECRET_DEFAULT).describe("signs the sandbox's own webhook payloads while `META_APP_SECRET` is unset, so they take Meta's signed intake path; public, never a secret"),
    WEBHOOK_SIGNING_KEY: z.string().min(16, "WEBHOOK_SIGNING_KEY must be at least 16 characters").optional().describe("client webhook secrets are HMAC(key, endpoint id), so nothing secret is stored; changing it changes every secret; required in production and with `meta`"),
    INBOUND_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5).describe("processing attempts of one Meta event before it is marked failed (listed for the operator, who can replay them: `POST /api/v1/admin/webhooks/rejected/retry`)"),
    WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000).describe("one client webhook call's time limit"),
    WEBHOOK_RETRY_HOURS: z.coerce.number().min(0.01).max(24 * 7).default(24).describe("how long a failing delivery is retried before it is dead-lettered (replayable)"),
    MESSAGE_LOG: z.enum(["d1", "durable"]).default("d1").describe("where each number's message log (sends, statuses, inbound messages, 24-hour windows) lives: `durable` in the number's Durable Object (scales with numbers, off D1's budget); `d1` in the shared database (the archives read it there only)"),
    RETENTION_DAYS: z.coerce.number().int().min(7).max(3650).default(30).describe("message logs, Meta events and client deliveries are archived to R2 (`ARCHIVES`) and deleted once their whole UTC day is older than this; money is kept forever; at least 7, Meta's redelivery window, so a late duplicate still finds its event"),
    MESSAGE_BODY_RETENTION_DAYS: z.coerce.number().min(0).max(3650).optional().describe("what customers wrote (inbound content, profile names, message events and deliveries) is scrubbed after this many days, metadata kept until `RETENTION_DAYS`; 0 scrubs once processed; default and at most `RETENTION_DAYS`"),
    ARCHIVE_PARTS_PER_RUN: z.coerce.number().int().min(1).max(50).default(20).describe("archive objects one cron run writes at most (each up to 200 records per kind, 14 D1 queries and one R2 write; D1 allows 1,000 queries a run)"),
    PAWAPAY_API_TOKEN: optionalSecret.describe("pawaPay API token; required with `pawapay`"),
    PAWAPAY_BASE_URL: z.url({ protocol: /^https?$/ }).default("https://api.sandbox.pawapay.io").describe("pawaPay's API host; production refuses the sandbox host: set `https://api.pawapay.io`"),
    PAWAPAY_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(10_000).describe("one pawaPay call's time limit; a timeout leaves the deposit pending for the next poll"),
  })
  .superRefine((c, issues) => {
    const refuse = (name: keyof typeof c, message: string) => issues.addIssue({ code: "custom", path: [name], message });
    const need = (name: keyof typeof c, why: string) => {
      if (!c[name]) refuse(name, `${name} is required ${why}`);
    };
    if (c.ENVIRONMENT === "production") {
      // Production runs on real upstreams only: the sandboxes make numbers READY with a public
      // code and credit wallets from nothing.
      need("ADMIN_TOKEN", "in production");
      need("WEBHOOK_SIGNING_KEY", "in production");
      if (c.WHATSAPP_UPSTREAM === "sandbox") refuse("WHATSAPP_UPSTREAM", "WHATSAPP_UPSTREAM=sandbox is refused in production (use meta)");
      if (c.MOBILE_MONEY === "sandbox") refuse("MOBILE_MONEY", "MOBILE_MONEY=sandbox is refused in production (use pawapay)");
      if (c.SANDBOX_CHARGES) refuse("SANDBOX_CHARGES", "SANDBOX_CHARGES=true is refused in production");
      if (c.EMULATE_CONNECTION_CAP) refuse("EMULATE_CONNECTION_CAP", "EMULATE_CONNECTION_CAP=true is refused in production (the platform enforces the cap)");
      // The checks run even when a field is malformed: parse the URL only if it is one.
      if (c.MOBILE_MONEY === "pawapay" && URL.canParse(c.PAWAPAY_BASE_URL) && new URL(c.PAWAPAY_BASE_URL).hostname === PAWAPAY_SANDBOX_HOST) {
        refuse("PAWAPAY_BASE_URL", "PAWAPAY_BASE_URL is pawaPay's sandbox, refused in production (use https://api.pawapay.io)");
      }
      for (const [name, value] of Object.entries(c)) {
        if (name.startsWith("CHAOS_") && value !== 0) refuse(name as keyof typeof c, `${name} must be 0 in production`);
      }
    }
    if (c.WHATSAPP_UPSTREAM === "meta") {
      need("META_ACCESS_TOKEN", "when WHATSAPP_UPSTREAM=meta");
      need("META_APP_SECRET", "when WHATSAPP_UPSTREAM=meta");
      need("META_VERIFY_TOKEN", "when WHATSAPP_UPSTREAM=meta");
      need("META_WABA_ID", "when WHATSAPP_UPSTREAM=meta");
      need("WEBHOOK_SIGNING_KEY", "when WHATSAPP_UPSTREAM=meta (client webhooks go to real customers' data)");
      // Free sandbox credit would pay for real messages on the operator's Meta bill.
      if (c.MOBILE_MONEY === "sandbox") refuse("MOBILE_MONEY", "MOBILE_MONEY=sandbox is refused with WHATSAPP_UPSTREAM=meta (use pawapay)");
      if (c.ENVIRONMENT === "production") need("EMBEDDED_SIGNUP_KEY", "in production when WHATSAPP_UPSTREAM=meta");
    }
    if (c.MOBILE_MONEY === "pawapay") need("PAWAPAY_API_TOKEN", "when MOBILE_MONEY=pawapay");
    for (const name of SECRETS) {
      if (PUBLIC_DEFAULTS.has(c[name])) refuse(name, `${name} is a public default value shipped with Tuma`);
    }
  })
  .transform((c) => ({
    ...c,
    production: c.ENVIRONMENT === "production",
    // Only development on the sandbox gets here without a key (the checks above).
    WEBHOOK_SIGNING_KEY: c.WEBHOOK_SIGNING_KEY ?? DEV_WEBHOOK_SIGNING_KEY,
    // Bodies are never kept longer than the records that hold them.
    MESSAGE_BODY_RETENTION_DAYS: Math.min(c.MESSAGE_BODY_RETENTION_DAYS ?? c.RETENTION_DAYS, c.RETENTION_DAYS),
  }));

export type Config = z.output<typeof ConfigSchema>;

const parsed = new WeakMap<object, Config | AppError>();

/** An issue's message, with the setting's name in front unless it already says it. */
function named(issue: z.core.$ZodIssue): string {
  const name = String(issue.path[0] ?? "");
  return issue.message.includes(name) ? issue.message : `${name}: ${issue.message}`;
}

/**
 * Parses the configuration once per `env` object. A missing or malformed value fails every
 * request with `unavailable`; the message names the settings for the operator's logs.
 */
export function loadConfig(env: Readonly<Record<string, unknown>>): Config {
  let config = parsed.get(env);
  if (!config) {
    // An empty value (`NAME=` copied from .dev.vars.example) means unset, not a value too short.
    const result = ConfigSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== "")));
    config = result.success
      ? result.data
      : new AppError(
          "unavailable",
          `Configuration invalid: ${result.error.issues.map(named).join("; ")}`,
        );
    parsed.set(env, config);
  }
  if (config instanceof AppError) throw config;
  return config;
}
