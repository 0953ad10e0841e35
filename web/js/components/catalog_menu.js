// "Каталог": the category tree from /api/v1/categories as a dropdown.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../html.js';
import { loadCategories } from '../catalog.js';
import { withQuery } from '../router.js';

/** The catalogue button and its panel (roots with their children). */
export function CatalogMenu() {
  const [open, setOpen] = useState(false);
  const [tree, setTree] = useState(null);
  const [failed, setFailed] = useState(false);
  const root = useRef(null);

  useEffect(() => {
    if (!open || tree) return;
    loadCategories().then(setTree, () => setFailed(true));
  }, [open]);

  useEffect(() => {
    if (!open) return undefined;
    const close = (e) => {
      if (e.type === 'keydown' ? e.key === 'Escape' : !root.current?.contains(e.target)) {
        setOpen(false);
      }
    };
    document.addEventListener('click', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('click', close);
      document.removeEventListener('keydown', close);
    };
  }, [open]);

  const link = (c) => withQuery('/search', { category: c.id });
  return html`<div class="catalog" ref=${root}>
    <button type="button" class="btn catalog-btn" aria-expanded=${open}
      aria-controls="catalog-panel" onClick=${() => setOpen(!open)}>
      <span aria-hidden="true">☰</span> Каталог</button>
    ${open && html`<nav id="catalog-panel" class="catalog-panel" aria-label="Каталог"
      onClick=${(e) => e.target.closest('a') && setOpen(false)}>
      ${failed && html`<p role="alert">Каталог сейчас недоступен</p>`}
      ${!tree && !failed && html`<p>Загрузка…</p>`}
      ${tree && html`<ul class="catalog-roots">
        ${tree.roots.map((r) => html`<li key=${r.id}>
          <a href=${link(r)} class="catalog-root">${r.name}</a>
          ${r.children.length > 0 && html`<ul>
            ${r.children.map((c) => html`<li key=${c.id}><a href=${link(c)}>${c.name}</a></li>`)}
          </ul>`}
        </li>`)}
      </ul>`}
    </nav>`}
  </div>`;
}
