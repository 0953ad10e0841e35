// Entry point: the layout (header, main, footer, toasts) and the route table.
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from './html.js';
import { matchRoute, useLocation } from './router.js';
import { refreshCart } from './cart.js';
import { routes, notFound, preloadPage } from './routes.js';
import { Header } from './components/header.js';
import { Toasts } from './components/toasts.js';

// Each page is its own module, fetched when it is first shown (routes.js
// asked for the first one already): the home page does not wait for the
// admin's or the checkout's code.
const loaded = new Map(); // route -> its page component, once fetched

function LoadFailed() {
  return html`<div class="page narrow"><p class="card" role="alert">
    Не удалось загрузить страницу. Проверьте связь и${' '}
    <a href=${location.href} onClick=${() => location.reload()}>обновите её</a>.</p></div>`;
}

/** The page component of `route`, or null while its module is on the way. */
function usePage(route) {
  const [, setTick] = useState(0);
  const Page = loaded.get(route);
  useEffect(() => {
    if (Page) return undefined;
    let live = true;
    preloadPage(route);
    import(route.module)
      .then((m) => loaded.set(route, m[route.name]), () => loaded.set(route, LoadFailed))
      .then(() => live && setTick((t) => t + 1));
    return () => { live = false; };
  }, [route]);
  return Page ?? null;
}

function App() {
  const loc = useLocation();
  const main = useRef(null);
  const first = useRef(true);
  const m = matchRoute(routes, loc.path);
  const Page = usePage(m ? m.route : notFound);
  const params = m ? { ...m.params } : {};
  for (const k of Object.keys(params)) {
    try { params[k] = decodeURIComponent(params[k]); } catch { /* keep as typed */ }
  }

  // Moves focus to the new page so screen readers announce it.
  useEffect(() => {
    if (first.current) { first.current = false; return; }
    main.current?.focus({ preventScroll: true });
  }, [loc.path]);

  return html`
    <a class="skip-link" href="#main">Перейти к содержимому</a>
    <${Header} />
    <main id="main" ref=${main} tabindex="-1">
      ${Page ? html`<${Page} key=${loc.path} ...${params} query=${loc.query}
        href=${loc.href} />` : html`<p class="boot">Загружаем…</p>`}
    </main>
    <footer class="site-footer">
      <p>Berry — учебный маркетплейс. Оплата только тестовыми картами.</p>
    </footer>
    <${Toasts} />`;
}

refreshCart();
const root = document.getElementById('app');
root.textContent = '';
render(html`<${App} />`, root);
