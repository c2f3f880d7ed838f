// Models: the explorer (grouped by provider, searched, filtered, sorted, paged), enable/disable and
// display-name overrides, the aliases editor, and Discover (what a sync would change).
import { api } from '../api.js';
import { checkbox, field, h, select, table } from '../dom.js';
import { busy, confirmAction, empty, failure, loading, openDialog, toast } from '../ui.js';
import { count, price, tokensShort } from '../format.js';
import { session } from '../session.js';

const TYPES = ['chat', 'embedding', 'image', 'audio', 'moderation', 'video', 'rerank'];
const CAPABILITIES = ['vision', 'tools', 'reasoning', 'json_mode', 'streaming'];
const SHOWN_BADGES = new Set(['vision', 'tools', 'reasoning', 'json_mode']);
const PER_PAGE = 25;

// Filters survive a re-render (an override saved, an alias added).
const state = { q: '', type: '', capability: '', sort: 'name', order: 'asc', page: 1, include_disabled: true };

export async function render(root, context) {
  const providers = await api.providers();
  const kinds = Object.fromEntries(providers.available.map((provider) => [provider.id, provider]));
  root.append(h('h1', {}, 'Models'), h('p', { class: 'lead' }, 'Every model your keys can reach. Search, filter, enable or rename them, and name aliases.'));

  if (providers.configured.length === 0) {
    root.append(empty('No models yet', 'Models come from your provider keys: add a key, then sync its models.',
      h('button', { type: 'button', class: 'primary', onclick: () => context.navigate('providers') }, 'Add a provider key')));
    return;
  }

  const list = h('div', { id: 'model-list', 'aria-live': 'polite' });
  const search = h('input', { type: 'search', id: 'model-search', value: state.q, placeholder: 'gpt-4o, claude, llama…' });
  const type = select([{ value: '', label: 'Any type' }, ...TYPES.map((name) => ({ value: name, label: name }))], { id: 'model-type', value: state.type });
  const capability = select([{ value: '', label: 'Any capability' }, ...CAPABILITIES.map((name) => ({ value: name, label: name }))],
    { id: 'model-capability', value: state.capability });
  const sort = select([{ value: 'name', label: 'Name' }, { value: 'price', label: 'Price' }, { value: 'context', label: 'Context window' }],
    { id: 'model-sort', value: state.sort });
  const order = select([{ value: 'asc', label: 'Ascending' }, { value: 'desc', label: 'Descending' }], { id: 'model-order', value: state.order });
  const disabled = checkbox('Show disabled models', { id: 'model-include-disabled', checked: state.include_disabled });

  let latest = 0;
  const load = async () => {
    const mine = ++latest;  // answers can arrive out of order while someone types: only the last one is shown
    list.replaceChildren(loading('Loading models…'));
    try {
      const page = await api.models({ view: 'grouped', q: state.q, type: state.type, capability: state.capability, sort: state.sort,
        order: state.order, page: state.page, per_page: PER_PAGE, include_disabled: state.include_disabled ? 'true' : '' });
      if (!context.isCurrent() || mine !== latest) return;
      list.replaceChildren(...renderPage(page, kinds, load));
    } catch (error) {
      if (mine === latest) list.replaceChildren(failure(error, load));
    }
  };
  let typing;
  search.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(() => { state.q = search.value.trim(); state.page = 1; load(); }, 250);
  });
  for (const [control, key] of [[type, 'type'], [capability, 'capability'], [sort, 'sort'], [order, 'order']]) {
    control.addEventListener('change', () => { state[key] = control.value; state.page = 1; load(); });
  }
  disabled.input.addEventListener('change', () => { state.include_disabled = disabled.input.checked; state.page = 1; load(); });
  state.goTo = (page) => { state.page = page; load(); };

  root.append(h('div', { class: 'panel' }, h('div', { class: 'form-grid' },
    field('Search', search), field('Type', type), field('Capability', capability), field('Sort by', sort), field('Order', order), disabled.element)));
  root.append(list);
  await load();

  root.append(await aliasesSection(providers, context));
  root.append(discoverSection());
}

