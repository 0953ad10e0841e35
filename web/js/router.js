// History routing: pushState plus one click handler for same-origin links,
// so pages use plain <a href="/product/p-1"> and the server answers
// index.html for any non-API path.
import { useEffect, useState } from 'preact/hooks';

const listeners = new Set();

function safeDecode(s) {
  try { return decodeURI(s); } catch { return s; }
}

function current() {
  return {
    path: safeDecode(location.pathname).replace(/\/+$/, '') || '/',
    query: new URLSearchParams(location.search),
    href: location.pathname + location.search,
  };
}

function notify() {
  const loc = current();
  listeners.forEach((f) => f(loc));
}

// Back and Forward return to where the shopper was on that page: each
// history entry keeps its scroll position, and after a popstate it is put
// back once the page (which loads its data again) is tall enough.
history.scrollRestoration = 'manual';
let restoring = 0;

function rememberScroll() {
  history.replaceState({ ...(history.state ?? {}), scrollY: window.scrollY }, '');
}

function restoreScroll(y) {
  const run = ++restoring;
  const until = Date.now() + 5000;
  const step = () => {
    if (run !== restoring) return;
    const room = document.documentElement.scrollHeight - window.innerHeight;
    const busy = document.querySelector('main [aria-busy="true"], main .boot');
    if ((!busy && room >= y) || Date.now() > until) {
      window.scrollTo(0, Math.min(y, Math.max(room, 0)));
      return;
    }
    requestAnimationFrame(step);
  };
  requestAnimationFrame(step);
}

/** Goes to `url` inside the app (no reload). */
export function navigate(url, { replace = false } = {}) {
  if (url === location.pathname + location.search && !replace) return;
  restoring++;
  if (!replace) rememberScroll();
  history[replace ? 'replaceState' : 'pushState'](null, '', url);
  notify();
  window.scrollTo(0, 0);
}

/** The current location; re-renders on navigation. */
export function useLocation() {
  const [loc, setLoc] = useState(current());
  useEffect(() => {
    listeners.add(setLoc);
    return () => listeners.delete(setLoc);
  }, []);
  return loc;
}

/** Builds "/search?q=..&page=2" skipping empty values. */
export function withQuery(path, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

export { matchRoute } from './routes.js';

window.addEventListener('popstate', () => {
  notify();
  restoreScroll(history.state?.scrollY ?? 0);
});
// The shopper's own scrolling wins over a restore still waiting.
for (const ev of ['wheel', 'touchstart', 'keydown']) {
  window.addEventListener(ev, () => { restoring++; }, { passive: true });
}

// Same-origin links navigate in place; API, files, new tabs and modified
// clicks keep the browser's default behaviour.
document.addEventListener('click', (e) => {
  if (e.defaultPrevented || e.button !== 0) return;
  if (e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = e.target.closest && e.target.closest('a[href]');
  if (!a || a.target || a.hasAttribute('download')) return;
  if (a.getAttribute('href').startsWith('#')) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin) return;
  if (/^\/(api|metrics|healthz|readyz)\b/.test(url.pathname)) return;
  if (/\.[a-z0-9]+$/i.test(url.pathname)) return;
  e.preventDefault();
  navigate(url.pathname + url.search);
});

/** Sets the document title while a page is shown. */
export function useTitle(title) {
  useEffect(() => {
    document.title = title ? `${title} — Berry` : 'Berry — маркетплейс';
  }, [title]);
}
