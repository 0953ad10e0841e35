// My orders: newest first, a page at a time, each with its short number,
// its products and a link to its tracking page. Orders that were never paid
// (a declined card, a sold-out line) show only when asked for.
import { html } from '../html.js';
import { useStore } from '../store.js';
import { session } from '../session.js';
import { api } from '../api.js';
import { useAsync } from '../use_async.js';
import { navigate, useLocation, useTitle, withQuery } from '../router.js';
import { formatMoney, plural } from '../money.js';
import { label, formatTime, reasonText } from '../order_status.js';
import { Pager } from '../components/pager.js';
import { ErrorBox, Loading } from '../components/error_box.js';

const PAGE_SIZE = 10;

/** "Чайник × 2, Кружка" from the titles the server adds to each line. */
function productNames(lines) {
  return lines.map((l) => `${l.title ?? l.product_id}${l.qty > 1 ? ` × ${l.qty}` : ''}`)
    .join(', ');
}

function OrderRow({ o }) {
  const lines = o.lines ?? [];
  const n = lines.reduce((k, l) => k + (l.qty || 0), 0);
  return html`<li class="card order-row">
    <a href=${`/orders/${encodeURIComponent(o.id)}`} class="order-link">
      ${o.number != null && html`<strong class="order-number">№ ${o.number}</strong>`}
      <span class="order-id">Заказ № ${o.id}</span>
      <span class="order-products">${productNames(lines)}</span>
      <span class="muted small">${formatTime(o.created_at)}</span>
      ${o.cancel_reason && html`<span class="muted small">Причина отмены:${' '}
        ${reasonText(o.cancel_reason)}</span>`}
    </a>
    <span class=${`status-badge s-${o.status}`}>${label(o.status)}</span>
    <span>${n} ${plural(n, ['товар', 'товара', 'товаров'])}</span>
    <strong>${formatMoney(o.total)}</strong>
  </li>`;
}

/** The page and filter the URL holds: /orders?page=2&unpaid=1. */
function paramsOf(q) {
  const page = Math.max(1, Number.parseInt(q.get('page') ?? '1', 10) || 1);
  return { page, unpaid: q.get('unpaid') === '1' };
}

const hrefOf = (p) => withQuery('/orders', { page: p.page > 1 ? p.page : '', unpaid: p.unpaid ? 1 : '' });

/** /orders */
export function OrdersPage() {
  useTitle('Мои заказы');
  const s = useStore(session);
  const loc = useLocation();
  const params = paramsOf(loc.query);
  const res = useAsync(() => (s.token ? api(withQuery('/api/v1/orders', {
    page: params.page, page_size: PAGE_SIZE, include_unpaid: params.unpaid ? 'true' : '',
  }), { on404: 'История заказов пока недоступна на сервере' }) : null),
  [s.token, params.page, params.unpaid]);
  if (!s.token) {
    return html`<div class="page narrow"><h1>Мои заказы</h1>
      <p class="card"><a href="/login?next=/orders">Войдите</a>, чтобы увидеть заказы.</p></div>`;
  }
  const items = res.data?.items ?? [];
  const total = res.data?.total ?? 0;
  return html`<div class="page">
    <h1>Мои заказы</h1>
    <label class="orders-filter">
      <input type="checkbox" checked=${params.unpaid}
        onChange=${(e) => navigate(hrefOf({ page: 1, unpaid: e.target.checked }))} />
      ${' '}Показать неоплаченные (отклонённые и несостоявшиеся)
    </label>
    ${res.loading && html`<${Loading} />`}
    <${ErrorBox} error=${res.error} onRetry=${res.reload} />
    ${res.data && total > 0 && html`<p class="muted small">
      ${total} ${plural(total, ['заказ', 'заказа', 'заказов'])}</p>`}
    ${res.data && items.length === 0 && (total > 0
      ? html`<div class="card empty"><p>На этой странице заказов нет.</p>
          <a class="btn" href=${hrefOf({ ...params, page: 1 })}>К первой странице</a></div>`
      : html`<div class="card empty">
          <p>Заказов пока нет.</p><a class="btn primary" href="/search">За покупками</a></div>`)}
    <ul class="orders">${items.map((o) => html`<${OrderRow} key=${o.id} o=${o} />`)}</ul>
    ${res.data && html`<${Pager} page=${params.page} pageSize=${PAGE_SIZE} total=${total}
      href=${(n) => hrefOf({ ...params, page: n })} />`}
  </div>`;
}
