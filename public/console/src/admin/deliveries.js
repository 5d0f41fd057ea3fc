// Webhook deliveries for the operator: dead letters (or any state), replay one, or every dead
// delivery created in a time range (optionally of one account).
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { get, post, rowsOf, withQuery } from "../api.js";
import { useLoad } from "../hooks.js";
import { t } from "../i18n.js";
import { Link } from "../router.js";
import { Field, Form, Loading, Screen } from "../ui.js";
import { DeliveryTable } from "../account/webhooks.js";

/** A datetime-local value (local time) as an ISO instant. */
const iso = (local) => new Date(local).toISOString();

export function AdminDeliveries() {
  const [state, setState] = useState("dead");
  const deliveries = useLoad(() => get(withQuery("/api/v1/admin/deliveries", { state })), [state]);
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [account, setAccount] = useState("");
  const [replayed, setReplayed] = useState(null);
  const replay = async (d) => {
    await post(`/api/v1/admin/deliveries/${encodeURIComponent(d.id)}/replay`);
    await deliveries.reload();
  };
  const replayRange = async () => {
    const body = { from: iso(from), to: iso(to) };
    if (account.trim()) body.account_id = account.trim();
    setReplayed(await post("/api/v1/admin/deliveries/replay", body));
    await deliveries.reload();
  };
  const account_ = { label: t("accounts.one", { name: "" }).trim(), render: (d) => d.account_id && html`<${Link} href=${`/console/admin/accounts/${encodeURIComponent(d.account_id)}`}>${d.account_id}</${Link}>` };
  return html`<${Screen} title=${t("webhooks.deliveries")}>
    <${Field} label=${t("common.state")} value=${state} onInput=${setState} options=${["dead", "pending", "delivered", ""].map((s) => [s, s ? t(`status.${s}`) : t("common.all")])} />
    <${Loading} state=${deliveries} />
    <${DeliveryTable} rows=${rowsOf(deliveries.data, "deliveries")} replay=${replay} extra=${[account_]} />
    <section class="card" aria-labelledby="replay-range">
      <h2 id="replay-range">${t("deliveries.replayRange")}</h2>
      <${Form} action=${replayRange} submit=${t("deliveries.replayRangeSubmit")}>
        <${Field} label=${t("deliveries.from")} type="datetime-local" value=${from} onInput=${setFrom} required />
        <${Field} label=${t("deliveries.to")} type="datetime-local" value=${to} onInput=${setTo} required />
        <${Field} label=${t("deliveries.account")} value=${account} onInput=${setAccount} />
      </${Form}>
      ${replayed && html`<p class="notice" role="status">${t("deliveries.replayed", { count: replayed.replayed ?? replayed.count ?? rowsOf(replayed, "deliveries").length })}</p>`}
    </section>
  </${Screen}>`;
}
