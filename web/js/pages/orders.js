// My orders: newest first, each linking to its tracking page.
import { html } from '../html.js';
import { useStore } from '../store.js';
import { session } from '../session.js';
import { api } from '../api.js';
import { useAsync } from '../use_async.js';
import { useTitle } from '../router.js';
import { formatMoney, plural } from '../money.js';
import { label, formatTime, reasonText } from '../order_status.js';
import { ErrorBox, Loading } from '../components/error_box.js';

function OrderRow({ o }) {
  const n = (o.lines ?? []).reduce((k, l) => k + (l.qty || 0), 0);
  return html`<li class="card order-row">
    <a href=${`/orders/${encodeURIComponent(o.id)}`} class="order-link">
      <span class="order-id">Заказ № ${o.id}</span>
      <span class="muted small">${formatTime(o.created_at)}</span>
      ${o.cancel_reason && html`<span class="muted small">Причина отмены:${' '}
        ${reasonText(o.cancel_reason)}</span>`}
    </a>
    <span class=${`status-badge s-${o.status}`}>${label(o.status)}</span>
    <span>${n} ${plural(n, ['товар', 'товара', 'товаров'])}</span>
    <strong>${formatMoney(o.total)}</strong>
  </li>`;
}

/** /orders */
export function OrdersPage() {
  useTitle('Мои заказы');
  const s = useStore(session);
  const res = useAsync(() => (s.token ? api('/api/v1/orders',
    { on404: 'История заказов пока недоступна на сервере' }) : null), [s.token]);
  if (!s.token) {
    return html`<div class="page narrow"><h1>Мои заказы</h1>
      <p class="card"><a href="/login?next=/orders">Войдите</a>, чтобы увидеть заказы.</p></div>`;
  }
  const items = res.data?.items ?? [];
  return html`<div class="page">
    <h1>Мои заказы</h1>
    ${res.loading && html`<${Loading} />`}
    <${ErrorBox} error=${res.error} onRetry=${res.reload} />
    ${res.data && items.length === 0 && html`<div class="card empty">
      <p>Заказов пока нет.</p><a class="btn primary" href="/search">За покупками</a></div>`}
    <ul class="orders">${items.map((o) => html`<${OrderRow} key=${o.id} o=${o} />`)}</ul>
  </div>`;
}
