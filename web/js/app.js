// Entry point: the layout (header, main, footer, toasts) and the route table.
import { render } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { html } from './html.js';
import { matchRoute, useLocation } from './router.js';
import { refreshCart } from './cart.js';
import { Header } from './components/header.js';
import { Toasts } from './components/toasts.js';
import { HomePage } from './pages/home.js';
import { SearchPage } from './pages/search.js';
import { ProductPage } from './pages/product.js';
import { CartPage } from './pages/cart.js';
import { LoginPage, RegisterPage } from './pages/auth.js';
import { CheckoutPage } from './pages/checkout.js';
import { OrdersPage } from './pages/orders.js';
import { OrderPage } from './pages/order.js';
import { AdminPage } from './pages/admin.js';
import { NotFoundPage } from './pages/not_found.js';

const routes = [
  { path: '/', page: HomePage },
  { path: '/search', page: SearchPage },
  { path: '/product/:id', page: ProductPage },
  { path: '/cart', page: CartPage },
  { path: '/login', page: LoginPage },
  { path: '/register', page: RegisterPage },
  { path: '/checkout', page: CheckoutPage },
  { path: '/orders', page: OrdersPage },
  { path: '/orders/:id', page: OrderPage },
  { path: '/admin', page: AdminPage },
];

function App() {
  const loc = useLocation();
  const main = useRef(null);
  const first = useRef(true);
  const m = matchRoute(routes, loc.path);
  const Page = m ? m.route.page : NotFoundPage;
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
      <${Page} key=${loc.path} ...${params} query=${loc.query} href=${loc.href} />
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
