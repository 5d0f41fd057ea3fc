// The console's end-to-end scenarios (run by scripts/test-console.mjs): each step is
// [title, async (page, env), the routes it needs], where page is a Playwright page of its own browser context and env
// holds the gateway, the admin token, the webhook receiver and axe-core's source. What a step
// needs that a person would have done earlier (an account, a number, a campaign) is seeded
// through the public API first; one dead delivery is made by SQL (a real one takes 24 h).

const RUN = `${Date.now() % 1e6}`;
const TIMEOUT = 20_000;
const J = { "Content-Type": "application/json" };

// ---- seeding through the API, as a client would ------------------------------------------------

async function call(env, path, { token, body, method = body ? "POST" : "GET", headers = {} } = {}) {
  const res = await fetch(`${env.url}${path}`, {
    method,
    headers: { ...(body ? J : {}), ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function tokabola(env, body, token) {
  const { body: answer } = await call(env, "/tokabola/v1/", { token, body });
  if (answer.status !== "success") throw new Error(`toKABOLA ${body.type}: ${JSON.stringify(answer)}`);
  return answer.data;
}

async function signup(env, name) {
  const account = await tokabola(env, { type: "signup", signup: { name } });
  const { token } = await tokabola(env, { type: "token", token: { id_user: account.id_user, key_user: account.key_user } });
  return { ...account, name, token };
}

/** A READY number, as the README's walk-through makes one (add, ask_code, verify with the sandbox's code). */
async function readyNumber(env, token) {
  const number = `81${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}2`;
  const { phone_number_id } = await tokabola(env, { type: "add", add: { cc: "243", phone_number: number, phone_name: "Boutique", language: "fr_FR" } }, token);
  await tokabola(env, { type: "number", number: { method: "ask_code", phone_number_id, otp_type: "SMS", language: "fr_FR" } }, token);
  await tokabola(env, { type: "number", number: { method: "verify", phone_number_id, otp_code: "123456" } }, token);
  return phone_number_id;
}

async function until(what, check, timeout = TIMEOUT) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

// ---- browser helpers ---------------------------------------------------------------------------

const heading = (page, name) => page.getByRole("heading", { level: 1, name }).waitFor({ timeout: TIMEOUT });

/** Follows a link of the navigation; resolves once that screen is the current one and loaded. */
async function nav(page, name) {
  await page.getByRole("navigation").getByRole("link", { name, exact: true }).click();
  await page.waitForFunction((n) => document.querySelector("nav [aria-current=page]")?.textContent === n, name, { timeout: TIMEOUT });
  await page.waitForFunction(() => !document.querySelector("main")?.textContent.includes("Chargement…"), null, { timeout: TIMEOUT });
}

/** axe-core, injected into the page: fails on any serious or critical violation. */
async function axe(page, env, where) {
  await page.evaluate(env.axeSource); // through DevTools: the page's CSP allows no inline script
  const violations = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ["violations"] })).violations);
  const bad = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  if (bad.length) throw new Error(`axe on ${where}:\n${bad.map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")})`).join("\n")}`);
}

/** Visits each page of the navigation and runs axe on it. */
async function axeEveryPage(page, env, links) {
  for (const name of links) {
    await nav(page, name);
    await axe(page, env, name);
  }
}

/** On the page just loaded, Tab only: the skip link first, then through the navigation to `target`, then Enter. */
async function keyboardTo(page, target, expectedHeading) {
  await page.reload();
  await page.getByRole("navigation").waitFor({ timeout: TIMEOUT });
  await page.keyboard.press("Tab");
  const first = await page.evaluate(() => document.activeElement?.textContent);
  if (first !== "Aller au contenu") throw new Error(`the first Tab reached "${first}", not the skip link`);
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      return { text: el?.textContent, outline: el ? getComputedStyle(el).outlineStyle : "none" };
    });
    if (focused.outline === "none") throw new Error(`"${focused.text}" has the focus but no visible outline`);
    if (focused.text === target) {
      await page.keyboard.press("Enter");
      await heading(page, expectedHeading);
      const onHeading = await page.evaluate(() => document.activeElement?.tagName);
      if (onHeading !== "H1") throw new Error(`after Enter the focus is on ${onHeading}, not the new screen's heading`);
      return;
    }
  }
  throw new Error(`Tab never reached "${target}"`);
}

async function shoot(page, env, name) {
  if (env.screenshots) await page.screenshot({ path: `${env.screenshots}/${name}.png` });
}

// ---- the operator ------------------------------------------------------------------------------

const op = {};

