// Placing an order. One Idempotency-Key per checkout attempt: a retry of
// the same attempt (network error, 5xx, key still in use) reuses it, so the
// server never charges twice; a changed body or a final answer starts a new
// attempt with a new key. The attempt, its body included, survives a reload
// (sessionStorage): a page that finds one still running joins it instead of
// paying again, and the server refuses a second checkout of a running cart
// anyway (409 checkout-in-progress, naming the running order).
import { request } from './api.js';
import { saveJson } from './store.js';

const KEY = 'berry.checkout-attempt';

/** A random UUID, also outside secure contexts. */
export function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function readAttempt() {
  try { return JSON.parse(sessionStorage.getItem(KEY)); } catch { return null; }
}

function writeAttempt(a) {
  try { sessionStorage.setItem(KEY, JSON.stringify(a)); } catch { /* tab-only */ }
}

/** The attempt described by `signature`: {sig, key, body?, user?}. */
function attemptFor(signature) {
  const a = readAttempt();
  if (a && a.sig === signature) return a;
  const fresh = { sig: signature, key: uuid() };
  writeAttempt(fresh);
  return fresh;
}

/** The key for the attempt described by `signature`. */
export function attemptKey(signature) {
  return attemptFor(signature).key;
}

function endAttempt() {
  try { sessionStorage.removeItem(KEY); } catch { /* nothing kept */ }
}

/**
 * The payment this tab started and has not heard the end of (the page was
 * reloaded meanwhile), for user `userId`: {key, body} or null.
 */
export function runningPayment(userId) {
  const a = readAttempt();
  return a?.body && a.user === userId ? a : null;
}

// Answers after which repeating the same request cannot change anything.
function isFinal(e) {
  if (e.slug === 'idempotency-key-in-use') return false;
  return [400, 402, 404, 409, 413, 422].includes(e.status);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** POSTs `body` with `key` until an answer that ends the attempt. */
async function send(key, body) {
  for (let tries = 0; ; tries++) {
    try {
      const r = await request('/api/v1/checkout', {
        method: 'POST', body, headers: { 'Idempotency-Key': key },
        on404: 'Оформление заказов пока недоступно на сервере. Попробуйте позже.' });
      endAttempt();
      if (r.data?.id) saveJson(`berry.order-address.${r.data.id}`, body.address);
      return { status: r.status, order: r.data };
    } catch (e) {
      // The first request with this key is still running: wait and ask again.
      if (e.slug === 'idempotency-key-in-use' && tries < 10) {
        await sleep(Math.min(500 + tries * 250, 2000));
        continue;
      }
      // Another attempt pays for this cart: follow that order.
      if (e.slug === 'checkout-in-progress' && e.orderId) {
        endAttempt();
        return { status: 202, order: { id: e.orderId, status: 'pending' } };
      }
      if (isFinal(e)) endAttempt();
      throw e;
    }
  }
}

/**
 * POST /api/v1/checkout; resolves {status: 201|202, order}. Throws ApiError
 * (402 payment-declined, 409 out-of-stock, ...). `signature` identifies the
 * attempt: the body plus whatever else would make it a different order;
 * `userId` is whose payment a reloaded page may join.
 */
export async function placeOrder(body, signature, userId) {
  const a = attemptFor(signature);
  writeAttempt({ ...a, body, user: userId });
  return send(a.key, body);
}

/** Joins the running payment `p` (runningPayment): same key, same body. */
export function resumePayment(p) {
  return send(p.key, p.body);
}
