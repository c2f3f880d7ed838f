// The console's shell: signs in from the URL fragment (`#token=` printed by local-runner), then
// shows one screen per `#/<name>`. Screens talk to the functions only through api.js.
import { session } from './session.js';
import { h } from './dom.js';
import { failure, loading } from './ui.js';
import * as signIn from './screens/signin.js';
import * as providers from './screens/providers.js';
import * as models from './screens/models.js';
import * as usage from './screens/usage.js';
import * as budgets from './screens/budgets.js';
import * as playground from './screens/playground.js';
import * as catalogue from './screens/catalogue.js';

const screens = { signin: signIn, providers, models, usage, budgets, playground, catalogue };
const main = document.getElementById('main');
let generation = 0;

function takeTokenFromFragment() {
  const match = location.hash.match(/^#token=([A-Za-z0-9._-]+)$/);
  if (!match) return false;
  session.begin(match[1]);
  // The token leaves the address bar (and the history) at once.
  history.replaceState(null, '', `${location.pathname}#/signin`);
  return true;
}

function screenName() {
  const name = location.hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  return screens[name] ? name : null;
}

function updateChrome(name) {
  const caller = session.caller();
  const signedIn = session.isSignedIn() && caller;
  document.getElementById('nav').hidden = !signedIn;
  document.getElementById('identity').hidden = !signedIn;
  document.getElementById('identity-text').textContent = signedIn ? `${caller.user_id} · ${caller.role}` : '';
  for (const link of document.querySelectorAll('#nav a')) {
    if (link.dataset.screen === name) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
    if ('serviceOnly' in link.dataset) link.hidden = !session.isService();
  }
}

export async function show() {
  // Signed out (or not yet accepted): the sign-in screen; signed in: the screen asked for, else Providers.
  const name = !session.isSignedIn() || !session.caller() ? 'signin' : screenName() ?? 'providers';
  if (location.hash !== `#/${name}`) history.replaceState(null, '', `#/${name}`);
  updateChrome(name);
  generation += 1;
  const mine = generation;
  const root = h('div', { class: 'screen', dataset: { screen: name } });
  main.replaceChildren(loading());
  try {
    await screens[name].render(root, { isCurrent: () => mine === generation, navigate, refresh: show, signedIn: () => updateChrome(name) });
    if (mine !== generation) return;
    main.replaceChildren(root);
    document.title = `${root.querySelector('h1')?.textContent ?? 'Console'} · LLM gateway`;
  } catch (error) {
    if (mine !== generation) return;
    if (error?.status === 401) return;  // the session has ended; the sign-in screen is on its way
    main.replaceChildren(failure(error, show));
  }
}

export function navigate(name) {
  if (location.hash === `#/${name}`) show();
  else location.hash = `#/${name}`;
}

session.onExpired(() => navigate('signin'));
document.getElementById('sign-out').addEventListener('click', () => {
  session.signOut();
  navigate('signin');
});
window.addEventListener('hashchange', () => {
  takeTokenFromFragment();  // a link with a new token signs in again
  show();
});

takeTokenFromFragment();
show();
