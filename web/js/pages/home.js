// Home: a banner, the root categories and popular products.
import { html } from '../html.js';
import {
  loadCategories, categoryHue, categoryRoot, rememberProduct, fetchEarly,
} from '../catalog.js';
import { popularUrl } from '../routes.js';
import { useAsync } from '../use_async.js';
import { useTitle, withQuery } from '../router.js';
import { ProductGrid } from '../components/product_card.js';
import { ErrorBox, Loading } from '../components/error_box.js';

function Categories({ tree }) {
  return html`<section aria-labelledby="cats-h">
    <h2 id="cats-h">Категории</h2>
    <ul class="cat-tiles">
      ${tree.roots.map((c) => {
        const hue = categoryHue(tree, c.id);
        return html`<li key=${c.id}>
          <a class="cat-tile" href=${withQuery('/search', { category: c.id })}
            style=${`--hue: ${hue}`}>
            <span class="cat-name">${c.name}</span>
            ${c.children.length > 0 && html`<span class="cat-sub">
              ${c.children.slice(0, 3).map((x) => x.name).join(' · ')}</span>`}
          </a></li>`;
      })}
    </ul>
  </section>`;
}

/** The landing page. */
export function HomePage() {
  useTitle(null);
  const cats = useAsync(() => loadCategories(), []);
  const popular = useAsync(async () => {
    const d = await fetchEarly(popularUrl);
    (d?.items ?? []).forEach(rememberProduct);
    return d;
  }, []);
  const hueOf = (id) => categoryHue(cats.data, id);

  return html`<div class="page home">
    <section class="hero">
      <h1>Berry — всё для дома, жизни и радости</h1>
      <p>Сотни товаров со складов по всей Москве. Доставка курьером,
        которого видно на карте в реальном времени.</p>
      <a class="btn light" href="/search">Смотреть все товары</a>
    </section>
    ${cats.loading && html`<${Loading} />`}
    <${ErrorBox} error=${cats.error} onRetry=${cats.reload} />
    ${cats.data && html`<${Categories} tree=${cats.data} />`}
    <section aria-labelledby="pop-h" aria-busy=${popular.loading}>
      <h2 id="pop-h">Популярные товары</h2>
      ${popular.loading && html`<${Loading} />`}
      <${ErrorBox} error=${popular.error} onRetry=${popular.reload} />
      ${popular.data && html`<${ProductGrid} items=${popular.data.items ?? []}
        hueOf=${hueOf} kindOf=${(id) => categoryRoot(cats.data, id)} />`}
    </section>
  </div>`;
}
