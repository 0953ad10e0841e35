// Page links for search results.
import { html } from '../html.js';

/** Pages 1..ceil(total/size) around `page`; `href(n)` builds each link. */
export function Pager({ page, pageSize, total, href }) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1) return null;
  const nums = new Set([1, pages]);
  for (let n = page - 2; n <= page + 2; n++) if (n >= 1 && n <= pages) nums.add(n);
  const list = [...nums].sort((a, b) => a - b);
  const out = [];
  list.forEach((n, i) => {
    if (i > 0 && n - list[i - 1] > 1) out.push(html`<span class="gap">…</span>`);
    out.push(n === page
      ? html`<span class="page current" aria-current="page">${n}</span>`
      : html`<a class="page" href=${href(n)} aria-label=${`Страница ${n}`}>${n}</a>`);
  });
  return html`<nav class="pager" aria-label="Страницы">
    ${page > 1 && html`<a class="page" href=${href(page - 1)}>← Назад</a>`}
    ${out}
    ${page < pages && html`<a class="page" href=${href(page + 1)}>Вперёд →</a>`}
  </nav>`;
}
