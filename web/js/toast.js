// Short notices ("Добавлено в корзину", errors) read out by an aria-live region.
import { createStore } from './store.js';

/** {items: [{id, text, kind}]} */
export const toasts = createStore({ items: [] });

let next = 1;

/** Shows `text` for a few seconds; kind is "info" or "error". */
export function toast(text, kind = 'info') {
  const id = next++;
  toasts.set((s) => ({ items: [...s.items.slice(-3), { id, text, kind }] }));
  setTimeout(() => dismiss(id), kind === 'error' ? 6000 : 3500);
}

/** Hides one notice. */
export function dismiss(id) {
  toasts.set((s) => ({ items: s.items.filter((t) => t.id !== id) }));
}
