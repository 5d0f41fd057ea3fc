// One account for the operator: plan, wallets, ledger, numbers, keys (masked), webhooks, recent
// messages; suspend or reinstate it, credit or debit it (a reason is mandatory; both audited).
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { get, post, rowsOf } from "../api.js";
import { useLoad } from "../hooks.js";
import { formatDate, formatMoney, t } from "../i18n.js";
import { Link } from "../router.js";
import { Badge, Field, Form, Loading, Screen, Table } from "../ui.js";
import { planOf } from "./accounts.js";

export function AccountDetail({ params }) {
  const base = `/api/v1/admin/accounts/${encodeURIComponent(params.id)}`;
  const detail = useLoad(() => get(base), [params.id]);
  const ledger = useLoad(() => get(`${base}/ledger`), [params.id]);
  const d = detail.data;
  const a = d?.account;
  const refresh = () => Promise.all([detail.reload(), ledger.reload()]);
  return html`<${Screen} title=${a ? t("accounts.one", { name: a.name || a.id }) : t("accounts.title")}>
    <p><${Link} href="/console/admin/accounts">${t("accounts.back")}</${Link}></p>
    <${Loading} state=${detail} />
    ${a && html`<dl>
        <dt>id</dt><dd><code>${a.id}</code></dd>
        <dt>id_user</dt><dd><code>${a.id_user}</code></dd>
        <dt>${t("accounts.plan")}</dt><dd>${planOf(a.plan)}${a.plan?.expires_at && ` — ${t("accounts.until", { at: formatDate(a.plan.expires_at) })}`}</dd>
        <dt>${t("common.state")}</dt><dd id="account-state"><${Badge} value=${a.suspended ? "suspended" : "active"} /></dd>
      </dl>
      <${Suspension} account=${a} base=${base} onChange=${refresh} />
      <h2>${t("accounts.wallets")}</h2>
      <${Table} rows=${rowsOf(d.wallets, "wallets")} columns=${[
        { label: t("home.currency"), key: "currency" },
        { label: t("accounts.balance"), num: true, render: (w) => formatMoney(w.balance, w.currency) },
        { label: t("accounts.held"), num: true, render: (w) => formatMoney(w.held, w.currency) },
        { label: t("accounts.available"), num: true, render: (w) => formatMoney(w.available, w.currency) },
      ]} />
      <${Adjustment} base=${base} currencies=${rowsOf(d.wallets, "wallets").map((w) => w.currency)} onDone=${refresh} />
      <h2>${t("home.ledger")}</h2>
      <${Loading} state=${ledger} />
      <div id="account-ledger"><${Table} rows=${rowsOf(ledger.data, "entries")} columns=${[
        { label: t("common.date"), render: (e) => formatDate(e.created_at) },
        { label: t("home.reason"), render: (e) => e.reason ?? e.kind },
        { label: t("home.amount"), num: true, render: (e) => formatMoney(e.amount, e.currency) },
        { label: t("home.memo"), render: (e) => e.memo ?? e.reference ?? "—" },
      ]} /></div>
      <h2>${t("nav.numbers")}</h2>
      <${Table} rows=${rowsOf(d.numbers, "numbers")} columns=${[
        { label: t("numbers.number"), render: (n) => n.display_number ?? "—" },
        { label: "phone_number_id", render: (n) => html`<code>${n.phone_number_id}</code>` },
        { label: t("common.state"), render: (n) => html`<${Badge} value=${n.state} />` },
      ]} />
      <h2>${t("nav.keys")}</h2>
      <${Table} rows=${rowsOf(d.keys, "keys")} columns=${[
        { label: t("accounts.keyKind"), key: "kind" },
        { label: t("keys.label"), render: (k) => k.label ?? "—" },
        { label: t("accounts.masked"), render: (k) => html`<code>${k.masked}</code>` },
        { label: t("common.created"), render: (k) => formatDate(k.created_at) },
      ]} />
      <h2>${t("nav.webhooks")}</h2>
      <${Table} rows=${rowsOf(d.webhooks, "endpoints")} columns=${[
        { label: "URL", render: (e) => e.url ?? "—" },
        { label: t("webhooks.format"), key: "format" },
      ]} />
      <h2>${t("accounts.recentMessages")}</h2>
      <${Table} rows=${rowsOf(d.recent_messages, "messages")} columns=${[
        { label: t("common.date"), render: (m) => formatDate(m.created_at) },
        { label: t("messages.customer"), key: "wa_id" },
        { label: t("common.state"), render: (m) => html`<${Link} href=${`/console/admin/messages/${encodeURIComponent(m.id)}`}><${Badge} value=${m.status} /></${Link}>` },
      ]} />`}
  </${Screen}>`;
}

function Suspension({ account, base, onChange }) {
  const [reason, setReason] = useState("");
  const verb = account.suspended ? "reinstate" : "suspend";
  const act = async () => {
    await post(`${base}/${verb}`, { reason: reason.trim() });
    setReason("");
    await onChange();
  };
  return html`<section class="card" aria-labelledby="suspension">
    <h2 id="suspension">${t(`accounts.${verb}`)}</h2>
    <${Form} action=${act} submit=${t(`accounts.${verb}`)} danger=${verb === "suspend"} inline>
      <${Field} label=${t("accounts.reason")} name="suspension-reason" value=${reason} onInput=${setReason} required />
    </${Form}>
  </section>`;
}

function Adjustment({ base, currencies, onDone }) {
  const [direction, setDirection] = useState("credit");
  const [currency, setCurrency] = useState(currencies[0] ?? "CDF");
  const [amount, setAmount] = useState("");
  const [reason, setReason] = useState("");
  const [done, setDone] = useState(null);
  const adjust = async () => {
    const entry = await post(`${base}/adjustments`, { direction, currency, amount: Number(amount), reason: reason.trim() });
    setDone(entry);
    setAmount("");
    setReason("");
    await onDone();
  };
  return html`<section class="card" aria-labelledby="adjust">
    <h2 id="adjust">${t("accounts.adjust")}</h2>
    <${Form} action=${adjust} submit=${t("accounts.adjustSubmit")}>
      <${Field} label=${t("accounts.direction")} value=${direction} onInput=${setDirection} options=${[["credit", t("accounts.credit")], ["debit", t("accounts.debit")]]} />
      <${Field} label=${t("home.currency")} name="currency" value=${currency} onInput=${setCurrency} required />
      <${Field} label=${t("accounts.amountMinor")} name="amount" type="number" min="1" step="1" value=${amount} onInput=${setAmount} required />
      <${Field} label=${t("accounts.reason")} name="adjust-reason" value=${reason} onInput=${setReason} required />
    </${Form}>
    ${done && html`<p class="notice" role="status">${t("accounts.adjusted")}</p>`}
  </section>`;
}
