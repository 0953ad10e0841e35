// Any path the app does not know.
import { html } from '../html.js';
import { useTitle } from '../router.js';

/** 404 page. */
export function NotFoundPage() {
  useTitle('Страница не найдена');
  return html`<div class="page narrow">
    <h1>Страница не найдена</h1>
    <p class="card">Такой страницы нет. <a href="/">На главную</a> или${' '}
      <a href="/search">в каталог</a>.</p>
  </div>`;
}
