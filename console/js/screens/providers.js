// Providers: the catalogue as cards, the caller's keys (health, tests, syncs), and adding,
// editing and removing keys. A key is never shown: only `...last4`.
import { api } from '../api.js';
import { checkbox, field, h, select, table } from '../dom.js';
import { busy, confirmAction, empty, openDialog, spinner, toast } from '../ui.js';
import { count, ms, when } from '../format.js';

const healthBadge = (status) => h('span', { class: `badge ${status === 'healthy' ? 'ok' : status === 'unhealthy' ? 'bad' : ''}` }, status);

export async function render(root, context) {
  const data = await api.providers();
  const byID = Object.fromEntries(data.available.map((provider) => [provider.id, provider]));
  const rerender = () => context.refresh();

  root.append(h('div', { class: 'row spread' },
    h('div', {}, h('h1', {}, 'Providers'), h('p', { class: 'lead' }, 'Your provider keys, tested and synced; and the providers the gateway can route to.')),
    h('button', { type: 'button', class: 'primary', id: 'add-provider', onclick: () => addDialog(data.available, null, rerender) }, 'Add provider key')));

  root.append(h('h2', {}, 'Your keys'));
  if (data.configured.length === 0) {
    root.append(empty('No provider keys yet',
      'Start by adding a key for an aggregator (OpenRouter, AiHubMix) or a direct provider (OpenAI, Anthropic, Google). The gateway checks it with the provider before storing it, encrypted.',
      h('button', { type: 'button', class: 'primary', onclick: () => addDialog(data.available, null, rerender) }, 'Add your first key')));
  } else {
    root.append(table(
      ['Provider', 'Key', 'Health', 'Last test', 'Last sync', { label: 'Models', num: true }, { label: 'Priority', num: true }, 'Active', 'Actions'],
      data.configured.map((key) => keyRow(key, byID[key.provider_id], rerender))));
  }

  root.append(h('h2', {}, 'Catalogue'));
  root.append(h('div', { class: 'grid', id: 'catalogue-cards' }, data.available.map((provider) => catalogueCard(provider, data.available, rerender))));
}

function catalogueCard(provider, available, rerender) {
  const features = Object.entries(provider.features ?? {}).filter(([, on]) => on === true).map(([name]) => name.replace(/_/g, ' '));
  return h('article', { class: 'card stack', dataset: { provider: provider.name } },
    h('div', { class: 'row spread' }, h('h3', {}, provider.display_name),
      h('span', { class: `badge ${provider.provider_type === 'aggregator' ? 'via' : ''}` }, provider.provider_type)),
    h('div', { class: 'small muted' }, 'API: ', h('code', {}, provider.api_standard), ' · ', h('code', {}, provider.name)),
    h('div', { class: 'badges' }, features.map((name) => h('span', { class: 'badge' }, name))),
    h('div', { class: 'row spread' },
      provider.documentation_url ? h('a', { href: provider.documentation_url, target: '_blank', rel: 'noopener noreferrer' }, 'Documentation') : h('span'),
      h('button', { type: 'button', onclick: () => addDialog(available, provider.name, rerender) }, 'Add key')));
}

function keyRow(key, provider, rerender) {
  const testResult = h('div', { class: 'small', 'aria-live': 'polite' });
  const name = provider?.display_name ?? key.provider;
  const testButton = h('button', { type: 'button', onclick: async () => {
    await busy(testButton, 'Testing…', async () => {
      try {
        const outcome = await api.testProvider(key.id);
        testResult.replaceChildren(outcome.ok
          ? h('span', { class: 'badge ok' }, `OK · ${outcome.status} · ${ms(outcome.latency_ms)}${outcome.models_available === null ? '' : ` · ${count(outcome.models_available)} models`}`)
          : h('span', { class: 'badge bad' }, `Failed${outcome.status ? ` · ${outcome.status}` : ''} · ${ms(outcome.latency_ms)}: ${outcome.error?.message ?? 'no reason given'}`));
        health.replaceChildren(healthBadge(outcome.health_status));
        lastTest.textContent = when(outcome.checked_at);
      } catch (error) {
        testResult.replaceChildren(h('span', { class: 'badge bad' }, error.message));
      }
    });
  } }, 'Test');
  const syncButton = h('button', { type: 'button', onclick: async () => {
    await busy(syncButton, 'Syncing…', async () => {
      try {
        reportSync(await api.sync(key.id));
      } catch (error) {
        if (error.body?.providers) reportSync(error.body);
        else toast(`Sync failed: ${error.message}`, { error: true });
      }
      rerender();
    });
  } }, 'Sync models');
  const health = h('span', {}, healthBadge(key.health_status));
  const lastTest = h('span', {}, when(key.last_health_check));
  return h('tr', { dataset: { keyId: key.id, provider: key.provider } },
    h('td', {}, h('strong', {}, name)),
    h('td', {}, h('code', { class: 'nowrap' }, key.key_last4 ? `...${key.key_last4}` : '—')),
    h('td', {}, health),
    h('td', {}, lastTest, testResult),
    h('td', {}, when(key.last_synced_at)),
    h('td', { class: 'num' }, count(key.model_count)),
    h('td', { class: 'num' }, String(key.priority)),
    h('td', {}, key.is_active ? 'yes' : h('span', { class: 'badge warn' }, 'inactive')),
    h('td', {}, h('div', { class: 'row' }, testButton, syncButton,
      h('button', { type: 'button', onclick: () => editDialog(key, name, rerender) }, 'Edit'),
      h('button', { type: 'button', class: 'danger', onclick: () => remove(key, name, rerender) }, 'Remove'))));
}

