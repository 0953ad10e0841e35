// The purple/magenta header: logo, catalogue, search, cart badge, user menu.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { useStore } from '../store.js';
import { session, isAdmin } from '../session.js';
import { cart, cartCount } from '../cart.js';
import { logout } from '../auth.js';
import { navigate, useLocation, withQuery } from '../router.js';
import { plural } from '../money.js';
import { CatalogMenu } from './catalog_menu.js';

function SearchBox() {
  const loc = useLocation();
  const [q, setQ] = useState(loc.query.get('q') ?? '');
  useEffect(() => {
    if (loc.path === '/search') setQ(loc.query.get('q') ?? '');
  }, [loc.href]);
  const submit = (e) => {
    e.preventDefault();
    const params = loc.path === '/search' ? Object.fromEntries(loc.query) : {};
    navigate(withQuery('/search', { ...params, q: q.trim(), page: '' }));
  };
  return html`<form class="search" role="search" onSubmit=${submit}>
    <label for="search-q" class="sr-only">Поиск</label>
    <input id="search-q" type="search" placeholder="Я ищу…" value=${q}
      autocomplete="off" onInput=${(e) => setQ(e.target.value)} />
    <button type="submit" class="search-go" aria-label="Найти">🔍</button>
  </form>`;
}

function UserMenu() {
  const s = useStore(session);
  if (!s.token) {
    return html`<a class="hdr-link" href="/login"><span aria-hidden="true">👤</span>
      <span>Войти</span></a>`;
  }
  return html`<div class="user-menu">
    <a class="hdr-link" href="/orders"><span aria-hidden="true">📦</span>
      <span>Заказы</span></a>
    ${isAdmin(s) && html`<a class="hdr-link" href="/admin">
      <span aria-hidden="true">⚙</span><span>Админка</span></a>`}
    <button type="button" class="hdr-link as-link" title=${s.email ?? ''}
      onClick=${() => { logout(); navigate('/'); }}>
      <span aria-hidden="true">↩</span><span>Выйти</span></button>
  </div>`;
}

/** The site header. */
export function Header() {
  const c = useStore(cart);
  const n = cartCount(c);
  return html`<header class="site-header">
    <div class="hdr-inner">
      <a href="/" class="logo" aria-label="Berry — на главную">Berry</a>
      <${CatalogMenu} />
      <${SearchBox} />
      <nav class="hdr-nav" aria-label="Личное">
        <${UserMenu} />
        <a class="hdr-link cart-link" href="/cart"
          aria-label=${`Корзина, ${n} ${plural(n, ['товар', 'товара', 'товаров'])}`}>
          <span aria-hidden="true">🛒</span><span>Корзина</span>
          ${n > 0 && html`<span class="badge" aria-hidden="true">${n}</span>`}
        </a>
      </nav>
    </div>
  </header>`;
}
