// Stock per warehouse: products down, warehouses across, each cell editable.
// A page of the table is one request (GET /api/v1/admin/stock); a cell saves
// with PUT /api/v1/warehouses/{wid}/stock/{product_id}, and its row's
// «доступно» is read again after. Products are created and edited here too.
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { api, seg } from '../api.js';
import { forgetProduct, getProduct, loadCategories } from '../catalog.js';
import { useAsync } from '../use_async.js';
import { withQuery } from '../router.js';
import { formatMoney } from '../money.js';
import { ErrorBox, Loading } from './error_box.js';
import { ProductForm } from './admin_product.js';

const PAGE_SIZE = 10;
/** The most a warehouse holds of one product (the API refuses more). */
const MAX_ON_HAND = 10000000;

const stockUrl = (wid, pid) => `/api/v1/warehouses/${seg(wid)}/stock/${seg(pid)}`;

function StockCell({ w, p, start, onSaved }) {
  const [level, setLevel] = useState(start);
  const [text, setText] = useState(String(start.on_hand));
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const dirty = text !== String(level.on_hand);
  const save = async (e) => {
    e.preventDefault();
    const t = text.trim();
    const n = Number(t);
    if (t === '') { setError('Введите остаток: целое число от 0 до 10 000 000'); return; }
    if (!/^\d+$/.test(t) || n > MAX_ON_HAND) {
      setError('Остаток — целое число от 0 до 10 000 000');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const d = await api(stockUrl(w.id, p.id), { method: 'PUT', body: { on_hand: n } });
      setLevel(d);
      setText(String(d.on_hand));
      forgetProduct(p.id);
      onSaved();
    } catch (err) { setError(err); }
    setBusy(false);
  };
  const id = `st-${w.id}-${p.id}`.replace(/[^\w-]/g, '_');
  return html`<td><form class="stock-cell" onSubmit=${save}>
    <label for=${id} class="sr-only">Остаток: ${w.name} — ${p.title}</label>
    <input id=${id} type="number" min="0" max=${MAX_ON_HAND} step="1"
      aria-invalid=${error ? 'true' : 'false'} value=${text} disabled=${busy}
      onInput=${(e) => setText(e.target.value)} />
    ${dirty && html`<button type="submit" class="btn small primary" disabled=${busy}>
      Сохранить</button>`}
    ${level.reserved > 0 && html`<span class="muted small">резерв ${level.reserved}</span>`}
    ${error && html`<span class="stock out small" role="alert">
      ${typeof error === 'string' ? error : error.message}</span>`}
  </form></td>`;
}

/** One product's row; «доступно» is read again after every save. */
function StockRow({ item, warehouses, onEdit }) {
  const p = item.product;
  const [available, setAvailable] = useState(p.available);
  const refresh = () => getProduct(p.id).then((d) => setAvailable(d.available), () => {});
  const level = (wid) => item.stock.find((s) => s.warehouse_id === wid) ?? { on_hand: 0, reserved: 0 };
  return html`<tr>
    <th scope="row"><a href=${`/product/${encodeURIComponent(p.id)}`}>${p.title}</a>
      <span class="muted small"> ${p.id}, ${formatMoney(p.price)},${' '}
        <span class="avail">доступно ${available}</span></span>
      <button type="button" class="btn small" aria-label=${`Изменить: ${p.title}`}
        onClick=${() => onEdit(p)}>Изменить</button></th>
    ${warehouses.map((w) => html`<${StockCell} key=${w.id} w=${w} p=${p}
      start=${level(w.id)} onSaved=${refresh} />`)}
  </tr>`;
}

/** The stock table with its own product search, paging and product editor. */
export function AdminStock({ warehouses }) {
  const [q, setQ] = useState('');
  const [applied, setApplied] = useState('');
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState(undefined); // undefined: closed, null: new
  const [notice, setNotice] = useState(null);
  const cats = useAsync(() => loadCategories(), []);
  const res = useAsync(() => api(withQuery('/api/v1/admin/stock',
    { q: applied, page, page_size: PAGE_SIZE })), [applied, page]);
  const total = res.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const saved = (p) => {
    setNotice(`Товар «${p.title}» сохранён`);
    setEditing(undefined);
    res.reload();
  };
  return html`<section class="admin-block" aria-labelledby="stock-h">
    <h2 id="stock-h">Остатки по складам</h2>
    <div class="row">
      <form class="row" role="search" onSubmit=${(e) => { e.preventDefault(); setPage(1); setApplied(q.trim()); }}>
        <label for="stock-q">Товар</label>
        <input id="stock-q" type="search" value=${q} placeholder="Название товара"
          onInput=${(e) => setQ(e.target.value)} />
        <button type="submit" class="btn">Найти</button>
      </form>
      <button type="button" class="btn primary" onClick=${() => { setNotice(null); setEditing(null); }}>
        Новый товар</button>
    </div>
    ${notice && html`<p class="stock in" role="status">${notice}</p>`}
    ${editing !== undefined && html`<${ProductForm} key=${editing?.id ?? 'new'}
      product=${editing} tree=${cats.data} onSaved=${saved}
      onCancel=${() => setEditing(undefined)} />`}
    ${res.loading && html`<${Loading} />`}
    <${ErrorBox} error=${res.error} onRetry=${res.reload} />
    ${res.data && html`<div class="table-wrap"><table class="stock-table">
      <caption class="sr-only">Остатки: товары по строкам, склады по столбцам</caption>
      <thead><tr><th scope="col">Товар</th>
        ${warehouses.map((w) => html`<th scope="col" key=${w.id}>${w.name}</th>`)}</tr></thead>
      <tbody>${(res.data.items ?? []).map((item) => html`<${StockRow}
        key=${`${item.product.id}-${item.product.title}-${item.product.price.amount}`}
        item=${item} warehouses=${warehouses}
        onEdit=${(p) => { setNotice(null); setEditing(p); }} />`)}</tbody>
    </table></div>
    <div class="row">
      <button type="button" class="btn" disabled=${page <= 1}
        onClick=${() => setPage(page - 1)}>← Назад</button>
      <span>Страница ${page} из ${pages}</span>
      <button type="button" class="btn" disabled=${page >= pages}
        onClick=${() => setPage(page + 1)}>Вперёд →</button>
    </div>`}
  </section>`;
}