function renderPage(page, kinds, reload) {
  if (page.total === 0) {
    const filtered = state.q || state.type || state.capability;
    return [empty(filtered ? 'No model matches these filters' : 'No models yet',
      filtered ? 'Clear the search or pick another type or capability.' : 'Sync your provider keys on the Providers screen to fetch their models.')];
  }
  const groups = page.providers.map((group) => h('section', { class: 'provider-group panel', dataset: { provider: group.provider } },
    h('h2', {}, `${group.display_name} `, h('span', { class: 'muted small' }, `${count(group.count)} on this page`)),
    group.models.map((model) => modelRow(model, kinds[model.provider_id], reload))));
  const from = (page.page - 1) * page.per_page + 1;
  const to = Math.min(page.total, page.page * page.per_page);
  const pager = h('div', { class: 'pager' },
    h('span', { id: 'model-totals' }, `${count(from)}–${count(to)} of ${count(page.total)} ${page.total === 1 ? 'model' : 'models'} · page ${page.page} of ${Math.max(1, page.pages)}`),
    h('button', { type: 'button', disabled: page.page <= 1, onclick: () => state.goTo(page.page - 1) }, 'Previous'),
    h('button', { type: 'button', disabled: page.page >= page.pages, onclick: () => state.goTo(page.page + 1) }, 'Next'));
  return [...groups, pager];
}

function modelRow(model, provider, reload) {
  const badges = model.capabilities.filter((name) => SHOWN_BADGES.has(name)).map((name) => h('span', { class: 'badge' }, name.replace('_', ' ')));
  if (provider?.provider_type === 'aggregator') badges.unshift(h('span', { class: 'badge via' }, `via ${provider.display_name}`));
  if (!model.enabled) badges.push(h('span', { class: 'badge warn' }, 'disabled'));
  if (model.source === 'custom') badges.push(h('span', { class: 'badge' }, 'custom'));
  const toggle = h('button', { type: 'button', onclick: async () => {
    await busy(toggle, model.enabled ? 'Disabling…' : 'Enabling…', async () => {
      try {
        await api.updateModel(model.id, { enabled: !model.enabled });
        toast(`${model.model_id} ${model.enabled ? 'disabled' : 'enabled'}.`);
        reload();
      } catch (error) {
        toast(error.message, { error: true });
      }
    });
  } }, model.enabled ? 'Disable' : 'Enable');
  const pricing = model.pricing ?? {};
  return h('div', { class: `model${model.enabled ? '' : ' disabled'}`, dataset: { modelId: model.model_id } },
    h('div', {}, h('div', { class: 'name' }, model.display_name), h('code', { class: 'small muted' }, model.model_id),
      h('div', { class: 'badges' }, badges)),
    h('div', { class: 'small' }, h('div', { class: 'muted' }, 'Context'), `${tokensShort(model.context_window)} tokens`),
    h('div', { class: 'small' }, h('div', { class: 'muted' }, 'Per 1M tokens (in / out)'),
      pricing.variable ? 'variable' : `${price(pricing.input)} / ${price(pricing.output)}`),
    h('div', { class: 'actions' }, toggle,
      h('button', { type: 'button', onclick: () => renameDialog(model, reload) }, 'Rename')));
}

function renameDialog(model, reload) {
  openDialog(`Display name for ${model.model_id}`, (close) => {
    const name = h('input', { type: 'text', id: 'rename-input', value: model.display_name === model.model_id ? '' : model.display_name, maxlength: 200 });
    const status = h('div', { 'aria-live': 'polite' });
    return h('form', { class: 'stack', onsubmit: async (event) => {
      event.preventDefault();
      try {
        await api.updateModel(model.id, { display_name: name.value.trim() || null });
        close();
        toast(name.value.trim() ? `Shown as “${name.value.trim()}”.` : 'Display name reset.');
        reload();
      } catch (error) {
        status.replaceChildren(h('div', { class: 'alert', role: 'alert' }, error.message));
      }
    } },
    field('Display name', name, 'Empty resets it to the provider’s name.'), status,
    h('div', { class: 'actions' }, h('button', { type: 'button', onclick: close }, 'Cancel'), h('button', { type: 'submit', class: 'primary' }, 'Save')));
  });
}

async function aliasesSection(providers, context) {
  const section = h('section', { class: 'panel', id: 'aliases' }, h('h2', {}, 'Aliases'),
    h('p', { class: 'small muted' }, 'A name your clients send (for example “fast”) that stands for a model, optionally pinned to one provider.'));
  const body = h('div');
  section.append(body);
  const refresh = async () => {
    body.replaceChildren(loading('Loading aliases…'));
    try {
      const aliases = await api.aliases();
      body.replaceChildren(aliasesTable(aliases.data, providers, refresh), aliasForm(providers, refresh));
    } catch (error) {
      body.replaceChildren(failure(error, refresh));
    }
  };
  await refresh();
  return section;
}

