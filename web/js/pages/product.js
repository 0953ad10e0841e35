// Product page: price, availability, description and "В корзину".
import { html } from '../html.js';
import { api, seg } from '../api.js';
import {
  loadCategories, categoryHue, categoryRoot, rememberProduct,
} from '../catalog.js';
import { useAsync } from '../use_async.js';
import { useStore } from '../store.js';
import { cart, addToCart } from '../cart.js';
import { useTitle, withQuery } from '../router.js';
import { formatMoney } from '../money.js';
import { Tile } from '../components/tile.js';
import { Availability } from '../components/product_card.js';
import { ErrorBox, Loading } from '../components/error_box.js';

function Crumbs({ tree, categoryId }) {
  const chain = [];
  for (let c = tree?.byId.get(categoryId); c && chain.length < 10;
    c = tree.byId.get(c.parent_id)) chain.unshift(c);
  return html`<nav class="crumbs" aria-label="Навигационная цепочка"><ol>
    <li><a href="/">Главная</a></li>
    ${chain.map((c) => html`<li key=${c.id}>
      <a href=${withQuery('/search', { category: c.id })}>${c.name}</a></li>`)}
  </ol></nav>`;
}

/** /product/{id} */
export function ProductPage({ id }) {
  const cats = useAsync(() => loadCategories().catch(() => null), []);
  const res = useAsync(async () => {
    const p = await api(`/api/v1/products/${seg(id)}`);
    rememberProduct(p);
    return p;
  }, [id]);
  const c = useStore(cart);
  const p = res.data;
  useTitle(p?.title ?? 'Товар');

  if (res.loading) return html`<${Loading} />`;
  if (res.error) {
    return html`<div class="page"><h1>Товар</h1>
      <${ErrorBox} error=${res.error.status === 404 ? 'Такого товара нет' : res.error}
        onRetry=${res.error.status === 404 ? null : res.reload} />
      <p><a href="/search">Перейти в каталог</a></p></div>`;
  }
  const inCart = c.lines.find((l) => l.product_id === p.id)?.qty ?? 0;
  return html`<div class="page product-page">
    <${Crumbs} tree=${cats.data} categoryId=${p.category_id} />
    <div class="product-layout">
      <${Tile} title=${p.title} hue=${categoryHue(cats.data, p.category_id)}
        kind=${categoryRoot(cats.data, p.category_id)} big />
      <div class="product-info">
        <h1>${p.title}</h1>
        <p class="muted small">Артикул ${p.id}</p>
        <section class="buy card" aria-label="Покупка">
          <div class="price big">${formatMoney(p.price)}</div>
          <${Availability} n=${p.available} />
          <button type="button" class="btn primary wide" disabled=${!(p.available > 0)}
            onClick=${() => addToCart(p)}>В корзину</button>
          ${inCart > 0 && html`<p class="small">В корзине: ${inCart} шт.${' '}
            <a href="/cart">Перейти в корзину</a></p>`}
        </section>
        <section aria-labelledby="desc-h">
          <h2 id="desc-h" class="h3">Описание</h2>
          <p class="description">${p.description || 'Описание пока не добавлено.'}</p>
        </section>
      </div>
    </div>
  </div>`;
}
