// Balance and top-up: the wallets, a mobile-money deposit followed until it completes (the same
// flow as toKABOLA's addfund/verify: each GET of a pending deposit checks it), the statement.
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { get, post, rowsOf, withQuery } from "../api.js";
import { useLoad, usePoll } from "../hooks.js";
import { formatDate, formatMoney, t } from "../i18n.js";
import { Badge, ErrorNotice, Field, Form, Loading, Screen, Stat, Table } from "../ui.js";

const CURRENCIES = ["CDF", "USD", "XAF", "XOF", "KES", "RWF", "UGX", "TZS", "ZMW", "GHS", "NGN"];
const FINAL = ["completed", "failed", "expired"];
const stateOf = (d) => String(d?.state ?? d?.status ?? "").toLowerCase();

export function Home() {
  const account = useLoad(() => get("/api/v1/account"));
  const wallets = useLoad(() => get("/api/v1/wallets"));
  const ledger = useLoad(() => get(withQuery("/api/v1/ledger", { limit: 10 })));
  const deposits = useLoad(() => get("/api/v1/deposits"));
  const refresh = () => Promise.all([wallets.reload(), ledger.reload(), deposits.reload()]);
  const a = account.data;
  return html`<${Screen} title=${t("home.title")}>
    ${a && html`<p>${a.name} · ${t("accounts.plan")} ${a.plan?.code ?? "—"}${a.plan?.expires_at ? ` (${t("accounts.until", { at: formatDate(a.plan.expires_at) })})` : ""}
      ${a.suspended && html` · <${Badge} value="suspended" />`}</p>`}
    <${Loading} state=${wallets} />
    <div class="cards" aria-live="polite" id="balances">
      ${rowsOf(wallets.data, "wallets").map((w) => html`<${Stat} label=${t("home.balanceIn", { currency: w.currency })} value=${formatMoney(w.available, w.currency)} />`)}
      ${wallets.data && !rowsOf(wallets.data, "wallets").length && html`<p class="muted">${t("home.noWallet")}</p>`}
    </div>
    <${TopUp} onCompleted=${refresh} />
    <h2>${t("home.deposits")}</h2>
    <${Loading} state=${deposits} />
    <${Table} rows=${rowsOf(deposits.data, "deposits")} columns=${[
      { label: t("common.date"), render: (d) => formatDate(d.created_at) },
      { label: t("home.amount"), num: true, render: (d) => formatMoney(d.amount, d.currency) },
      { label: t("home.phone"), render: (d) => d.phone ?? d.payer ?? "—" },
      { label: t("common.state"), render: (d) => html`<${Badge} value=${stateOf(d)} />` },
    ]} />
    <h2>${t("home.ledger")}</h2>
    <${Loading} state=${ledger} />
    <${Table} rows=${rowsOf(ledger.data, "entries")} columns=${[
      { label: t("common.date"), render: (e) => formatDate(e.created_at) },
      { label: t("home.reason"), render: (e) => e.reason },
      { label: t("home.amount"), num: true, render: (e) => formatMoney(e.amount, e.currency) },
      { label: t("home.memo"), render: (e) => e.memo ?? e.reference },
    ]} />
  </${Screen}>`;
}

function TopUp({ onCompleted }) {
  const [amount, setAmount] = useState("");
  const [currency, setCurrency] = useState("CDF");
  const [phone, setPhone] = useState("");
  const [provider, setProvider] = useState("");
  const [deposit, setDeposit] = useState(null);
  const [error, setError] = useState(null);
  const pending = deposit && !FINAL.includes(stateOf(deposit));

  usePoll(async () => {
    try {
      const next = await get(`/api/v1/deposits/${encodeURIComponent(deposit.id)}`);
      setDeposit(next);
      if (FINAL.includes(stateOf(next))) onCompleted();
    } catch (e) {
      setError(e);
    }
  }, 1500, pending);

  const start = async () => {
    setError(null);
    const body = { amount: amount.trim(), currency, phone: phone.replace(/\D/g, "") };
    if (provider.trim()) body.provider = provider.trim();
    setDeposit(await post("/api/v1/deposits", body));
  };
  return html`<section class="card" aria-labelledby="topup-title">
    <h2 id="topup-title">${t("home.topUp")}</h2>
    <p class="muted">${t("home.topUpIntro")}</p>
    <${Form} action=${start} submit=${t("home.topUpSubmit")}>
      <${Field} label=${t("home.amount")} name="amount" inputmode="decimal" value=${amount} onInput=${setAmount} required />
      <${Field} label=${t("home.currency")} name="currency" value=${currency} onInput=${setCurrency} options=${CURRENCIES.map((c) => [c, c])} />
      <${Field} label=${t("home.phone")} name="phone" type="tel" value=${phone} onInput=${setPhone} required hint=${t("home.phoneHint")} />
      <${Field} label=${t("home.provider")} name="provider" value=${provider} onInput=${setProvider} hint=${t("home.providerHint")} />
    </${Form}>
    ${deposit && html`<div id="deposit-progress" role="status" aria-live="polite">
      <p>${t("home.depositState")} <${Badge} value=${stateOf(deposit)} /> ${pending && html`<progress aria-label=${t("home.depositWaiting")}></progress>`}</p>
      ${stateOf(deposit) === "completed" && html`<p class="notice">${t("home.depositDone", { amount: formatMoney(deposit.amount, deposit.currency) })}</p>`}
      ${deposit.failure && html`<p role="alert">${deposit.failure.message ?? deposit.failure.code}</p>`}
    </div>`}
    <${ErrorNotice} error=${error} />
  </section>`;
}
