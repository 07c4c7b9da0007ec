import { ApiError, callApi } from '/assets/api.js';

const KEY = 'permit.staff.session';

/** The signed-in staff member {token, expiresAt, user}, or null; kept for this browser tab only. */
export function currentSession() {
  const raw = sessionStorage.getItem(KEY);
  // Expiry is the server's to judge (a 401 signs out): the counter PC's clock may be wrong.
  return raw ? JSON.parse(raw) : null;
}

export async function signIn(username, password) {
  const session = await callApi('POST', '/api/v1/auth/token', { body: { username, password } });
  sessionStorage.setItem(KEY, JSON.stringify(session));
  return session;
}

export function signOut() {
  sessionStorage.removeItem(KEY);
}

/** Calls the API as the signed-in staff member; an expired token signs out and returns to the login page. */
export async function staffApi(method, path, body) {
  try {
    return await callApi(method, path, { body, token: currentSession()?.token });
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      signOut();
      location.hash = '#/login';
    }
    throw e;
  }
}
