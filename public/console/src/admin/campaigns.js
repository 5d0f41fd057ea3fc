// Every account's campaigns for the operator, followed live; pause, resume, cancel.
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { get, rowsOf, withQuery } from "../api.js";
import { useLoad, usePoll } from "../hooks.js";
import { formatDate, formatNumber, t } from "../i18n.js";
import { Link } from "../router.js";
import { Badge, Field, Loading, Screen, Table } from "../ui.js";
import { CampaignControls, CampaignProgress } from "../account/campaigns.js";

export function AdminCampaigns() {
  const [state, setState] = useState("");
  const campaigns = useLoad(() => get(withQuery("/api/v1/admin/campaigns", { state })), [state]);
  const rows = rowsOf(campaigns.data, "campaigns");
  usePoll(campaigns.reload, 1500, rows.some((c) => ["scheduled", "running"].includes(c.state)));
  return html`<${Screen} title=${t("campaigns.title")}>
    <${Field} label=${t("common.state")} value=${state} onInput=${setState} options=${["", "scheduled", "running", "paused", "done", "cancelled"].map((s) => [s, s ? t(`status.${s}`) : t("common.all")])} />
    <${Loading} state=${campaigns} />
    <div aria-live="polite"><${Table} caption=${t("campaigns.title")} rows=${rows} columns=${[
      { label: t("common.created"), render: (c) => formatDate(c.created_at) },
      { label: t("accounts.one", { name: "" }).trim(), render: (c) => c.account_id && html`<${Link} href=${`/console/admin/accounts/${encodeURIComponent(c.account_id)}`}>${c.account_id}</${Link}>` },
      { label: t("campaigns.template"), render: (c) => c.template?.name ?? "—" },
      { label: t("common.state"), render: (c) => html`<span class="campaign-state"><${Badge} value=${c.state} /></span>` },
      { label: t("campaigns.progress"), render: (c) => html`<${CampaignProgress} c=${c} />` },
      { label: t("campaigns.rateShort"), num: true, render: (c) => (c.rate_per_second ? formatNumber(Math.round(c.rate_per_second * 10) / 10) : "—") },
      { label: t("common.actions"), render: (c) => html`<${CampaignControls} c=${c} base="/api/v1/admin/campaigns" onChange=${campaigns.reload} />` },
    ]} /></div>
  </${Screen}>`;
}
