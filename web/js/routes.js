// The route table, and the head start it gives the shown page: this module
// imports nothing, so it runs as soon as it arrives, long before the app's
// own code, and asks at once for the page's code (with what it imports, as
// the server lists it in #module-deps) and for the public data it shows.

/** The home page's «Популярные товары»: the most sold first. */
export const popularUrl = '/api/v1/products?page=1&page_size=12&sort=popular';

/** Path patterns ("/orders/:id"), each with its page's module and export. */
export const routes = [
  { path: '/', module: './pages/home.js', name: 'HomePage',
    data: ['/api/v1/categories', popularUrl] },
  { path: '/search', module: './pages/search.js', name: 'SearchPage' },
  { path: '/product/:id', module: './pages/product.js', name: 'ProductPage' },
  { path: '/cart', module: './pages/cart.js', name: 'CartPage' },
  { path: '/login', module: './pages/auth.js', name: 'LoginPage' },
  { path: '/register', module: './pages/auth.js', name: 'RegisterPage' },
  { path: '/checkout', module: './pages/checkout.js', name: 'CheckoutPage' },
  { path: '/orders', module: './pages/orders.js', name: 'OrdersPage' },
  { path: '/orders/:id', module: './pages/order.js', name: 'OrderPage' },
  { path: '/admin', module: './pages/admin.js', name: 'AdminPage' },
];

/** Any path the app does not know. */
export const notFound = { module: './pages/not_found.js', name: 'NotFoundPage' };

/**
 * Matches `path` against patterns like "/orders/:id"; returns the params
 * object of the first match with its route, or null.
 */
export function matchRoute(table, path) {
  for (const route of table) {
    const want = route.path.split('/');
    const got = path.split('/');
    if (want.length !== got.length) continue;
    const params = {};
    let ok = true;
    for (let i = 0; i < want.length && ok; i++) {
      if (want[i].startsWith(':')) params[want[i].slice(1)] = got[i];
      else ok = want[i] === got[i];
    }
    if (ok) return { route, params };
  }
  return null;
}

const moduleDeps = JSON.parse(document.getElementById('module-deps')?.textContent || '{}');

/** Asks for `route`'s module and what it imports, all at once. */
export function preloadPage(route) {
  const url = new URL(route.module, import.meta.url).pathname;
  for (const dep of moduleDeps[url] ?? [url]) {
    if (document.querySelector(`link[rel="modulepreload"][href="${dep}"]`)) continue;
    const link = document.createElement('link');
    link.rel = 'modulepreload';
    link.href = dep;
    document.head.append(link);
  }
}

const early = new Map(); // url -> its JSON, asked before the page was shown

/** GET `url`'s JSON as asked for at start, once; null when it was not. */
export function takeEarly(url) {
  const p = early.get(url);
  early.delete(url);
  return p ?? null;
}

const shown = matchRoute(routes, location.pathname.replace(/\/+$/, '') || '/');
if (shown) {
  preloadPage(shown.route);
  for (const url of shown.route.data ?? []) {
    early.set(url, fetch(url).then((r) => (r.ok ? r.json() : Promise.reject(r))));
  }
}
