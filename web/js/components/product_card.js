// A product in a grid: tile, price, availability and "В корзину".
import { html } from '../html.js';
import { formatMoney } from '../money.js';
import { addToCart } from '../cart.js';
import { Tile } from './tile.js';

/** "в наличии N шт." or "нет в наличии". */
export function Availability({ n }) {
  return n > 0
    ? html`<span class="stock in">в наличии ${n} шт.</span>`
    : html`<span class="stock out">нет в наличии</span>`;
}

/** One card; `hue` colours the tile by category, `kind` picks its picture. */
export function ProductCard({ product, hue, kind }) {
  const href = `/product/${encodeURIComponent(product.id)}`;
  const out = !(product.available > 0);
  return html`<article class="card product-card">
    <a href=${href} class="card-link" tabindex="-1" aria-hidden="true">
      <${Tile} title=${product.title} hue=${hue} kind=${kind} />
    </a>
    <div class="price">${formatMoney(product.price)}</div>
    <h3 class="title"><a href=${href}>${product.title}</a></h3>
    <${Availability} n=${product.available} />
    <button type="button" class="btn primary" disabled=${out}
      aria-label=${`В корзину: ${product.title}`}
      onClick=${() => addToCart(product)}>В корзину</button>
  </article>`;
}

/** The responsive grid of cards. */
export function ProductGrid({ items, hueOf, kindOf }) {
  return html`<div class="grid">
    ${items.map((p) => html`<${ProductCard} key=${p.id} product=${p}
      hue=${hueOf ? hueOf(p.category_id) : 300} kind=${kindOf?.(p.category_id)} />`)}
  </div>`;
}