export const adminScenarios = [
  [
    "seeds an account to support, and one with a dead delivery, a READY number and an approved template (API)",
    async (_page, env) => {
      op.account = await signup(env, `Boutique Opérateur ${RUN}`);
      op.other = await signup(env, `Boutique Campagnes ${RUN}`);
      const auth = op.other.token;
      const endpoint = await call(env, "/api/v1/webhooks", { token: auth, body: { url: `${env.receiverUrl}/tuma` } });
      await tokabola(env, { type: "assistance", assistance: { method: "text", server: "SANDBOX", to: "243812345678", body: "Colis parti" } }, auth);
      const delivered = await until("a delivered webhook", async () => {
        const { body } = await call(env, "/api/v1/deliveries?state=delivered", { token: auth });
        return body.deliveries.find((d) => d.endpoint_id === endpoint.body.id);
      });
      // As if the receiver had failed for WEBHOOK_RETRY_HOURS: the operator's replay is what is tested.
      await env.gateway.sql(`UPDATE deliveries SET state = 'dead', last_status = 503, last_error = 'HTTP 503' WHERE id = '${delivered.id}'`);
      op.deadDelivery = delivered.id;
      op.number = await readyNumber(env, auth);
      const template = await call(env, "/api/v1/templates", { token: auth, body: { name: `promo_${RUN}`, language: "fr", category: "MARKETING", components: [{ type: "BODY", text: "Bonjour {{1}}" }] } });
      if (template.body.status !== "APPROVED") throw new Error(JSON.stringify(template.body));
    },
  ],
  [
    "logs in with the admin token; the session cookie is HttpOnly and SameSite=Strict",
    async (page, env) => {
      await page.goto("/console/admin");
      await heading(page, "Connexion opérateur");
      await page.getByLabel("Jeton d’administration").fill("not-the-token");
      await page.getByRole("button", { name: "Se connecter" }).click();
      await page.getByRole("alert").filter({ hasText: "Identifiants incorrects." }).waitFor({ timeout: TIMEOUT });
      await page.getByLabel("Jeton d’administration").fill(env.adminToken);
      await page.getByRole("button", { name: "Se connecter" }).click();
      await heading(page, "Vue d’ensemble");
      const cookie = (await page.context().cookies()).find((c) => c.name === "tuma_session");
      if (!cookie?.httpOnly || cookie.sameSite !== "Strict") throw new Error(`session cookie ${JSON.stringify(cookie)}`);
    },
  ],
  [
    "finds the seeded account",
    async (page) => {
      await nav(page, "Comptes");
      await page.getByLabel("Nom, id_user ou identifiant").fill(`Opérateur ${RUN}`);
      await page.getByRole("button", { name: "Rechercher" }).click();
      await page.getByRole("link", { name: op.account.name }).click();
      await heading(page, `Compte ${op.account.name}`);
    },
    ["GET /api/v1/admin/accounts", "GET /api/v1/admin/accounts/{}"],
  ],
  [
    "credits it with a reason; the ledger shows the entry and the balance moves",
    async (page, env) => {
      await page.getByLabel("Sens", { exact: true }).selectOption("credit");
      await page.getByLabel("Devise", { exact: true }).fill("CDF");
      await page.getByLabel("Montant (en unités mineures de la devise)").fill("5000");
      await page.getByLabel("Motif", { exact: true }).last().fill(`Geste commercial ${RUN}`);
      await page.getByRole("button", { name: "Passer l’écriture" }).click();
      await page.locator("#account-ledger").getByText(/5\s?000/).first().waitFor({ timeout: TIMEOUT });
      const { body } = await call(env, "/api/v1/wallets", { token: op.account.token });
      const cdf = body.wallets.find((w) => w.currency === "CDF");
      if (cdf?.balance !== "5000") throw new Error(`wallets after the credit: ${JSON.stringify(body)}`);
      await shoot(page, env, "operator-account");
    },
    ["POST /api/v1/admin/accounts/{}/adjustments", "GET /api/v1/admin/accounts/{}/ledger"],
  ],
  [
    "suspends it; its bearer token stops working",
    async (page, env) => {
      await page.getByLabel("Motif", { exact: true }).first().fill(`Abus signalé ${RUN}`);
      await page.getByRole("button", { name: "Suspendre le compte" }).click();
      await page.locator("#account-state").getByText("suspendu").waitFor({ timeout: TIMEOUT });
      const native = await call(env, "/api/v1/wallets", { token: op.account.token });
      const tk = await call(env, "/tokabola/v1/", { token: op.account.token, body: { type: "solde" } });
      if (![401, 403].includes(native.status) || tk.body.status !== "error") throw new Error(`after suspension: native ${native.status}, toKABOLA ${JSON.stringify(tk.body)}`);
    },
    ["POST /api/v1/admin/accounts/{}/suspend"],
  ],
  [
    "replays a dead delivery; the receiver gets it again",
    async (page, env) => {
      await nav(page, "Livraisons");
      await page.getByRole("button", { name: `Renvoyer la livraison ${op.deadDelivery}` }).click();
      await until("the replayed delivery at the receiver", () => (env.received.get(op.deadDelivery) ?? 0) >= 2);
      await page.getByRole("button", { name: `Renvoyer la livraison ${op.deadDelivery}` }).waitFor({ state: "detached", timeout: TIMEOUT });
    },
    ["GET /api/v1/admin/deliveries", "POST /api/v1/admin/deliveries/{}/replay"],
  ],
  [
    "watches a campaign progress to done, live",
    async (page, env) => {
      // Started by its account a few seconds from now: the operator sees it before, while and after it runs.
      const campaign = await call(env, "/api/v1/campaigns", {
        token: op.other.token,
        body: { sandbox: true, template: { name: `promo_${RUN}`, language: "fr" }, parameters: ["Amina"], recipients: ["243812345601", "243812345602", "243812345603"], start_at: new Date(Date.now() + 4000).toISOString() },
      });
      if (!campaign.body.id) throw new Error(JSON.stringify(campaign.body));
      op.campaign = campaign.body.id;
      await nav(page, "Campagnes");
      const row = page.locator("tr", { has: page.getByLabel(`Progression de la campagne ${op.campaign}`) });
      await row.waitFor({ timeout: TIMEOUT });
      const before = await row.locator(".campaign-state").textContent();
      if (before === "terminée") throw new Error("the campaign was already done: nothing was watched");
      await row.locator(".campaign-state").getByText("terminée").waitFor({ timeout: 40_000 });
      const progress = await row.locator("progress").evaluate((p) => [p.value, p.max]);
      if (progress[0] !== 3 || progress[1] !== 3) throw new Error(`progress at done: ${progress}`);
      await shoot(page, env, "operator-campaigns");
    },
    ["GET /api/v1/admin/campaigns"],
  ],
  [
    "finds a number and reads its state history and throughput",
    async (page) => {
      await nav(page, "Numéros");
      await page.getByLabel("Numéro ou phone_number_id").fill(op.number);
      await page.getByRole("button", { name: "Rechercher" }).click();
      await page.locator("main table a[href^='/console/admin/numbers/']").first().click();
      await page.getByRole("heading", { level: 2, name: "Historique des états" }).waitFor({ timeout: TIMEOUT });
      const history = await page.locator("ol.timeline").textContent();
      if (!history.includes("prêt")) throw new Error(`history without READY: ${history}`);
      const throughput = await page.locator("dl").textContent();
      if (!throughput.includes("80 messages par seconde")) throw new Error(`no throughput: ${throughput}`);
    },
    ["GET /api/v1/admin/numbers", "GET /api/v1/admin/numbers/{}"],
  ],
  [
    "finds a message by its recipient and reads its status timeline",
    async (page) => {
      await nav(page, "Messages");
      await page.getByLabel("Identifiant, wamid ou destinataire").fill("243812345678");
      await page.getByRole("button", { name: "Rechercher" }).click();
      await page.locator("main table a[href^='/console/admin/messages/']").first().click();
      await heading(page, "Message");
      await page.locator("ol.timeline li").first().waitFor({ timeout: TIMEOUT });
    },
    ["GET /api/v1/admin/messages", "GET /api/v1/admin/messages/{}"],
  ],
  [
    "sees the overview: messages and deposits per day as SVG charts",
    async (page, env) => {
      await nav(page, "Vue d’ensemble");
      await page.locator("svg[role=img]").nth(1).waitFor({ timeout: TIMEOUT });
      // The day's bars count this run's messages (the customer's text, the campaign's three).
      const today = new Date().toISOString().slice(0, 10);
      const stats = await page.locator(".stat strong").allTextContents();
      if (stats.length !== 4 || stats.some((v) => !/^\d/.test(v))) throw new Error(`overview figures: ${stats}`);
      const row = page.locator("table").first().locator("tr", { hasText: today });
      await page.getByText("Voir les chiffres en tableau").first().click();
      const cells = (await row.locator("td").allTextContents()).slice(1).map((c) => Number(c.replace(/\D/g, "")));
      if (cells.reduce((a, b) => a + b, 0) < 1) throw new Error(`no message counted today: ${cells}`);
      await shoot(page, env, "operator-overview");
    },
    ["GET /api/v1/admin/overview"],
  ],
  [
    "every main page passes axe-core (no serious or critical violation)",
    async (page, env) => {
      await axeEveryPage(page, env, ["Vue d’ensemble", "Comptes", "Numéros", "Messages", "Livraisons", "Campagnes", "Dépôts", "Forfaits et prix", "Journal d’audit"]);
    },
  ],
  [
    "reaches a screen with the keyboard only (visible focus, focus on the new heading)",
    async (page) => {
      await keyboardTo(page, "Comptes", "Comptes");
    },
  ],
];

