// Budgets and limits: a monthly budget (USD), requests per minute, tokens per day and alert
// thresholds, user-wide or for one provider. The service role manages any user's.
import { api } from '../api.js';
import { field, h, select, table } from '../dom.js';
import { confirmAction, empty, toast } from '../ui.js';
import { count, usd } from '../format.js';
import { session } from '../session.js';

let user = '';

export async function render(root, context) {
  const owner = session.isService() ? user : '';
  const [providers, budgets] = await Promise.all([api.providers(), api.budgets({ user_id: owner })]);
  const names = Object.fromEntries(providers.available.map((provider) => [provider.id, provider.display_name]));
  root.append(h('h1', {}, 'Budgets'), h('p', { class: 'lead' },
    'Requests over a limit get 429 with the time it resets; a provider over its own budget is skipped for the next one.'));

  if (session.isService()) {
    const input = h('input', { type: 'text', id: 'budget-user', value: user, placeholder: 'your own' });
    input.addEventListener('change', () => { user = input.value.trim(); context.refresh(); });
    root.append(h('div', { class: 'panel' }, field('User id', input, 'The service role manages any user’s budgets.')));
  }

  const form = budgetForm(providers, owner, context);
  root.append(h('section', { class: 'panel', id: 'budget-list' }, h('h2', {}, 'Current budgets'),
    budgets.data.length === 0 ? empty('No budgets yet', 'Nothing limits spending. Set a monthly budget below.') :
      table(['Scope', { label: 'Monthly budget', num: true }, { label: 'Spent this month', num: true }, { label: 'Requests / min', num: true },
        { label: 'Tokens / day', num: true }, 'Alerts at', ''],
      budgets.data.map((budget) => h('tr', { dataset: { provider: budget.provider_id ?? '' } },
        h('td', {}, budget.provider_id ? (names[budget.provider_id] ?? budget.provider_id) : 'All providers'),
        h('td', { class: 'num' }, budget.monthly_budget_usd === null ? '—' : usd(budget.monthly_budget_usd)),
        h('td', { class: 'num' }, `${usd(budget.month_spend_usd)}${budget.used_percent === undefined ? '' : ` (${budget.used_percent}%)`}`),
        h('td', { class: 'num' }, count(budget.requests_per_minute)), h('td', { class: 'num' }, count(budget.tokens_per_day)),
        h('td', {}, budget.alert_thresholds.map((value) => `${value}%`).join(', ')),
        h('td', {}, h('div', { class: 'row' },
          h('button', { type: 'button', onclick: () => form.fill(budget) }, 'Edit'),
          h('button', { type: 'button', class: 'danger', onclick: async () => {
            const scope = budget.provider_id ? names[budget.provider_id] ?? budget.provider_id : 'all providers';
            if (!(await confirmAction('Remove budget', `Remove the budget and limits for ${scope}? Requests are no longer limited by it.`, 'Remove budget'))) return;
            try {
              await api.deleteBudget({ provider_id: budget.provider_id ?? '', user_id: owner });
              toast('Budget removed.');
            } catch (error) {
              toast(error.message, { error: true });
            }
            context.refresh();
          } }, 'Remove'))))))));
  root.append(form.element);
}

function budgetForm(providers, owner, context) {
  const scope = select([{ value: '', label: 'All providers (user-wide)' },
    ...providers.available.map((provider) => ({ value: provider.id, label: provider.display_name }))], { id: 'budget-scope' });
  const monthly = h('input', { type: 'number', id: 'budget-monthly', min: '0', step: '0.01', placeholder: 'no limit' });
  const rpm = h('input', { type: 'number', id: 'budget-rpm', min: '1', step: '1', placeholder: 'no limit' });
  const tokens = h('input', { type: 'number', id: 'budget-tokens', min: '1', step: '1', placeholder: 'no limit' });
  const thresholds = h('input', { type: 'text', id: 'budget-thresholds', value: '50, 80, 100', inputmode: 'numeric' });
  const status = h('div', { 'aria-live': 'polite' });
  const number = (input) => (input.value.trim() === '' ? null : Number(input.value));
  const element = h('form', { class: 'panel stack', id: 'budget-form', onsubmit: async (event) => {
    event.preventDefault();
    const alerts = thresholds.value.split(/[\s,]+/).filter(Boolean).map(Number);
    if (alerts.some((value) => !Number.isInteger(value))) {
      status.replaceChildren(h('div', { class: 'alert', role: 'alert' }, 'Alert thresholds are whole percentages, separated by commas.'));
      return;
    }
    try {
      await api.saveBudget({ provider_id: scope.value || null, monthly_budget_usd: number(monthly), requests_per_minute: number(rpm),
        tokens_per_day: number(tokens), alert_thresholds: alerts, user_id: owner || undefined });
      toast('Budget saved.');
      context.refresh();
    } catch (error) {
      status.replaceChildren(h('div', { class: 'alert', role: 'alert', id: 'budget-error' }, error.message));
    }
  } },
  h('h2', {}, 'Set a budget or limits'),
  h('div', { class: 'form-grid' }, field('Applies to', scope), field('Monthly budget (USD)', monthly), field('Requests per minute', rpm),
    field('Tokens per day', tokens), field('Alert thresholds (%)', thresholds, 'An alert header is sent once spending crosses each.')),
  status, h('div', {}, h('button', { type: 'submit', class: 'primary', id: 'budget-save' }, 'Save budget')));
  const fill = (budget) => {
    scope.value = budget.provider_id ?? '';
    monthly.value = budget.monthly_budget_usd ?? '';
    rpm.value = budget.requests_per_minute ?? '';
    tokens.value = budget.tokens_per_day ?? '';
    thresholds.value = budget.alert_thresholds.join(', ');
    monthly.focus();
  };
  return { element, fill };
}
