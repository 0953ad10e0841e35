// Stock per warehouse: products down, warehouses across, each cell editable
// (GET/PUT /api/v1/warehouses/{wid}/stock/{product_id}).
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { api, seg } from '../api.js';
import { forgetProduct, getProduct } from '../catalog.js';
import { useAsync } from '../use_async.js';
import { withQuery } from '../router.js';
import { ErrorBox, Loading } from './error_box.js';

const PAGE_SIZE = 10;
/** The most a warehouse holds of one product (the API refuses more). */
const MAX_ON_HAND = 10000000;
let running = 0;
const waiting = [];

// At most four stock requests at a time, to stay under the rate limit.
function limited(fn) {
  return new Promise((resolve, reject) => {
    const go = () => {
      running++;
      fn().then(resolve, reject).finally(() => {
        running--;
        waiting.shift()?.();
      });
    };
    if (running < 4) go(); else waiting.push(go);
  });
}

const stockUrl = (wid, pid) => `/api/v1/warehouses/${seg(wid)}/stock/${seg(pid)}`;

function StockCell({ w, p, onSaved }) {
  const [level, setLevel] = useState(null);
  const [text, setText] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    limited(() => api(stockUrl(w.id, p.id))).then(
      (d) => { setLevel(d); setText(String(d.on_hand)); },
      (e) => {
        if (e.status === 404) { setLevel({ on_hand: 0, reserved: 0, none: true }); setText('0'); }
        else setError(e);
      });
  }, [w.id, p.id]);
  const dirty = level && text !== String(level.on_hand);
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
  if (!level && !error) return html`<td class="muted">…</td>`;
  return html`<td><form class="stock-cell" onSubmit=${save}>
    <label for=${id} class="sr-only">Остаток: ${w.name} — ${p.title}</label>
    <input id=${id} type="number" min="0" max=${MAX_ON_HAND} step="1"
      aria-invalid=${error ? 'true' : 'false'} value=${text} disabled=${busy || !level}
      onInput=${(e) => setText(e.target.value)} />
    ${dirty && html`<button type="submit" class="btn small primary" disabled=${busy}>
      Сохранить</button>`}
    ${level && level.reserved > 0 && html`<span class="muted small">резерв ${level.reserved}</span>`}
    ${error && html`<span class="stock out small" role="alert">
      ${typeof error === 'string' ? error : error.message}</span>`}
  </form></td>`;
}

/** One product's row; «доступно» is read again after every save. */
function StockRow({ p, warehouses }) {
  const [available, setAvailable] = useState(p.available);
  const refresh = () => getProduct(p.id).then((d) => setAvailable(d.available), () => {});
  return html`<tr>
    <th scope="row"><a href=${`/product/${encodeURIComponent(p.id)}`}>${p.title}</a>
      <span class="muted small"> ${p.id}, доступно ${available}</span></th>
    ${warehouses.map((w) => html`<${StockCell} key=${w.id} w=${w} p=${p} onSaved=${refresh} />`)}
  </tr>`;
}

/** The stock table with its own product search and paging. */
export function AdminStock({ warehouses }) {
  const [q, setQ] = useState('');
  const [applied, setApplied] = useState('');
  const [page, setPage] = useState(1);
  const res = useAsync(() => api(withQuery('/api/v1/products',
    { q: applied, page, page_size: PAGE_SIZE })), [applied, page]);
  const total = res.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  return html`<section class="admin-block" aria-labelledby="stock-h">
    <h2 id="stock-h">Остатки по складам</h2>
    <form class="row" role="search" onSubmit=${(e) => { e.preventDefault(); setPage(1); setApplied(q.trim()); }}>
      <label for="stock-q">Товар</label>
      <input id="stock-q" type="search" value=${q} placeholder="Название товара"
        onInput=${(e) => setQ(e.target.value)} />
      <button type="submit" class="btn">Найти</button>
    </form>
    ${res.loading && html`<${Loading} />`}
    <${ErrorBox} error=${res.error} onRetry=${res.reload} />
    ${res.data && html`<div class="table-wrap"><table class="stock-table">
      <caption class="sr-only">Остатки: товары по строкам, склады по столбцам</caption>
      <thead><tr><th scope="col">Товар</th>
        ${warehouses.map((w) => html`<th scope="col" key=${w.id}>${w.name}</th>`)}</tr></thead>
      <tbody>${(res.data.items ?? []).map((p) => html`<${StockRow} key=${p.id} p=${p}
        warehouses=${warehouses} />`)}</tbody>
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
