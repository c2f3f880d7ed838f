// Sign-in: paste an access token; the gateway's answer (not the token's own claims) says who you are.
import { call } from '../api.js';
import { session } from '../session.js';
import { field, h } from '../dom.js';
import { busy } from '../ui.js';
import { when } from '../format.js';

async function verify() {
  const answer = await call('providers', '', { keepSessionOn401: true });
  session.accept(answer.caller);
  return answer.caller;
}

export async function render(root, context) {
  const reason = session.isSignedIn() ? null : session.endReason();
  const status = h('div', { id: 'signin-status', 'aria-live': 'polite' });
  const token = h('textarea', { id: 'token', rows: 5, autocomplete: 'off', spellcheck: 'false', required: true,
    placeholder: 'eyJhbGciOi…' });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Sign in');

  function showIdentity(caller) {
    token.value = '';  // accepted: it is kept in this tab's session, not on the screen
    const claims = session.claims();
    status.replaceChildren(h('div', { class: 'success', id: 'signed-in-as' },
      h('div', {}, 'Signed in as ', h('strong', { id: 'who-sub' }, caller.user_id), ' with role ', h('strong', { id: 'who-role' }, caller.role), '.'),
      claims?.exp ? h('div', { class: 'small' }, `The token expires ${when(claims.exp * 1000)}.`) : null,
      h('div', { class: 'row' }, h('button', { type: 'button', class: 'primary', onclick: () => context.navigate('providers') }, 'Open the console'))));
  }

  /** Asks the gateway about the session's token: who it is, or why not (and the token is dropped). */
  async function check() {
    try {
      showIdentity(await verify());
      context.signedIn();
    } catch (error) {
      session.signOut();
      status.replaceChildren(h('div', { class: 'alert', role: 'alert', id: 'signin-error' }, 'The token was not accepted: ', error.message));
    }
  }

  const form = h('form', { class: 'panel stack', onsubmit: async (event) => {
    event.preventDefault();
    const value = token.value.trim();
    if (!value) return;
    await busy(submit, 'Checking…', async () => {
      session.begin(value);
      await check();
    });
  } },
  field('Access token (JWT)', token, 'A token from your identity provider (in development: local-runner token --user <id>). It stays in this tab only.'),
  h('div', { class: 'row' }, submit));

  root.append(h('h1', {}, 'Sign in'), h('p', { class: 'lead' }, 'The console calls the gateway’s functions with your access token.'));
  if (reason) root.append(h('div', { class: 'notice', role: 'alert', id: 'signin-reason' }, 'You were signed out: ', reason));
  root.append(form, status);

  // A token from the URL fragment (local-runner's printed link) or an earlier sign-in: check it now.
  if (session.isSignedIn()) await check();
}

