// Search: full text, category and price filters, sorting and paging; the
// URL holds the state (/search?q=..&category=..&min_price=..&page=2).
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { api } from '../api.js';
import {
  loadCategories, categoryHue, categoryRoot, rememberProduct,
} from '../catalog.js';
import { useAsync } from '../use_async.js';
import { navigate, useTitle, withQuery } from '../router.js';
import { kopecksToRubles, plural, rublesToKopecks } from '../money.js';
import { ProductGrid } from '../components/product_card.js';
import { Pager } from '../components/pager.js';
import { ErrorBox, Loading } from '../components/error_box.js';
import { categoryOptions } from '../components/category_options.js';

const PAGE_SIZE = 20;
const SORTS = [
  ['', 'По умолчанию'], ['price_asc', 'Сначала дешёвые'],
  ['price_desc', 'Сначала дорогие'], ['title', 'По названию'],
];

// The server sorts and pages (sort=price_asc|price_desc|title), so page 2 of
// "cheapest first" continues page 1.
async function search(params) {
  const d = await api(withQuery('/api/v1/products', { ...params, page_size: PAGE_SIZE }));
  (d?.items ?? []).forEach(rememberProduct);
  return d;
}

// On a phone the filters wait behind a «Фильтры» button (CSS shows the
// button and hides the closed form below 820 px); on a desktop both are open.
function Filters({ params, tree, onApply }) {
  const [open, setOpen] = useState(false);
  const [cat, setCat] = useState(params.category);
  const [min, setMin] = useState(kopecksToRubles(params.min_price));
  const [max, setMax] = useState(kopecksToRubles(params.max_price));
  useEffect(() => {
    setCat(params.category);
    setMin(kopecksToRubles(params.min_price));
    setMax(kopecksToRubles(params.max_price));
  }, [params.category, params.min_price, params.max_price]);
  const [priceError, setPriceError] = useState(null);
  const submit = (e) => {
    e.preventDefault();
    const lo = rublesToKopecks(min);
    const hi = rublesToKopecks(max);
    if (lo != null && hi != null && lo > hi) {
      setPriceError('Цена «от» больше цены «до»: поменяйте их местами или исправьте одну');
      return;
    }
    setPriceError(null);
    setOpen(false);
    onApply({ category: cat, min_price: lo ?? '', max_price: hi ?? '' });
  };
  const reset = () => { setOpen(false); onApply({ category: '', min_price: '', max_price: '' }); };
  const active = [params.category, params.min_price, params.max_price].filter(Boolean).length;
  return html`<div class="filters-box">
  <button type="button" class="btn filters-toggle" aria-expanded=${open ? 'true' : 'false'}
    aria-controls="filters" onClick=${() => setOpen(!open)}>
    Фильтры${active ? ` (${active})` : ''}</button>
  <form id="filters" class=${`filters card${open ? ' open' : ''}`} onSubmit=${submit}
    aria-label="Фильтры">
    <h2 class="h3">Фильтры</h2>
    <label for="f-cat">Категория</label>
    <select id="f-cat" value=${cat} onChange=${(e) => setCat(e.target.value)}>
      <option value="">Все категории</option>
      ${categoryOptions(tree)}
    </select>
    <fieldset class="price-range"><legend>Цена, ₽</legend>
      <label for="f-min" class="sr-only">Цена от, ₽</label>
      <input id="f-min" inputmode="decimal" placeholder="от" value=${min}
        onInput=${(e) => setMin(e.target.value)} />
      <label for="f-max" class="sr-only">Цена до, ₽</label>
      <input id="f-max" inputmode="decimal" placeholder="до" value=${max}
        aria-invalid=${priceError ? 'true' : 'false'}
        onInput=${(e) => setMax(e.target.value)} />
    </fieldset>
    ${priceError && html`<p class="stock out small" role="alert">${priceError}</p>`}
    <div class="row">
      <button type="submit" class="btn primary">Применить</button>
      <button type="button" class="btn" onClick=${reset}>Сбросить</button>
    </div>
  </form></div>`;
}

/** What the results bar says: the count, or that this page is past the end. */
function resultsStatus(data, page) {
  if (!data) return '';
  const about = data.total_is_estimate ? 'около ' : '';
  const found = `${about}${data.total} ${plural(data.total, ['товар', 'товара', 'товаров'])}`;
  if (data.items.length === 0 && data.total > 0) return `На странице ${page} товаров нет`;
  return `Найдено ${found}`;
}

/** A page number past the last page: says so and links back. */
function PastTheEnd({ data, page, href }) {
  const last = Math.max(1, Math.ceil(data.total / PAGE_SIZE));
  return html`<div class="empty card">
    <p>Страницы ${page} нет: ${data.total} ${plural(data.total, ['товар', 'товара', 'товаров'])}
      уместились на ${last} ${plural(last, ['странице', 'страницах', 'страницах'])}.</p>
    <p><a class="btn" href=${href(last)}>К последней странице (${last})</a>${' '}
      <a class="btn" href=${href(1)}>К первой странице</a></p>
  </div>`;
}

/** The search page. */
export function SearchPage({ query }) {
  const params = {
    q: query.get('q') ?? '', category: query.get('category') ?? '',
    min_price: query.get('min_price') ?? '', max_price: query.get('max_price') ?? '',
    sort: query.get('sort') ?? '', page: Math.max(1, Number(query.get('page')) || 1),
  };
  const key = JSON.stringify(params);
  const cats = useAsync(() => loadCategories(), []);
  const res = useAsync(() => search(params), [key]);
  const go = (patch) => navigate(withQuery('/search', { ...params, page: '', ...patch }));
  const pageHref = (n) => withQuery('/search', { ...params, page: n > 1 ? n : '' });
  const catName = cats.data?.byId.get(params.category)?.name;
  const heading = params.q ? `Результаты по запросу «${params.q}»` : catName ?? 'Все товары';
  useTitle(heading);

  return html`<div class="page search-page">
    <h1>${heading}</h1>
    <div class="search-layout">
      <${Filters} params=${params} tree=${cats.data} onApply=${go} />
      <section class="results" aria-labelledby="res-h" aria-busy=${res.loading}>
        <div class="results-bar">
          <p id="res-h" role="status">${resultsStatus(res.data, params.page)}</p>
          <label for="sort">Сортировка</label>
          <select id="sort" value=${params.sort} onChange=${(e) => go({ sort: e.target.value })}>
            ${SORTS.map(([v, t]) => html`<option value=${v}>${t}</option>`)}
          </select>
        </div>
        ${res.loading && html`<${Loading} />`}
        <${ErrorBox} error=${res.error} onRetry=${res.reload} />
        ${res.data && res.data.items.length === 0 && res.data.total === 0 && html`<p class="empty">
          Ничего не нашлось. Попробуйте изменить запрос или фильтры.</p>`}
        ${res.data && res.data.items.length === 0 && res.data.total > 0 && html`<${PastTheEnd}
          data=${res.data} page=${params.page} href=${pageHref} />`}
        ${res.data && html`<${ProductGrid} items=${res.data.items}
          hueOf=${(id) => categoryHue(cats.data, id)}
          kindOf=${(id) => categoryRoot(cats.data, id)} />`}
        ${res.data && html`<${Pager} page=${params.page} pageSize=${PAGE_SIZE}
          total=${res.data.total ?? 0}
          href=${pageHref} />`}
      </section>
    </div>
  </div>`;
}