// ---- the customer ------------------------------------------------------------------------------

const me = {};

export const customerScenarios = [
  [
    "seeds an account with a READY number (API)",
    async (_page, env) => {
      me.account = await signup(env, `Boutique Client ${RUN}`);
      me.number = await readyNumber(env, me.account.token);
    },
  ],
  [
    "logs in with id_user and key_user",
    async (page) => {
      await page.goto("/console");
      await heading(page, "Connexion client");
      await page.getByLabel("id_user", { exact: true }).fill(me.account.id_user);
      await page.getByLabel("key_user", { exact: true }).fill(me.account.key_user);
      await page.getByRole("button", { name: "Se connecter" }).click();
      await heading(page, "Solde et recharge");
    },
  ],
  [
    "tops up with mobile money in the sandbox and sees the balance change",
    async (page, env) => {
      await page.getByLabel("Montant", { exact: true }).fill("60000");
      await page.getByLabel("Numéro du payeur").fill("243813456789");
      await page.getByRole("button", { name: "Recharger" }).click();
      await page.locator("#deposit-progress").getByText("confirmé", { exact: true }).waitFor({ timeout: TIMEOUT });
      await page.locator("#balances").getByText(/60\s?000\sCDF/).waitFor({ timeout: TIMEOUT });
      await shoot(page, env, "customer-balance");
    },
    ["POST /api/v1/deposits", "GET /api/v1/deposits/{}"],
  ],
  [
    "sends a message and sees its statuses arrive",
    async (page, env) => {
      await nav(page, "Messages");
      await page.getByLabel("Destinataire").first().fill("243812345678");
      await page.getByLabel("Texte", { exact: true }).fill(`Votre commande ${RUN} est prête.`);
      await page.getByRole("button", { name: "Envoyer" }).click();
      await heading(page, "Message");
      await page.locator("#message-status").getByText("lu").waitFor({ timeout: TIMEOUT });
      const timeline = await page.locator("ol.timeline").textContent();
      for (const status of ["envoyé", "distribué", "lu"]) if (!timeline.includes(status)) throw new Error(`timeline without ${status}: ${timeline}`);
      await shoot(page, env, "customer-message");
    },
    ["GET /api/v1/numbers", "POST /api/v1/messages", "GET /api/v1/messages/{}"],
  ],
  [
    "edits a number's business profile and reads it back (axe-core on the open profile)",
    async (page, env) => {
      await nav(page, "Numéros");
      const open = () => page.getByRole("button", { name: /^Profil professionnel de / }).first().click();
      await open();
      const about = `Ouvert 8h-20h ${RUN}`;
      await page.getByLabel("À propos").fill(about);
      await page.getByLabel("Sites web").fill("https://boutique.example.cd");
      await page.getByLabel("Catégorie").selectOption("RETAIL");
      await page.getByRole("button", { name: "Enregistrer" }).click();
      await page.getByText("Profil enregistré.").waitFor({ timeout: TIMEOUT });
      await page.getByRole("button", { name: "Fermer le profil" }).click();
      await open();
      // The reopened panel reads the profile back (GET) and fills the form once it has arrived.
      const field = page.getByLabel("À propos");
      await field.waitFor({ timeout: TIMEOUT });
      for (let i = 0; i < 50 && (await field.inputValue()) !== about; i++) await page.waitForTimeout(100);
      if ((await field.inputValue()) !== about) throw new Error(`profile not read back: ${await field.inputValue()}`);
      await axe(page, env, "the number's profile");
    },
    ["GET /api/v1/numbers/{}/profile", "PUT /api/v1/numbers/{}/profile"],
  ],
  [
    "every main page passes axe-core (no serious or critical violation)",
    async (page, env) => {
      await axeEveryPage(page, env, ["Solde", "Numéros", "Messages", "Modèles", "Campagnes", "Webhooks", "Clés"]);
    },
  ],
  [
    "switches to English",
    async (page) => {
      await page.getByLabel("Langue").selectOption("en");
      await page.getByRole("navigation").getByRole("link", { name: "Balance", exact: true }).waitFor({ timeout: TIMEOUT });
      await page.getByLabel("Language").selectOption("fr");
    },
  ],
  [
    "reaches a screen with the keyboard only (visible focus, focus on the new heading)",
    async (page) => {
      await keyboardTo(page, "Modèles", "Modèles de message");
    },
  ],
];
