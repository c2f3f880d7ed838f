// The grouped model selector (the `models?view=grouped` answer as a <select> with one group per
// provider, in routing order), shared by the playground and the aliases editor.
import { api } from './api.js';
import { select } from './dom.js';

/** Every enabled chat model the caller can route to, grouped by provider; aliases first. */
export async function loadChoices() {
  const [grouped, aliases] = await Promise.all([
    api.models({ view: 'grouped', type: 'chat', per_page: 500 }),
    api.aliases().catch(() => ({ data: [] })),
  ]);
  const choices = [];
  if (aliases.data.length) {
    choices.push({ group: 'Aliases', options: aliases.data.map((alias) => ({ value: alias.alias, label: `${alias.alias} → ${alias.model}` })) });
  }
  for (const provider of grouped.providers ?? []) {
    choices.push({ group: provider.display_name, options: provider.models.map((model) => ({
      value: model.model_id, label: model.display_name === model.model_id ? model.model_id : `${model.display_name} (${model.model_id})`,
    })) });
  }
  return { choices, total: grouped.total };
}

export function modelSelect(choices, props = {}) {
  return select(choices, props);
}
