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
import {
  label, canCancel, canReturn, etaText, formatTime, isFinal, reasonText,
} from '../order_status.js';
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

const ASK = {
  cancel: { button: 'Отменить заказ', question: 'Отменить заказ? Деньги вернутся на карту.',
    yes: 'Да, отменить', no: 'Не отменять' },
  return: { button: 'Вернуть заказ', question: 'Оформить возврат? Деньги вернутся на карту.',
    yes: 'Да, вернуть', no: 'Не возвращать' },
};

/** Cancel and return, each asked once more before it is done. */
function Actions({ order, onDone }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [asking, setAsking] = useState(null);
  const act = async (what) => {
    setBusy(true);
    setError(null);
    setAsking(null);
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
  const allowed = [canCancel(order.status) && 'cancel', canReturn(order.status) && 'return']
    .filter(Boolean);
  const ask = asking && allowed.includes(asking) ? ASK[asking] : null;
  return html`<div class="actions">
    <${ErrorBox} error=${error} />
    ${ask ? html`<div class="confirm" role="group" aria-label=${ask.question}>
        <p>${ask.question}</p>
        <button type="button" class="btn danger" disabled=${busy}
          onClick=${() => act(asking)}>${ask.yes}</button>
        <button type="button" class="btn" onClick=${() => setAsking(null)}>${ask.no}</button>
      </div>`
      : allowed.map((what) => html`<button type="button" key=${what}
          class=${what === 'cancel' ? 'btn danger' : 'btn'} disabled=${busy}
          onClick=${() => setAsking(what)}>${ASK[what].button}</button>`)}
  </div>`;
}

/** The tracking page. */
export function OrderPage({ id }) {
  const s = useStore(session);
  const [t, replace] = useOrderTracking(id, s.token);
  const number = t.order?.number;
  useTitle(number != null ? `Заказ № ${number}` : 'Заказ');
  const wh = useAsync(() => loadWarehouses(), [s.token]);
  if (!s.token) {
    return html`<div class="page narrow"><h1>Заказ</h1><p class="card">
      <a href=${`/login?next=/orders/${encodeURIComponent(id)}`}>Войдите</a>,
      чтобы следить за заказом.</p></div>`;
  }
  if (!t.order) {
    return html`<div class="page"><h1>Заказ</h1>
      ${t.error ? html`<${ErrorBox} error=${t.error.status === 404 ? 'Заказ не найден' : t.error} />`
        : html`<${Loading} />`}
      <p><a href="/orders">Все заказы</a></p></div>`;
  }
  const o = t.order;
  const dest = o.address ?? loadJson(`berry.order-address.${o.id}`, null);
  // A cancelled or returned order goes nowhere: no route from its warehouses.
  const moving = o.status !== 'cancelled' && o.status !== 'returned';
  const origins = new Set(moving
    ? (o.lines ?? []).map((l) => l.warehouse_id).filter(Boolean) : []);
  const eta = ['courier_assigned', 'picked_up'].includes(o.status) ? etaText(t.eta) : null;
  // Before pickup the courier still has to call at the order's warehouses.
  const via = ['paid', 'packed', 'courier_assigned'].includes(o.status)
    ? (o.warehouses ?? []).map((w) => w.location) : [];

  return html`<div class="page order-page">
    <h1>${number != null ? `Заказ № ${number}` : 'Заказ'}</h1>
    <p class="muted">от ${formatTime(o.created_at)} · <span class="order-id">${o.id}</span></p>
    <div class="order-head card">
      <span class=${`status-badge s-${o.status}`} aria-live="polite">${label(o.status)}</span>
      ${eta && html`<span class="eta" aria-live="polite">Курьер приедет через ${eta}</span>`}
      ${!isFinal(o.status) && html`<span class=${`conn ${t.conn}`} role="status">
        ${CONN[t.conn] ?? ''}</span>`}
      ${o.cancel_reason && html`<span class="muted">Причина отмены: ${reasonText(o.cancel_reason)}</span>`}
    </div>
    <div class="order-layout">
      <section class="card map-card" aria-labelledby="map-h">
        <h2 id="map-h" class="h3">Где заказ</h2>
        <${CityMap} warehouses=${o.warehouses?.length ? o.warehouses : (wh.data ?? [])}
          highlight=${origins} destination=${dest}
          courier=${moving ? t.courier : null} trail=${moving ? t.trail : []} via=${via}
          label="Карта доставки: склад, маршрут и курьер" />
        <p class="legend small"><span class="lg wh"></span>Склад${' '}
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
