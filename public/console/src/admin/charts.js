// Bar charts drawn as inline SVG (no chart library, no remote script). Each chart has a text
// equivalent: its title and description, and the same figures in a table under a disclosure.
import { html } from "htm/preact";
import { formatNumber, t } from "../i18n.js";
import { Table } from "../ui.js";

const W = 640;
const H = 220;
const PAD = { left: 40, right: 8, top: 10, bottom: 28 };

/** days: [{day, …}], series: [{key, label, color, value(day)}]: one group of bars per day. */
export function BarChart({ id, title, days, series }) {
  const max = Math.max(1, ...days.flatMap((d) => series.map((s) => s.value(d))));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const group = plotW / Math.max(1, days.length);
  const bar = Math.max(1, (group - 4) / series.length);
  const y = (v) => PAD.top + plotH - (v / max) * plotH;
  const ticks = [0, max / 2, max].map((v) => Math.round(v));
  return html`<figure>
    <svg class="chart" viewBox=${`0 0 ${W} ${H}`} role="img" aria-labelledby=${`${id}-t ${id}-d`}>
      <title id=${`${id}-t`}>${title}</title>
      <desc id=${`${id}-d`}>${t("overview.chartDesc", { days: days.length, max: formatNumber(max) })}</desc>
      ${ticks.map((v) => html`<g><line x1=${PAD.left} x2=${W - PAD.right} y1=${y(v)} y2=${y(v)} stroke="#d0d7de" />
        <text x=${PAD.left - 4} y=${y(v) + 4} text-anchor="end" font-size="11" fill="#57606a">${formatNumber(v)}</text></g>`)}
      ${days.map((d, i) => html`<g>
        ${series.map((s, j) => {
          const v = s.value(d);
          return html`<rect x=${PAD.left + i * group + 2 + j * bar} y=${y(v)} width=${bar} height=${Math.max(0, PAD.top + plotH - y(v))} fill=${s.color}><title>${d.day} · ${s.label}: ${formatNumber(v)}</title></rect>`;
        })}
        ${(days.length <= 16 || i % 2 === 0) && html`<text x=${PAD.left + i * group + group / 2} y=${H - 10} text-anchor="middle" font-size="10" fill="#57606a">${d.day.slice(5)}</text>`}
      </g>`)}
    </svg>
    <figcaption class="legend">${series.map((s) => html`<span style=${`--c:${s.color}`}>${s.label}</span>`)}</figcaption>
    <details><summary>${t("overview.asTable")}</summary>
      <${Table} caption=${title} rows=${days} columns=${[{ label: t("common.day"), key: "day" }, ...series.map((s) => ({ label: s.label, num: true, render: (d) => formatNumber(s.value(d)) }))]} />
    </details>
  </figure>`;
}
