// fetch wrapper: JSON in and out, bearer token, and problem+json turned into
// an ApiError whose message is readable Russian, never raw JSON.
import { token, clearSession } from './session.js';

const BY_SLUG = {
  'out-of-stock': 'Товара нет в нужном количестве',
  'payment-declined': 'Платёж отклонён банком',
  'idempotency-key-reuse':
    'Этот заказ уже оформлялся с другими данными. Попробуйте оформить заново.',
  'idempotency-key-in-use': 'Заказ ещё обрабатывается, подождите несколько секунд',
  'checkout-in-progress': 'Оплата этой корзины уже обрабатывается',
  validation: 'Проверьте введённые данные',
  'not-found': 'Не найдено',
  unauthorized: 'Войдите в аккаунт, чтобы продолжить',
  forbidden: 'Недостаточно прав для этого действия',
  'rate-limited': 'Слишком много запросов, попробуйте чуть позже',
};

const BY_STATUS = {
  400: 'Некорректный запрос',
  401: 'Войдите в аккаунт, чтобы продолжить',
  403: 'Недостаточно прав для этого действия',
  404: 'Не найдено (возможно, этот раздел ещё не работает)',
  409: 'Действие сейчас невозможно',
  413: 'Слишком большой запрос',
  422: 'Проверьте введённые данные',
  429: 'Слишком много запросов, попробуйте чуть позже',
  431: 'Слишком большие заголовки запроса',
  503: 'Сервис временно недоступен, попробуйте позже',
};

/** An HTTP failure with a readable Russian `message`. */
export class ApiError extends Error {
  constructor({ status, slug, title, detail, retryAfter, orderId = null }) {
    super(messageFor(status, slug, retryAfter));
    this.status = status;
    this.slug = slug;
    this.title = title;
    this.detail = detail;
    /** The order a 409 checkout-in-progress names. */
    this.orderId = orderId;
  }
}

function messageFor(status, slug, retryAfter) {
  if (status === 0) return 'Нет связи с сервером. Проверьте подключение и повторите.';
  let text = BY_SLUG[slug] ?? BY_STATUS[status];
  if (!text) {
    text = status >= 500 ? 'Ошибка на сервере, попробуйте позже'
      : `Не получилось выполнить запрос (код ${status})`;
  }
  if ((status === 429 || slug === 'rate-limited') && retryAfter) {
    text += ` (через ${retryAfter} с)`;
  }
  return text;
}

/** The stable slug at the end of a problem `type` URI. */
export function slugOf(type) {
  if (!type || typeof type !== 'string') return null;
  return type.replace(/[/#]+$/, '').split(/[/#:]/).pop() || null;
}

async function problemOf(res) {
  let body = null;
  try {
    const ct = res.headers.get('content-type') || '';
    if (ct.includes('json')) body = await res.json();
  } catch {
    // An unreadable body still yields a message from the status code.
  }
  return new ApiError({
    status: res.status,
    slug: slugOf(body?.type),
    title: typeof body?.title === 'string' ? body.title : null,
    detail: typeof body?.detail === 'string' ? body.detail : null,
    retryAfter: res.headers.get('retry-after'),
    orderId: typeof body?.order_id === 'string' ? body.order_id : null,
  });
}

/**
 * Sends a request; resolves {status, data, headers} for 2xx and throws
 * ApiError otherwise (status 0 when the network failed). `on404` replaces
 * the message of a 404 (an endpoint the server does not have yet).
 */
export async function request(path, { method = 'GET', body, headers = {},
  signal, text = false, keepSession = false, on404 = null } = {}) {
  const h = { Accept: 'application/json, application/problem+json', ...headers };
  const t = token();
  if (t && !h.Authorization) h.Authorization = `Bearer ${t}`;
  if (body !== undefined) h['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, {
      method, headers: h, signal,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    if (e?.name === 'AbortError') throw e;
    throw new ApiError({ status: 0, slug: 'network' });
  }
  if (!res.ok) {
    const err = await problemOf(res);
    // For a whole feature the server lacks, say so rather than "not found".
    if (res.status === 404 && on404) err.message = on404;
    // A stale token: forget it so the UI offers to log in again.
    if (res.status === 401 && t && !keepSession) clearSession();
    throw err;
  }
  let data = null;
  if (res.status !== 204) {
    data = text ? await res.text() : await res.json().catch(() => null);
  }
  return { status: res.status, data, headers: res.headers };
}

/** Like request() but resolves only the body. */
export async function api(path, options) {
  return (await request(path, options)).data;
}

/** Escapes one path segment (ids are opaque strings). */
export const seg = (s) => encodeURIComponent(String(s));
