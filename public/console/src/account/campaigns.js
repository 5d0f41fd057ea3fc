// Campaigns: a template sent to many recipients, their progress (followed live while running),
// pause, resume and cancel.
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { get, post, rowsOf } from "../api.js";
import { useLoad, usePoll } from "../hooks.js";
import { formatDate, formatNumber, t } from "../i18n.js";
import { Link, navigate } from "../router.js";
import { ActionButton, Badge, Field, Form, Loading, Screen, Table } from "../ui.js";

const LIVE = ["scheduled", "running"];

function progressOf(c) {
  const k = c.counts ?? {};
  return (k.sent ?? 0) + (k.delivered ?? 0) + (k.read ?? 0) + (k.failed ?? 0) + (k.cancelled ?? 0);
}

export function CampaignProgress({ c }) {
  const done = Math.min(progressOf(c), c.total);
  return html`<span class="row"><progress max=${c.total || 1} value=${done} aria-label=${t("campaigns.progressOf", { id: c.id })}></progress> ${formatNumber(done)} / ${formatNumber(c.total)}</span>`;
}

/** Pause, resume or cancel, whichever the state allows; `base` is the account's or the operator's route. */
export function CampaignControls({ c, base, onChange }) {
  const act = (verb) => async () => {
    if (verb === "cancel" && !confirm(t("campaigns.confirmCancel"))) return;
    await post(`${base}/${encodeURIComponent(c.id)}/${verb}`);
    await onChange();
  };
  return html`<span class="row">
    ${c.state === "running" && html`<${ActionButton} secondary action=${act("pause")} label=${t("campaigns.pauseOne", { id: c.id })}>${t("campaigns.pause")}</${ActionButton}>`}
    ${c.state === "paused" && html`<${ActionButton} secondary action=${act("resume")} label=${t("campaigns.resumeOne", { id: c.id })}>${t("campaigns.resume")}</${ActionButton}>`}
    ${["scheduled", "running", "paused"].includes(c.state) && html`<${ActionButton} danger action=${act("cancel")} label=${t("campaigns.cancelOne", { id: c.id })}>${t("campaigns.cancel")}</${ActionButton}>`}
  </span>`;
}

export function Campaigns() {
  const campaigns = useLoad(() => get("/api/v1/campaigns"));
  const rows = rowsOf(campaigns.data, "campaigns");
  usePoll(campaigns.reload, 2000, rows.some((c) => LIVE.includes(c.state)));
  return html`<${Screen} title=${t("campaigns.title")}>
    <${NewCampaign} onCreated=${(c) => navigate(`/console/campaigns/${encodeURIComponent(c.id)}`)} />
    <${Loading} state=${campaigns} />
    <${Table} caption=${t("campaigns.title")} rows=${rows} columns=${[
      { label: t("common.created"), render: (c) => html`<${Link} href=${`/console/campaigns/${encodeURIComponent(c.id)}`}>${formatDate(c.created_at)}</${Link}>` },
      { label: t("campaigns.template"), render: (c) => `${c.template.name} (${c.template.language})` },
      { label: t("common.state"), render: (c) => html`<${Badge} value=${c.state} />` },
      { label: t("campaigns.progress"), render: (c) => html`<${CampaignProgress} c=${c} />` },
      { label: t("common.actions"), render: (c) => html`<${CampaignControls} c=${c} base="/api/v1/campaigns" onChange=${campaigns.reload} />` },
    ]} />
  </${Screen}>`;
}

function NewCampaign({ onCreated }) {
  const numbers = useLoad(() => get("/api/v1/numbers"));
  const templates = useLoad(() => get("/api/v1/templates?status=APPROVED"));
  const ready = rowsOf(numbers.data, "numbers").filter((n) => n.state === "READY");
  const approved = rowsOf(templates.data, "templates");
  const [from, setFrom] = useState("");
  const [template, setTemplate] = useState("");
  const [recipients, setRecipients] = useState("");
  const [parameters, setParameters] = useState("");
  if (!ready.length || !approved.length) return html`<p class="muted">${t("campaigns.needs")}</p>`;
  const create = async () => {
    const tpl = approved.find((x) => `${x.name}|${x.language}` === template) ?? approved[0];
    const body = {
      phone_number_id: from || ready[0].phone_number_id,
      template: { name: tpl.name, language: tpl.language },
      recipients: recipients.split(/[\s,;]+/).map((r) => r.replace(/\D/g, "")).filter(Boolean),
    };
    if (parameters.trim()) body.parameters = parameters.split("|").map((p) => p.trim());
    onCreated(await post("/api/v1/campaigns", body));
  };
  return html`<section class="card" aria-labelledby="new-campaign">
    <h2 id="new-campaign">${t("campaigns.new")}</h2>
    <${Form} action=${create} submit=${t("campaigns.create")}>
      <${Field} label=${t("messages.from")} value=${from || ready[0].phone_number_id} onInput=${setFrom} options=${ready.map((n) => [n.phone_number_id, n.display_number ?? n.phone_number_id])} />
      <${Field} label=${t("campaigns.template")} value=${template || `${approved[0].name}|${approved[0].language}`} onInput=${setTemplate} options=${approved.map((x) => [`${x.name}|${x.language}`, `${x.name} (${x.language})`])} />
      <${Field} label=${t("campaigns.parameters")} name="parameters" value=${parameters} onInput=${setParameters} hint=${t("campaigns.parametersHint")} />
      <${Field} label=${t("campaigns.recipients")} name="recipients" type="textarea" value=${recipients} onInput=${setRecipients} required hint=${t("campaigns.recipientsHint")} />
    </${Form}>
  </section>`;
}

export function CampaignDetail({ params }) {
  const campaign = useLoad(() => get(`/api/v1/campaigns/${encodeURIComponent(params.id)}`), [params.id]);
  const c = campaign.data;
  usePoll(campaign.reload, 1500, c && LIVE.includes(c.state));
  return html`<${Screen} title=${t("campaigns.one")}>
    <${Loading} state=${campaign} />
    ${c && html`<${CampaignSummary} c=${c} />
      <${CampaignControls} c=${c} base="/api/v1/campaigns" onChange=${campaign.reload} />`}
  </${Screen}>`;
}

function CampaignSummary({ c }) {
  const k = c.counts ?? {};
  return html`<p>${t("common.state")} <span id="campaign-state"><${Badge} value=${c.state} /></span> — <${CampaignProgress} c=${c} /></p>
    <${Table} rows=${[k]} columns=${["queued", "sent", "delivered", "read", "failed", "cancelled"].map((s) => ({ label: t(`status.${s}`), num: true, render: (r) => formatNumber(r[s]) }))} />
    <p class="muted">${t("campaigns.rate", { rate: c.rate_per_second ? formatNumber(Math.round(c.rate_per_second * 10) / 10) : "—" })}</p>`;
}
