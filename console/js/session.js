// The access token lives in sessionStorage only (gone when the tab closes, never in a URL the
// server sees). A 401 from any function ends the session with the function's reason.

const TOKEN = 'gateway.token';
const CALLER = 'gateway.caller';
const REASON = 'gateway.signin_reason';
const expiredListeners = new Set();

export const session = {
  token: () => sessionStorage.getItem(TOKEN),
  isSignedIn: () => Boolean(sessionStorage.getItem(TOKEN)),

  /** Who the gateway took the token for ({user_id, role}), once it accepted it. */
  caller() {
    try {
      return JSON.parse(sessionStorage.getItem(CALLER) ?? 'null');
    } catch {
      return null;
    }
  },
  isService() {
    return session.caller()?.role === 'service_role';
  },

  begin(token) {
    sessionStorage.setItem(TOKEN, token);
    sessionStorage.removeItem(CALLER);
  },
  accept(caller) {
    sessionStorage.setItem(CALLER, JSON.stringify(caller));
    sessionStorage.removeItem(REASON);
  },
  signOut() {
    sessionStorage.removeItem(TOKEN);
    sessionStorage.removeItem(CALLER);
  },
  expire(reason) {
    session.signOut();
    sessionStorage.setItem(REASON, reason);
    for (const listener of expiredListeners) listener(reason);
  },
  /** Why the last session ended, until the next sign-in (several screens may show it: two calls can both get the 401). */
  endReason() {
    return sessionStorage.getItem(REASON);
  },
  onExpired(listener) {
    expiredListeners.add(listener);
  },

  /** The token's claims (exp, sub, role), read for display only: the gateway verifies it. */
  claims() {
    const token = session.token();
    try {
      const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      return JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(payload), (c) => c.charCodeAt(0))));
    } catch {
      return null;
    }
  },
};
