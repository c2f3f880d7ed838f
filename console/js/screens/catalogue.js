// The shared provider catalogue (service role only): display names, base URLs and the active flag.
// A base URL decides where every stored key for that provider is sent.
import { api } from '../api.js';
import { checkbox, field, h } from '../dom.js';
import { empty, toast } from '../ui.js';
import { session } from '../session.js';

export async function render(root) {
  root.append(h('h1', {}, 'Catalogue'), h('p', { class: 'lead' }, 'The providers every user can add keys for. Only the service role edits them.'));
  if (!session.isService()) {
    root.append(empty('Service role only', 'Sign in with a service-role token to edit the shared catalogue.'));
    return;
  }
  const data = await api.providers();
  root.append(h('div', { class: 'grid' }, data.available.map((provider) => entryForm(provider))));
}

function entryForm(provider) {
  const displayName = h('input', { type: 'text', value: provider.display_name, required: true, id: `catalogue-name-${provider.id}` });
  const baseURL = h('input', { type: 'url', value: provider.base_url, required: true, id: `catalogue-url-${provider.id}` });
  const active = checkbox('Active', { checked: provider.is_active, id: `catalogue-active-${provider.id}` });
  const status = h('div', { 'aria-live': 'polite' });
  return h('form', { class: 'card stack', dataset: { provider: provider.name }, onsubmit: async (event) => {
    event.preventDefault();
    try {
      await api.saveCatalogueEntry(provider.id, { display_name: displayName.value.trim(), base_url: baseURL.value.trim(), is_active: active.input.checked });
      toast(`${provider.name} saved.`);
      status.replaceChildren();
    } catch (error) {
      status.replaceChildren(h('div', { class: 'alert', role: 'alert' }, error.message));
    }
  } },
  h('h3', {}, h('code', {}, provider.name), ' ', h('span', { class: 'badge' }, provider.provider_type), ' ', h('span', { class: 'badge' }, provider.api_standard)),
  field('Display name', displayName), field('Base URL', baseURL, 'Every stored key for this provider is sent here.'), active.element, status,
  h('div', {}, h('button', { type: 'submit', class: 'primary' }, 'Save')));
}
