// A small SVG line chart of the last values.
import { html } from '../html.js';

/** `values` oldest first; the last one is printed beside the chart. */
export function Sparkline({ values, title, format = (v) => v }) {
  const w = 160;
  const h = 40;
  const vs = values.filter((v) => Number.isFinite(v));
  const max = Math.max(1e-9, ...vs);
  const min = Math.min(0, ...vs);
  const step = values.length > 1 ? w / (values.length - 1) : w;
  const pts = values.map((v, i) => `${(i * step).toFixed(1)},${
    (h - 2 - ((Number.isFinite(v) ? v : min) - min) / (max - min || 1) * (h - 4)).toFixed(1)}`)
    .join(' ');
  const last = vs.length ? vs[vs.length - 1] : null;
  return html`<figure class="spark card">
    <figcaption>${title}</figcaption>
    <div class="spark-value">${last == null ? '—' : format(last)}</div>
    <svg viewBox=${`0 0 ${w} ${h}`} preserveAspectRatio="none" role="img"
      aria-label=${`${title}: ${last == null ? 'нет данных' : format(last)}`}>
      <polyline points=${`0,${h} ${pts} ${w},${h}`} class="spark-area" />
      <polyline points=${pts} class="spark-line" />
    </svg>
  </figure>`;
}
