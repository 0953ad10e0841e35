// /orders/{id}: live tracking with the city map, the courier, the status
// timeline and the ETA; cancel and return where the API allows them.
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { api, seg } from '../api.js';
import { useStore, loadJson } from '../store.js';
import { session } from '../session.js';
import { getProduct, loadWarehouses } from '../catalog.js';
import { useOrderTracking } from '../tracking.js';
import { useAsync } from '../use_async.js';
import { useTitle } from '../router.js';
import { formatMoney, kopecks } from '../money.js';
import { label, canCancel, canReturn, etaText, formatTime, isFinal } from '../order_status.js';
import { toast } from '../toast.js';
import { CityMap } from '../map.js';
import { Timeline } from '../components/timeline.js';
import { ErrorBox, Loading } from '../components/error_box.js';

const CONN = {
  connecting: 'Подключаемся…', online: 'Онлайн', reconnecting: 'Связь потеряна, переподключаемся…',
};

function Line({ line }) {
  const p = useAsync(() => getProduct(line.product_id), [line.product_id]);
  return html`<li class="summary-row">
    <a href=${`/product/${encodeURIComponent(line.product_id)}`}>
      ${p.data?.title ?? line.product_id}</a>
    <span class="muted">${line.qty} × ${formatMoney(line.unit_price)}</span>
    <strong>${formatMoney(kopecks(line.unit_price) * line.qty)}</strong>
  </li>`;
}

function Actions({ order, onDone }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const act = async (what) => {
    setBusy(true);
    setError(null);
    try {
      onDone(await api(`/api/v1/orders/${seg(order.id)}/${what}`, { method: 'POST' }));
      toast(what === 'cancel' ? 'Заказ отменён, деньги вернутся на карту'
        : 'Возврат оформлен, деньги вернутся на карту');
    } catch (e) {
      setError(e.status === 409 ? (what === 'cancel'
        ? 'Заказ уже передан курьеру, отменить его нельзя'
        : 'Вернуть можно только доставленный заказ') : e);
    }
    setBusy(false);
  };
  return html`<div class="actions">
    <${ErrorBox} error=${error} />
    ${canCancel(order.status) && html`<button type="button" class="btn danger"
      disabled=${busy} onClick=${() => act('cancel')}>Отменить заказ</button>`}
    ${canReturn(order.status) && html`<button type="button" class="btn"
      disabled=${busy} onClick=${() => act('return')}>Вернуть заказ</button>`}
  </div>`;
}

/** The tracking page. */
export function OrderPage({ id }) {
  useTitle(`Заказ ${id}`);
  const s = useStore(session);
  const [t, replace] = useOrderTracking(id, s.token);
  const wh = useAsync(() => loadWarehouses(), [s.token]);
  if (!s.token) {
    return html`<div class="page narrow"><h1>Заказ</h1><p class="card">
      <a href=${`/login?next=/orders/${encodeURIComponent(id)}`}>Войдите</a>,
      чтобы следить за заказом.</p></div>`;
  }
  if (!t.order) {
    return html`<div class="page"><h1>Заказ № ${id}</h1>
      ${t.error ? html`<${ErrorBox} error=${t.error.status === 404 ? 'Заказ не найден' : t.error} />`
        : html`<${Loading} />`}
      <p><a href="/orders">Все заказы</a></p></div>`;
  }
  const o = t.order;
  const dest = o.address ?? loadJson(`berry.order-address.${o.id}`, null);
  const origins = new Set((o.lines ?? []).map((l) => l.warehouse_id).filter(Boolean));
  const eta = ['courier_assigned', 'picked_up'].includes(o.status) ? etaText(t.eta) : null;
  // Before pickup the courier still has to call at the order's warehouses.
  const via = ['paid', 'packed', 'courier_assigned'].includes(o.status)
    ? (o.warehouses ?? []).map((w) => w.location) : [];

  return html`<div class="page order-page">
    <h1>Заказ № ${o.id}</h1>
    <p class="muted">от ${formatTime(o.created_at)}</p>
    <div class="order-head card">
      <span class=${`status-badge s-${o.status}`} aria-live="polite">${label(o.status)}</span>
      ${eta && html`<span class="eta" aria-live="polite">Курьер приедет через ${eta}</span>`}
      ${!isFinal(o.status) && html`<span class=${`conn ${t.conn}`} role="status">
        ${CONN[t.conn] ?? ''}</span>`}
      ${o.cancel_reason && html`<span class="muted">Причина отмены: ${o.cancel_reason}</span>`}
    </div>
    <div class="order-layout">
      <section class="card map-card" aria-labelledby="map-h">
        <h2 id="map-h" class="h3">Где заказ</h2>
        <${CityMap} warehouses=${o.warehouses?.length ? o.warehouses : (wh.data ?? [])}
          highlight=${origins} destination=${dest}
          courier=${t.courier} trail=${t.trail} via=${via}
          label="Карта доставки: склад, маршрут и курьер" />
        <p class="legend small"><span class="lg wh"></span>Склад
          <span class="lg dest"></span>Адрес ${dest?.text ? `(${dest.text})` : ''}
          <span class="lg courier"></span>Курьер</p>
      </section>
      <section class="card" aria-labelledby="tl-h">
        <h2 id="tl-h" class="h3">Статус</h2>
        <${Timeline} order=${o} />
        <${Actions} order=${o} onDone=${replace} />
      </section>
    </div>
    <section class="card" aria-labelledby="lines-h">
      <h2 id="lines-h" class="h3">Состав заказа</h2>
      <ul class="summary-lines">${(o.lines ?? []).map((l) => html`<${Line}
        key=${l.product_id} line=${l} />`)}</ul>
      <div class="summary-row"><span>Итого</span>
        <strong class="price">${formatMoney(o.total)}</strong></div>
    </section>
    <p><a href="/orders">← Все заказы</a></p>
  </div>`;
}
