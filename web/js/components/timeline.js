// The status timeline: every step of the path, reached ones with their time.
import { html } from '../html.js';
import { FLOW, label, formatTime } from '../order_status.js';

/** Steps for `order` (status + history). */
export function Timeline({ order }) {
  const history = order.history ?? [];
  const at = new Map(history.map((h) => [h.status, h.at]));
  const cur = order.status;
  const ended = cur === 'cancelled';
  const idx = FLOW.indexOf(cur);
  const steps = FLOW.filter((s) => !ended || at.has(s))
    .map((s) => ({ s, done: at.has(s) || (idx >= 0 && FLOW.indexOf(s) <= idx) || cur === 'returned' }));
  if (cur === 'cancelled' || cur === 'returned') steps.push({ s: cur, done: true, bad: true });

  return html`<ol class="timeline" aria-label="Статус заказа">
    ${steps.map(({ s, done, bad }) => html`<li key=${s}
      class=${`step${done ? ' done' : ''}${bad ? ' bad' : ''}${s === cur ? ' current' : ''}`}
      aria-current=${s === cur ? 'step' : undefined}>
      <span class="dot" aria-hidden="true"></span>
      <span class="step-name">${label(s)}</span>
      ${at.has(s) && html`<time class="muted small" datetime=${at.get(s)}>
        ${formatTime(at.get(s))}</time>`}
      ${!done && html`<span class="sr-only">(ещё не наступил)</span>`}
    </li>`)}
  </ol>`;
}
