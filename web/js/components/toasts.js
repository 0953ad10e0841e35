// The aria-live region that shows and announces toasts.
import { html } from '../html.js';
import { useStore } from '../store.js';
import { toasts, dismiss } from '../toast.js';

/** Fixed stack of notices in the corner. */
export function Toasts() {
  const { items } = useStore(toasts);
  return html`<div class="toasts" aria-live="polite" aria-atomic="false">
    ${items.map((t) => html`<div key=${t.id} class=${`toast ${t.kind}`}
      role=${t.kind === 'error' ? 'alert' : 'status'}>
      <span>${t.text}</span>
      <button type="button" class="toast-close" aria-label="Закрыть уведомление"
        onClick=${() => dismiss(t.id)}>×</button>
    </div>`)}
  </div>`;
}
