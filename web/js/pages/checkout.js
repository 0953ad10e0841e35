// Checkout: order summary, delivery address, a test "card" and "Оплатить".
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { useStore, loadJson, saveJson } from '../store.js';
import { session } from '../session.js';
import { cart, cartTotal, refreshCart, clearCart } from '../cart.js';
import { getProduct, forgetProduct, loadWarehouses } from '../catalog.js';
import { placeOrder, runningPayment, resumePayment } from '../checkout.js';
import { useAsync } from '../use_async.js';
import { navigate, useTitle } from '../router.js';
import { formatMoney } from '../money.js';
import { toast } from '../toast.js';
import { AddressPicker, addressProblem } from '../components/address_picker.js';
import { ErrorBox } from '../components/error_box.js';

/** The test payment tokens of the built-in provider, shown as cards. */
export const CARDS = [
  { token: 'tok_ok', label: 'Карта •••• 4242 (одобрит)' },
  { token: 'tok_decline', label: 'Карта •••• 0002 (отклонит)' },
  { token: 'tok_slow', label: 'Карта •••• 3000 (медленный банк)' },
  { token: 'tok_flaky', label: 'Карта •••• 5555 (сбой и повтор)' },
];

function Summary({ lines }) {
  return html`<ul class="summary-lines">
    ${lines.map((l) => html`<${SummaryLine} key=${l.product_id} line=${l} />`)}
  </ul>`;
}

function SummaryLine({ line }) {
  const p = useAsync(() => getProduct(line.product_id), [line.product_id]);
  return html`<li><span>${p.data?.title ?? line.product_id}</span>
    <span class="muted">× ${line.qty}</span></li>`;
}

function Cards({ value, onChange }) {
  return html`<fieldset class="cards card">
    <legend>Способ оплаты</legend>
    ${CARDS.map((c) => html`<label key=${c.token}
      class=${`pay-card${value === c.token ? ' selected' : ''}`}>
      <input type="radio" name="card" value=${c.token} checked=${value === c.token}
        onChange=${() => onChange(c.token)} />
      <span>${c.label}</span></label>`)}
  </fieldset>`;
}

/** /checkout */
export function CheckoutPage() {
  useTitle('Оформление заказа');
  const s = useStore(session);
  const c = useStore(cart);
  const wh = useAsync(() => loadWarehouses(), [s.token]);
  const [addr, setAddr] = useState(loadJson('berry.last-address', { lat: '', lon: '', text: '' }));
  const [card, setCard] = useState('tok_ok');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  // A payment this tab started before a reload: join it, never pay twice.
  const [running] = useState(() => runningPayment(s.user_id));
  const paying = busy || Boolean(running && !error);

  const done = async (r, local) => {
    if (local) await clearCart();
    else await refreshCart();
    toast(r.status === 201 ? 'Заказ оформлен и оплачен' : 'Заказ принят, ждём подтверждения оплаты');
    navigate(`/orders/${encodeURIComponent(r.order.id)}`);
  };
  const failed = (err, lines) => {
    setError(err);
    setBusy(false);
    if (err.slug === 'out-of-stock' || err.status === 409) {
      lines.forEach((l) => forgetProduct(l.product_id));
      refreshCart();
    }
  };
  useEffect(() => {
    if (!running) return;
    resumePayment(running).then((r) => done(r, Boolean(running.body.lines)),
      (err) => failed(err, running.body.lines ?? []));
  }, [running]);

  if (!s.token) {
    return html`<div class="page narrow"><h1>Оформление заказа</h1>
      <p class="card">Чтобы оформить заказ, <a href="/login?next=/checkout">войдите</a>${' '}
      или <a href="/register?next=/checkout">зарегистрируйтесь</a>.</p></div>`;
  }
  if (c.lines.length === 0 && !paying) {
    return html`<div class="page narrow"><h1>Оформление заказа</h1>
      <p class="card">Корзина пуста. <a href="/search">Выбрать товары</a></p></div>`;
  }

  const pay = async (e) => {
    e.preventDefault();
    const problem = addressProblem(addr);
    if (problem) { setError(problem); return; }
    setError(null);
    setBusy(true);
    const address = { lat: Number(addr.lat), lon: Number(addr.lon), text: addr.text.trim() };
    const body = { address, payment: { method: 'card', token: card } };
    const lines = c.lines.map(({ product_id, qty }) => ({ product_id, qty }));
    // The server checks out its own cart; a local cart is sent as lines.
    if (c.mode === 'local') body.lines = lines;
    try {
      saveJson('berry.last-address', addr);
      const r = await placeOrder(body, JSON.stringify([s.user_id, body, lines]), s.user_id);
      await done(r, c.mode === 'local');
    } catch (err) {
      failed(err, lines);
    }
  };

  return html`<div class="page checkout-page">
    <h1>Оформление заказа</h1>
    <form class="checkout-layout" onSubmit=${pay} aria-busy=${paying}>
      <div class="checkout-main">
        <${AddressPicker} value=${addr} onChange=${setAddr} warehouses=${wh.data ?? []} />
        <${Cards} value=${card} onChange=${setCard} />
      </div>
      <aside class="summary card" aria-label="Ваш заказ">
        <h2 class="h3">Ваш заказ</h2>
        <${Summary} lines=${c.lines} />
        <div class="summary-row"><span>Итого</span>
          <strong class="price">${formatMoney(cartTotal(c))}</strong></div>
        <${ErrorBox} error=${error} />
        ${error?.slug === 'payment-declined' && html`<p class="small">
          Выберите другую карту и попробуйте ещё раз.</p>`}
        ${paying && html`<p role="status" class="small">
          ${running ? 'Оплата обрабатывается…' : 'Оплачиваем заказ…'}</p>`}
        <button type="submit" class="btn primary wide" disabled=${paying}>Оплатить</button>
        <a href="/cart" class="small">Вернуться в корзину</a>
      </aside>
    </form>
  </div>`;
}