/** The sync's answer per provider: added / updated / removed, or that provider's error. */
function reportSync(answer) {
  for (const entry of answer.providers ?? []) {
    if (entry.error) toast(`${entry.provider}: sync failed: ${entry.error.message}`, { error: true, seconds: 10 });
    else toast(`${entry.provider}: ${entry.added} added, ${entry.updated} updated, ${entry.removed} removed (${entry.total} models)`);
  }
  if ((answer.providers ?? []).length === 0) toast('Nothing to sync: no active key.');
}

function addDialog(available, preselected, rerender) {
  openDialog('Add a provider key', (close) => {
    const provider = select(available.map((entry) => ({ value: entry.name, label: `${entry.display_name} (${entry.provider_type})` })),
      { id: 'add-provider-name', value: preselected ?? available[0]?.name });
    const key = h('input', { type: 'password', id: 'add-provider-key', autocomplete: 'off', spellcheck: 'false', required: true });
    const toggle = h('button', { type: 'button', 'aria-pressed': 'false', 'aria-controls': key.id, onclick: () => {
      const shown = key.type === 'text';
      key.type = shown ? 'password' : 'text';
      toggle.setAttribute('aria-pressed', String(!shown));
      toggle.textContent = shown ? 'Show' : 'Hide';
    } }, 'Show');
    const priority = h('input', { type: 'number', id: 'add-provider-priority', value: '0', step: '1' });
    const status = h('div', { 'aria-live': 'polite', id: 'add-provider-status' });
    const submit = h('button', { type: 'submit', class: 'primary', id: 'add-provider-submit' }, 'Check and save');
    const keyField = field('API key', h('div', { class: 'with-toggle' }, key, toggle), 'Checked with the provider, then stored encrypted. Never shown again.');
    keyField.querySelector('label').setAttribute('for', key.id);
    return h('form', { class: 'stack', onsubmit: async (event) => {
      event.preventDefault();
      const chosen = available.find((entry) => entry.name === provider.value);
      status.replaceChildren(spinner(`Checking the key with ${chosen?.display_name ?? provider.value}…`));
      submit.disabled = true;
      try {
        const stored = await api.addProvider({ provider: provider.value, api_key: key.value, priority: Number(priority.value || 0) });
        close();
        toast(`${chosen?.display_name ?? stored.provider} key ...${stored.key_last4} added.`);
        rerender();
      } catch (error) {
        status.replaceChildren(h('div', { class: 'alert', role: 'alert', id: 'add-provider-error' }, error.message));
      } finally {
        submit.disabled = false;
      }
    } },
    field('Provider', provider), keyField, field('Priority', priority, 'Lower numbers are tried first when several keys serve a model.'), status,
    h('div', { class: 'actions' }, h('button', { type: 'button', onclick: close }, 'Cancel'), submit));
  });
}

function editDialog(key, name, rerender) {
  openDialog(`Edit ${name} key ...${key.key_last4 ?? ''}`, (close) => {
    const priority = h('input', { type: 'number', id: 'edit-priority', value: String(key.priority), step: '1' });
    const active = checkbox('Active (used for routing and syncs)', { id: 'edit-active', checked: key.is_active });
    const status = h('div', { 'aria-live': 'polite' });
    return h('form', { class: 'stack', onsubmit: async (event) => {
      event.preventDefault();
      try {
        await api.updateProvider(key.id, { priority: Number(priority.value || 0), is_active: active.input.checked });
        close();
        toast(`${name} key updated.`);
        rerender();
      } catch (error) {
        status.replaceChildren(h('div', { class: 'alert', role: 'alert' }, error.message));
      }
    } },
    field('Priority', priority), active.element, status,
    h('div', { class: 'actions' }, h('button', { type: 'button', onclick: close }, 'Cancel'), h('button', { type: 'submit', class: 'primary' }, 'Save')));
  });
}

async function remove(key, name, rerender) {
  let detail;
  try {
    detail = await api.provider(key.id);
  } catch (error) {
    toast(error.message, { error: true });
    return;
  }
  const message = `Remove your ${name} key ...${key.key_last4 ?? ''}? Requests stop using it at once. `
    + `Its ${count(detail.catalogue_models)} models stay in the catalogue and its ${count(detail.usage_rows)} usage rows are kept.`;
  if (!(await confirmAction('Remove provider key', message, 'Remove key'))) return;
  try {
    const removed = await api.removeProvider(key.id);
    toast(`${name} key removed; ${count(removed.catalogue_models_kept)} models and ${count(removed.usage_rows_kept)} usage rows kept.`);
  } catch (error) {
    toast(error.message, { error: true });
  }
  rerender();
}
