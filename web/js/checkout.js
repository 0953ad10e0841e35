// Placing an order. One Idempotency-Key per checkout attempt: a retry of
// the same attempt (network error, 5xx, key still in use) reuses it, so the
// server never charges twice; a changed body or a final answer starts a new
// attempt with a new key. The key survives a reload (sessionStorage).
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

/** The key for the attempt described by `signature`. */
export function attemptKey(signature) {
  const a = readAttempt();
  if (a && a.sig === signature) return a.key;
  const key = uuid();
  try { sessionStorage.setItem(KEY, JSON.stringify({ sig: signature, key })); } catch { /* tab-only */ }
  return key;
}

function endAttempt() {
  try { sessionStorage.removeItem(KEY); } catch { /* nothing kept */ }
}

// Answers after which repeating the same request cannot change anything.
function isFinal(e) {
  if (e.slug === 'idempotency-key-in-use') return false;
  return [400, 402, 404, 409, 413, 422].includes(e.status);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * POST /api/v1/checkout; resolves {status: 201|202, order}. Throws ApiError
 * (402 payment-declined, 409 out-of-stock, ...). `signature` identifies the
 * attempt: the body plus whatever else would make it a different order.
 */
export async function placeOrder(body, signature) {
  const key = attemptKey(signature);
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
      if (e.slug === 'idempotency-key-in-use' && tries < 6) {
        await sleep(1000 + tries * 500);
        continue;
      }
      if (isFinal(e)) endAttempt();
      throw e;
    }
  }
}
