// Cart: lines with quantities, line sums, the total and "Оформить заказ".
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { useStore } from '../store.js';
import { cart, cartCount, cartTotal, clearCart, setQty } from '../cart.js';
import { session } from '../session.js';
import { getProduct } from '../catalog.js';
import { useAsync } from '../use_async.js';
import { navigate, useTitle } from '../router.js';
import { formatMoney, kopecks, plural } from '../money.js';
import { toast } from '../toast.js';
import { Tile } from '../components/tile.js';
import { Qty } from '../components/qty.js';

function CartLine({ line, busy, onQty, onRemove }) {
  const p = useAsync(() => getProduct(line.product_id), [line.product_id]);
  const title = p.data?.title ?? (p.error ? `Товар ${line.product_id}` : '…');
  const price = line.unit_price ?? p.data?.price;
  const href = `/product/${encodeURIComponent(line.product_id)}`;
  const max = Math.min(99, Math.max(line.qty, p.data?.available ?? 99));
  const limit = max < 99 ? `в наличии только ${max} шт.` : 'не больше 99 штук одного товара';
  return html`<li class="cart-line card">
    <a href=${href} class="cart-tile" tabindex="-1"><${Tile} title=${title} /></a>
    <div class="cart-line-info">
      <a href=${href} class="title">${title}</a>
      <span class="muted small">${price ? `${formatMoney(price)} за шт.` : ''}</span>
      ${p.data && p.data.available < line.qty && html`<span class="stock out">
        В наличии только ${p.data.available} шт.</span>`}
    </div>
    <${Qty} value=${line.qty} name=${title} disabled=${busy} max=${max} limit=${limit}
      onChange=${(n) => onQty(line, n, price)} />
    <div class="line-sum">${price ? formatMoney(kopecks(price) * line.qty) : ''}</div>
    <button type="button" class="btn danger remove" disabled=${busy}
      aria-label=${`Удалить: ${title}`} onClick=${() => onRemove(line, price)}>
      <span aria-hidden="true">✕</span> Удалить</button>
  </li>`;
}

/** A line just removed, with «Вернуть» to put it back as it was. */
function RemovedLine({ item, busy, onRestore }) {
  const p = useAsync(() => getProduct(item.line.product_id), [item.line.product_id]);
  const title = p.data?.title ?? `Товар ${item.line.product_id}`;
  return html`<li class="removed-line">
    <span>«${title}» удалён из корзины.</span>
    <button type="button" class="btn" disabled=${busy}
      aria-label=${`Вернуть: ${title}`} onClick=${() => onRestore([item])}>Вернуть</button>
  </li>`;
}

/** The lines removed on this page, each with «Вернуть» (and all at once). */
function Removed({ items, busy, onRestore }) {
  if (items.length === 0) return null;
  return html`<section class="removed card" aria-label="Удалённые товары">
    <ul class="removed-lines">
      ${items.map((it) => html`<${RemovedLine} key=${it.line.product_id} item=${it}
        busy=${busy} onRestore=${onRestore} />`)}
    </ul>
    ${items.length > 1 && html`<button type="button" class="btn" disabled=${busy}
      onClick=${() => onRestore(items)}>Вернуть всё</button>`}
  </section>`;
}

/** /cart */
export function CartPage() {
  useTitle('Корзина');
  const c = useStore(cart);
  const s = useStore(session);
  const [busy, setBusy] = useState(false);
  const n = cartCount(c);

  const run = async (fn) => {
    setBusy(true);
    try { await fn(); } catch (e) { toast(e.message, 'error'); }
    setBusy(false);
  };
  const [removed, setRemoved] = useState([]);
  const onQty = (line, q, price) => run(() => setQty(line.product_id, q, price));
  const forget = (ids) => setRemoved((r) => r.filter((x) => !ids.includes(x.line.product_id)));
  const remember = (items) => setRemoved((r) => [
    ...r.filter((x) => !items.some((i) => i.line.product_id === x.line.product_id)), ...items]);
  const onRemove = (line, price) => run(async () => {
    await setQty(line.product_id, 0, price);
    remember([{ line, price }]);
  });
  const onClear = () => run(async () => {
    const items = c.lines.map((line) => ({ line, price: line.unit_price }));
    await clearCart();
    remember(items);
  });
  const onRestore = (items) => run(async () => {
    for (const it of items) {
      await setQty(it.line.product_id, it.line.qty, it.price);
      forget([it.line.product_id]);
    }
  });
  const removedBox = html`<${Removed} items=${removed} busy=${busy} onRestore=${onRestore} />`;
  const checkout = () => navigate(s.token ? '/checkout' : '/login?next=/checkout');

  if (c.lines.length === 0) {
    return html`<div class="page"><h1>Корзина</h1>
      ${removedBox}
      <div class="empty card"><p>В корзине пока пусто.</p>
        <a class="btn primary" href="/search">Перейти к покупкам</a></div></div>`;
  }
  return html`<div class="page cart-page">
    <h1>Корзина <span class="muted">${n} ${plural(n, ['товар', 'товара', 'товаров'])}</span></h1>
    <div class="cart-layout">
      <div class="cart-main">
      <ul class="cart-lines" aria-busy=${busy}>
        ${c.lines.map((l) => html`<${CartLine} key=${l.product_id} line=${l}
          busy=${busy} onQty=${onQty} onRemove=${onRemove} />`)}
      </ul>
      ${removedBox}
      </div>
      <aside class="summary card" aria-label="Итого">
        <div class="summary-row"><span>Итого</span>
          <strong class="price">${formatMoney(cartTotal(c))}</strong></div>
        <p class="muted small">Цены уточняются по каталогу при оформлении.</p>
        <button type="button" class="btn primary wide" onClick=${checkout}>
          Оформить заказ</button>
        ${!s.token && html`<p class="small">Для оформления нужно${' '}
          <a href="/login?next=/checkout">войти</a>.</p>`}
        <button type="button" class="btn wide" disabled=${busy}
          onClick=${onClear}>Очистить корзину</button>
        <p class="muted small">Удалённые товары можно вернуть, пока вы на этой странице.</p>
      </aside>
    </div>
  </div>`;
}
