// Categories (loaded once, as a tree) and a per-id product cache.
import { api, seg } from './api.js';
import { isAdmin } from './session.js';
import { takeEarly } from './routes.js';

let categoriesPromise = null;

/** All categories, with `children` and `root_id` filled in. */
export function loadCategories() {
  if (!categoriesPromise) {
    categoriesPromise = fetchEarly('/api/v1/categories').then((d) => buildTree(d?.items ?? []));
    categoriesPromise.catch(() => { categoriesPromise = null; });
  }
  return categoriesPromise;
}

function buildTree(items) {
  const byId = new Map(items.map((c) => [c.id, { ...c, children: [] }]));
  const roots = [];
  for (const c of byId.values()) {
    const parent = c.parent_id != null ? byId.get(c.parent_id) : null;
    if (parent) parent.children.push(c);
    else roots.push(c);
  }
  for (const c of byId.values()) {
    let r = c;
    for (let guard = 0; r.parent_id != null && byId.has(r.parent_id) && guard < 20; guard++) {
      r = byId.get(r.parent_id);
    }
    c.root_id = r.id;
  }
  return { byId, roots };
}

/** A stable hue for a category, shared by its whole branch. */
export function categoryHue(tree, categoryId) {
  const key = String(tree?.byId.get(categoryId)?.root_id ?? categoryId ?? '');
  let h = 0;
  for (const ch of key) h = (h * 31 + ch.codePointAt(0)) % 360;
  return (h * 7 + 290) % 360;
}

/** The root category id of `categoryId` (a Tile's picture), or null. */
export function categoryRoot(tree, categoryId) {
  return tree?.byId.get(categoryId)?.root_id ?? null;
}

const products = new Map();

/** GET /products/{id}, cached for the session (titles for cart and orders). */
export function getProduct(id) {
  if (!products.has(id)) {
    const p = api(`/api/v1/products/${seg(id)}`);
    products.set(id, p);
    p.catch(() => products.delete(id));
  }
  return products.get(id);
}

/** Remembers a product already fetched by a listing. */
export function rememberProduct(p) {
  if (p?.id) products.set(p.id, Promise.resolve(p));
}

/** Forgets cached products (after stock changed). */
export function forgetProduct(id) {
  products.delete(id);
}

/** GET `url`: the answer asked for at start (routes.js) once, else afresh. */
export function fetchEarly(url) {
  return takeEarly(url)?.catch(() => api(url)) ?? api(url);
}

let warehousesPromise = null;

/**
 * Warehouses for the maps. The list is an admin endpoint, so for everyone
 * else (or before it exists) this resolves to [] without asking.
 */
export function loadWarehouses() {
  if (!isAdmin()) return Promise.resolve([]);
  if (!warehousesPromise) {
    warehousesPromise = api('/api/v1/warehouses', { keepSession: true })
      .then((d) => (d?.items ?? []).filter((w) => w?.location))
      .catch(() => { warehousesPromise = null; return []; });
  }
  return warehousesPromise;
}
