// Register, login and logout against /api/v1/auth.
import { api, ApiError } from './api.js';
import { session, clearSession } from './session.js';
import { mergeLocalCart } from './cart.js';

async function signIn(path, body, overrides) {
  let data;
  try {
    data = await api(path, { method: 'POST', body,
      on404: 'Вход и регистрация пока недоступны на сервере. Попробуйте позже.' });
  } catch (e) {
    // Context makes some codes clearer than the generic message.
    if (e instanceof ApiError && overrides[e.status]) e.message = overrides[e.status];
    throw e;
  }
  session.set({ token: data.token, user_id: data.user_id, role: data.role,
    email: body.email, name: body.name ?? session.get().name ?? null });
  await mergeLocalCart().catch(() => {});
  return data;
}

/** POST /auth/login; throws ApiError with a readable message. */
export function login(email, password) {
  return signIn('/api/v1/auth/login', { email, password },
    { 401: 'Неверный email или пароль' });
}

/** POST /auth/register; the new customer is signed in. */
export function register(email, password, name) {
  return signIn('/api/v1/auth/register', { email, password, name }, {
    409: 'Этот email уже зарегистрирован. Войдите или укажите другой.',
    422: 'Проверьте email и пароль: пароль — не короче 8 символов',
  });
}

/** Forgets the token locally (the API has no logout call). */
export function logout() {
  clearSession();
}
