// The cart: the server's cart once signed in (GET/PUT /api/v1/cart), and a
// local cart in localStorage for guests or while the server has no cart yet.
// Local lines are merged into the server cart at login.
import { api, seg, ApiError } from './api.js';
import { createStore, loadJson, saveJson } from './store.js';
import { session } from './session.js';
import { toast } from './toast.js';

const KEY = 'berry.cart';

/** {mode: 'local'|'server', lines: [{product_id, qty, unit_price}], total} */
export const cart = createStore({
  mode: 'local', lines: loadJson(KEY, []), total: null, busy: false,
});

cart.subscribe((s) => { if (s.mode === 'local') saveJson(KEY, s.lines); });

/** Items in the cart, for the header badge. */
export function cartCount(s = cart.get()) {
  return s.lines.reduce((n, l) => n + (Number(l.qty) || 0), 0);
}

/** The total in kopecks: the server's when given, else summed locally. */
export function cartTotal(s = cart.get()) {
  if (s.total != null) return s.total.amount ?? s.total;
  return s.lines.reduce((n, l) => n + l.qty * (l.unit_price?.amount ?? 0), 0);
}

function applyServer(data) {
  cart.set({ mode: 'server', lines: data?.lines ?? [], total: data?.total ?? null });
}

function setLocal(lines) {
  cart.set({ mode: 'local', lines, total: null });
}

/** Reloads the cart from the server when signed in. */
export async function refreshCart() {
  if (!session.get().token) {
    if (cart.get().mode !== 'local') setLocal(loadJson(KEY, []));
    return;
  }
  try {
    applyServer(await api('/api/v1/cart'));
  } catch (e) {
    // No cart endpoint yet (404) or offline: keep the local cart working.
    if (!(e instanceof ApiError) || e.status !== 401) setLocal(loadJson(KEY, []));
  }
}

// Changes of the cart run one after another. Each server answer is the
// whole cart; two quick clicks sent at once could be answered out of order,
// and the older cart (one line) shown over the newer (two).
let pending = Promise.resolve();
function oneAtATime(task) {
  const run = pending.then(task, task);
  pending = run.catch(() => {});
  return run;
}

/** Sets the quantity of one product (0 removes); throws ApiError. */
export function setQty(productId, qty, unitPrice) {
  return oneAtATime(() => putQty(productId, qty, unitPrice));
}

async function putQty(productId, qty, unitPrice) {
  const q = Math.max(0, Math.min(99, Math.floor(Number(qty) || 0)));
  const s = cart.get();
  if (s.mode === 'server') {
    applyServer(await api(`/api/v1/cart/lines/${seg(productId)}`,
      { method: 'PUT', body: { qty: q } }));
    return;
  }
  const lines = s.lines.filter((l) => l.product_id !== productId);
  const old = s.lines.find((l) => l.product_id === productId);
  if (q > 0) {
    const line = { product_id: productId, qty: q,
      unit_price: unitPrice ?? old?.unit_price ?? null };
    if (old) lines.splice(s.lines.indexOf(old), 0, line);
    else lines.push(line);
  }
  setLocal(lines);
}

/** Adds one more of `product`, respecting stock and the 99 limit. */
export function addToCart(product, qty = 1) {
  return oneAtATime(() => addOne(product, qty));
}

async function addOne(product, qty) {
  const line = cart.get().lines.find((l) => l.product_id === product.id);
  const want = (line?.qty ?? 0) + qty;
  if (product.available != null && want > product.available) {
    toast(product.available > 0
      ? `Можно заказать не больше ${product.available} шт.`
      : 'Товара нет в наличии', 'error');
    return false;
  }
  if (want > 99) {
    toast('Не больше 99 штук одного товара', 'error');
    return false;
  }
  try {
    await putQty(product.id, want, product.price);
    toast('Добавлено в корзину');
    return true;
  } catch (e) {
    toast(e.message, 'error');
    return false;
  }
}

/** Empties the cart. */
export function clearCart() {
  return oneAtATime(emptyCart);
}

async function emptyCart() {
  if (cart.get().mode === 'server') {
    await api('/api/v1/cart', { method: 'DELETE' });
    applyServer({ lines: [], total: { amount: 0, currency: 'RUB' } });
  } else {
    setLocal([]);
  }
}

/** After login: moves the guest's local lines into the server cart. */
export async function mergeLocalCart() {
  const local = loadJson(KEY, []);
  await refreshCart();
  if (cart.get().mode !== 'server' || local.length === 0) return;
  for (const l of local) {
    const have = cart.get().lines.find((x) => x.product_id === l.product_id);
    if (have && have.qty >= l.qty) continue;
    try {
      await setQty(l.product_id, l.qty);
    } catch {
      // A product that vanished from the catalog is simply dropped.
    }
  }
  saveJson(KEY, []);
}

session.subscribe((s) => { if (!s.token && cart.get().mode === 'server') setLocal([]); });