function aliasesTable(aliases, providers, refresh) {
  if (aliases.length === 0) return empty('No aliases yet', 'Add one below.');
  const names = Object.fromEntries(providers.available.map((provider) => [provider.id, provider.display_name]));
  return table(['Alias', 'Model', 'Preferred provider', 'Scope', ''], aliases.map((alias) => h('tr', { dataset: { alias: alias.alias } },
    h('td', {}, h('code', {}, alias.alias)), h('td', {}, h('code', {}, alias.model)),
    h('td', {}, alias.preferred_provider_id ? (names[alias.preferred_provider_id] ?? alias.preferred_provider_id) : 'any'),
    h('td', {}, alias.global ? h('span', { class: 'badge' }, 'global') : 'yours'),
    h('td', {}, alias.global && !session.isService() ? null : h('button', { type: 'button', class: 'danger', onclick: async () => {
      if (!(await confirmAction('Remove alias', `Remove the alias “${alias.alias}”? Clients sending it get a model-not-found error.`, 'Remove alias'))) return;
      try {
        await api.deleteAlias(alias.alias, alias.global);
        toast(`Alias ${alias.alias} removed.`);
      } catch (error) {
        toast(error.message, { error: true });
      }
      refresh();
    } }, 'Remove')))));
}

function aliasForm(providers, refresh) {
  const alias = h('input', { type: 'text', id: 'alias-name', required: true, maxlength: 128, placeholder: 'fast' });
  // Suggestions from the caller's own chat models; any id is accepted (a model synced later, a direct one).
  const suggestions = h('datalist', { id: 'alias-model-choices' });
  api.models({ type: 'chat', per_page: 500 }).then((page) => {
    suggestions.replaceChildren(...page.data.map((entry) => h('option', { value: entry.model_id }, entry.display_name)));
  }).catch(() => {});
  const model = h('input', { type: 'text', id: 'alias-model', required: true, placeholder: 'openai/gpt-4o-mini', list: suggestions.id, autocomplete: 'off' });
  const preferred = select([{ value: '', label: 'Any (routing order)' },
    ...providers.available.map((provider) => ({ value: provider.id, label: provider.display_name }))], { id: 'alias-provider' });
  const global = session.isService() ? checkbox('Global (every user)', { id: 'alias-global' }) : null;
  const status = h('div', { 'aria-live': 'polite' });
  return h('form', { class: 'stack', id: 'alias-form', onsubmit: async (event) => {
    event.preventDefault();
    try {
      const saved = await api.saveAlias(alias.value.trim(), { model: model.value.trim(), preferred_provider: preferred.value || null,
        global: global?.input.checked || undefined });
      toast(`Alias ${saved.alias} → ${saved.model} saved.`);
      refresh();
    } catch (error) {
      status.replaceChildren(h('div', { class: 'alert', role: 'alert' }, error.message));
    }
  } },
  h('h3', {}, 'Add or change an alias'), suggestions,
  h('div', { class: 'form-grid' }, field('Alias', alias), field('Model id', model), field('Preferred provider', preferred), global?.element,
    h('div', {}, h('button', { type: 'submit', class: 'primary', id: 'alias-save' }, 'Save alias'))), status);
}

function discoverSection() {
  const result = h('div', { id: 'discover-result', 'aria-live': 'polite' });
  const button = h('button', { type: 'button', id: 'discover', onclick: async () => {
    await busy(button, 'Asking the providers…', async () => {
      try {
        const answer = await api.discover();
        result.replaceChildren(...(answer.providers.length ? answer.providers.map(discoverEntry)
          : [empty('Nothing to discover', 'No active provider key.')]));
      } catch (error) {
        result.replaceChildren(failure(error));
      }
    });
  } }, 'Discover changes');
  return h('section', { class: 'panel stack', id: 'discover-section' }, h('h2', {}, 'Discover'),
    h('p', { class: 'small muted' }, 'What a sync would add, update or remove, fetched live from your providers. Nothing is written.'), button, result);
}

function discoverEntry(entry) {
  if (entry.error) return h('div', { class: 'alert' }, `${entry.provider}: ${entry.error.message}`);
  const list = (title, items) => h('details', {}, h('summary', {}, `${title}: ${count(items.length)}`),
    items.length ? h('ul', {}, items.slice(0, 200).map((item) => h('li', {}, h('code', {}, typeof item === 'string' ? item : item.model_id)))) : null);
  return h('div', { class: 'card stack', dataset: { provider: entry.provider } },
    h('h3', {}, entry.provider),
    h('div', { class: 'small' }, `Would add ${count(entry.would_add.length)}, update ${count(entry.would_update.length)}, remove ${count(entry.would_remove.length)}; ${count(entry.unchanged)} unchanged.`),
    list('Would add', entry.would_add), list('Would update', entry.would_update), list('Would remove', entry.would_remove));
}
