// The signed-in user: token, id, role; kept in localStorage between visits.
import { createStore, loadJson, saveJson } from './store.js';

const KEY = 'berry.session';

/** {token, user_id, role, email, name} or all nulls for a guest. */
export const session = createStore(
  loadJson(KEY, null) ?? { token: null, user_id: null, role: null });

session.subscribe((s) => saveJson(KEY, s.token ? s : null));

/** The bearer token, or null for a guest. */
export function token() {
  return session.get().token;
}

/** Forgets the user (logout or an expired token). */
export function clearSession() {
  session.set({ token: null, user_id: null, role: null, email: null, name: null });
}

/** True when the user holds the admin role. */
export function isAdmin(s = session.get()) {
  return Boolean(s.token) && s.role === 'admin';
}
