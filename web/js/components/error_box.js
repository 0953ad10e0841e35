// A readable error, announced to screen readers; never raw JSON.
import { html } from '../html.js';

/** Shows `error` (ApiError, Error or string); `onRetry` adds a button. */
export function ErrorBox({ error, onRetry }) {
  if (!error) return null;
  const text = typeof error === 'string' ? error : error.message;
  const detail = typeof error === 'object' && error.slug === 'validation'
    ? error.detail : null;
  return html`<div class="error-box" role="alert">
    <p>${text}</p>
    ${detail && html`<p class="muted small">Подробности: ${detail}</p>`}
    ${onRetry && html`<button type="button" class="btn" onClick=${onRetry}>
      Повторить</button>`}
  </div>`;
}

/** A centred "loading" line. */
export function Loading({ text = 'Загрузка…' }) {
  return html`<p class="loading" role="status">${text}</p>`;
}
