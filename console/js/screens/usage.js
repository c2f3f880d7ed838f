// Usage dashboard: summary cards, requests and cost over time (Chart.js, in the browser's time
// zone), per-model and per-provider tables, budget status, recent requests and a CSV export.
import { api } from '../api.js';
import { checkbox, field, h, select, table } from '../dom.js';
import { busy, empty, failure, loading, toast } from '../ui.js';
import { count, localDate, ms, percent, timeZone, usd, when } from '../format.js';
import { session } from '../session.js';

const filters = { range: '7d', start: '', end: '', provider: '', model: '', user: '', allUsers: false };
let chart;

/** The query for the chosen range: the last 24 hours by hour, else whole local days. */
function rangeQuery() {
  const now = new Date();
  if (filters.range === '24h') {
    return { start_date: new Date(now.getTime() - 24 * 3600 * 1000).toISOString(), end_date: now.toISOString(), granularity: 'hour' };
  }
  if (filters.range === 'custom' && filters.start && filters.end) {
    return { start_date: filters.start, end_date: filters.end, granularity: 'day' };
  }
  const days = filters.range === '30d' ? 29 : 6;
  return { start_date: localDate(new Date(now.getTime() - days * 86400 * 1000)), end_date: localDate(now), granularity: 'day' };
}

function query() {
  return { ...rangeQuery(), tz: timeZone, provider_id: filters.provider, model: filters.model,
    user_id: session.isService() && !filters.allUsers ? filters.user : '', all_users: session.isService() && filters.allUsers ? 'true' : '' };
}

export async function render(root, context) {
  const providers = await api.providers();
  root.append(h('div', { class: 'row spread' },
    h('div', {}, h('h1', {}, 'Usage'), h('p', { class: 'lead' }, `Tokens, cost and latency of your requests, in ${timeZone} time.`)),
    exportButton()));
  root.append(filterPanel(providers, () => load()));
  const names = Object.fromEntries(providers.available.map((entry) => [entry.id, entry.display_name]));
  const body = h('div', { id: 'usage-body' });
  root.append(body);

  const load = async () => {
    body.replaceChildren(loading('Loading usage…'));
    try {
      const asked = query();
      const [report, recent] = await Promise.all([api.usage(asked), api.requests({ limit: 10, function: 'v1-chat', user_id: asked.user_id })]);
      if (!context.isCurrent()) return;
      body.replaceChildren(...dashboard(report, recent.data, names, context));
      // The canvas itself, not a lookup by id: on the first load the screen is not in the page yet
      // (Chart.js sizes it once it is attached).
      drawChart(body.querySelector('canvas'), report);
    } catch (error) {
      body.replaceChildren(failure(error, load));
    }
  };
  await load();
}

/** The client APIs a usage row names (`api`), as people call them. */
const API_NAMES = { chat: 'Chat completions', messages: 'Anthropic Messages', responses: 'OpenAI Responses', embeddings: 'Embeddings', count_tokens: 'Token counts' };

function filterPanel(providers, reload) {
  const range = select([{ value: '24h', label: 'Last 24 hours' }, { value: '7d', label: 'Last 7 days' }, { value: '30d', label: 'Last 30 days' },
    { value: 'custom', label: 'Dates…' }], { id: 'usage-range', value: filters.range });
  const start = h('input', { type: 'date', id: 'usage-start', value: filters.start });
  const end = h('input', { type: 'date', id: 'usage-end', value: filters.end });
  const dates = h('div', { class: 'row', hidden: filters.range !== 'custom' }, field('From', start), field('To', end));
  const provider = select([{ value: '', label: 'All providers' }, ...providers.available.map((entry) => ({ value: entry.id, label: entry.display_name }))],
    { id: 'usage-provider', value: filters.provider });
  const model = h('input', { type: 'text', id: 'usage-model', value: filters.model, placeholder: 'any model' });
  const apply = () => {
    Object.assign(filters, { range: range.value, start: start.value, end: end.value, provider: provider.value, model: model.value.trim() });
    dates.hidden = filters.range !== 'custom';
    if (filters.range === 'custom' && !(filters.start && filters.end)) return;
    reload();
  };
  for (const control of [range, start, end, provider]) control.addEventListener('change', apply);
  model.addEventListener('change', apply);
  const controls = [field('Range', range), dates, field('Provider', provider), field('Model', model)];
  if (session.isService()) {
    const user = h('input', { type: 'text', id: 'usage-user', value: filters.user, placeholder: 'your own' });
    const all = checkbox('All users', { id: 'usage-all-users', checked: filters.allUsers });
    user.addEventListener('change', () => { filters.user = user.value.trim(); reload(); });
    all.input.addEventListener('change', () => { filters.allUsers = all.input.checked; reload(); });
    controls.push(field('User id', user), all.element);
  }
  return h('div', { class: 'panel' }, h('div', { class: 'form-grid' }, controls));
}

function exportButton() {
  const button = h('button', { type: 'button', id: 'export-csv', onclick: async () => {
    await busy(button, 'Exporting…', async () => {
      try {
        const response = await api.exportUsage(query());
        const blob = await response.blob();
        const link = h('a', { href: URL.createObjectURL(blob), download: `usage-${localDate(new Date())}.csv` });
        document.body.append(link);
        link.click();
        link.remove();
        setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
        toast('Usage exported as CSV.');
      } catch (error) {
        toast(`Export failed: ${error.message}`, { error: true });
      }
    });
  } }, 'Export CSV');
  return button;
}

function card(id, label, value, sub) {
  return h('div', { class: 'card', id }, h('div', { class: 'label' }, label), h('div', { class: 'value' }, value), sub ? h('div', { class: 'sub' }, sub) : null);
}

function dashboard(report, recent, names, context) {
  const totals = report.totals;
  const parts = [h('div', { class: 'cards', id: 'usage-cards' },
    card('card-tokens', 'Total tokens', count(totals.total_tokens), `${count(totals.prompt_tokens)} in · ${count(totals.completion_tokens)} out`),
    card('card-cost', 'Total cost', usd(totals.cost_usd)),
    card('card-requests', 'Requests', count(totals.requests), `${count(totals.errors)} errors (${percent(totals.error_rate)})`),
    card('card-latency', 'Average latency', ms(totals.avg_latency_ms), totals.avg_ttft_ms === null ? null : `first token ${ms(totals.avg_ttft_ms)}`))];
  if (totals.requests === 0) {
    parts.push(empty('No requests in this range yet', 'Send one from the playground, or widen the range.',
      h('button', { type: 'button', class: 'primary', onclick: () => context.navigate('playground') }, 'Open the playground')));
  }
  parts.push(h('section', { class: 'panel' }, h('h2', {}, 'Requests and cost over time'),
    h('div', { class: 'chart-box' }, h('canvas', { id: 'usage-chart', role: 'img', 'aria-label': 'Requests and cost per period' })),
    h('p', { class: 'small muted', id: 'chart-summary' }, `${report.series.length} ${report.range.granularity}s from ${when(report.range.start)} to ${when(report.range.end)}.`)));
  parts.push(budgetStatus(report.budget, names));
  parts.push(h('section', { class: 'panel' }, h('h2', {}, 'By model'), report.models.length === 0 ? empty('No models used yet') :
    table(['Model', { label: 'Requests', num: true }, { label: 'Tokens', num: true }, { label: 'Cost', num: true },
      { label: 'Avg latency', num: true }, { label: 'Error rate', num: true }],
    report.models.map((row) => h('tr', { dataset: { model: row.model } }, h('td', {}, h('code', {}, row.model)), h('td', { class: 'num' }, count(row.requests)),
      h('td', { class: 'num' }, count(row.total_tokens)), h('td', { class: 'num' }, usd(row.cost_usd)),
      h('td', { class: 'num' }, ms(row.avg_latency_ms)), h('td', { class: 'num' }, percent(row.error_rate)))))));
  parts.push(h('section', { class: 'panel' }, h('h2', {}, 'Providers compared'), report.providers.length === 0 ? empty('No provider used yet') :
    table(['Provider', { label: 'Requests', num: true }, { label: 'Cost', num: true }, { label: 'Error rate', num: true },
      { label: 'Avg latency', num: true }, { label: 'p95 latency', num: true }, { label: 'Avg first token', num: true }],
    report.providers.map((row) => h('tr', { dataset: { provider: row.provider ?? '' } }, h('td', {}, row.provider ?? 'none (refused before routing)'),
      h('td', { class: 'num' }, count(row.requests)), h('td', { class: 'num' }, usd(row.cost_usd)), h('td', { class: 'num' }, percent(row.error_rate)),
      h('td', { class: 'num' }, ms(row.avg_latency_ms)), h('td', { class: 'num' }, ms(row.p95_latency_ms)), h('td', { class: 'num' }, ms(row.avg_ttft_ms)))))));
  parts.push(h('section', { class: 'panel' }, h('h2', {}, 'By client API'), (report.apis ?? []).length === 0 ? empty('No requests yet') :
    table(['API', { label: 'Requests', num: true }, { label: 'Tokens', num: true }, { label: 'Cost', num: true }, { label: 'Error rate', num: true }],
      report.apis.map((row) => h('tr', { dataset: { api: row.api } }, h('td', {}, API_NAMES[row.api] ?? row.api), h('td', { class: 'num' }, count(row.requests)),
        h('td', { class: 'num' }, count(row.total_tokens)), h('td', { class: 'num' }, usd(row.cost_usd)), h('td', { class: 'num' }, percent(row.error_rate)))))));
  parts.push(h('section', { class: 'panel' }, h('h2', {}, 'Recent chat requests'), recent.length === 0 ? empty('No chat requests yet') :
    table(['When', 'API', 'Model', 'Provider', 'Status', { label: 'Tokens', num: true }, { label: 'Cost', num: true }, { label: 'Latency', num: true }],
      recent.map((row) => h('tr', {}, h('td', {}, when(row.created_at)), h('td', {}, API_NAMES[row.api] ?? row.api ?? '—'), h('td', {}, row.model_requested ?? '—'),
        h('td', {}, row.provider ?? '—'), h('td', {}, h('span', { class: `badge ${row.status === 'success' ? 'ok' : 'bad'}` }, row.error_code ?? row.status)),
        h('td', { class: 'num' }, count(row.total_tokens)), h('td', { class: 'num' }, usd(row.cost_usd)), h('td', { class: 'num' }, ms(row.latency_ms)))))));
  return parts;
}

function budgetStatus(budget, names) {
  const section = h('section', { class: 'panel', id: 'budget-status' }, h('h2', {}, 'Budget'));
  const states = [budget?.overall, ...(budget?.providers ?? [])].filter(Boolean);
  if (states.length === 0) {
    section.append(empty('No budget set', 'Set a monthly budget or limits on the Budgets screen.'));
    return section;
  }
  for (const state of states) {
    const used = state.used_percent ?? null;
    const meter = h('div', { class: `meter${used !== null && used >= 100 ? ' over' : ''}`, role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100,
      'aria-valuenow': used ?? 0, 'aria-label': 'Share of the monthly budget used' }, h('div', {}));
    meter.firstChild.style.width = `${Math.min(100, used ?? 0)}%`;
    section.append(h('div', { class: 'stack budget-state', dataset: { provider: state.provider_id ?? '' } },
      h('h3', {}, state.provider_id ? (names[state.provider_id] ?? state.provider_id) : 'All providers'),
      state.monthly_budget_usd === null ? h('div', { class: 'small muted' }, 'No monthly budget.') : h('div', {},
        h('div', { class: 'budget-figure' }, `${usd(state.month_spend_usd)} of ${usd(state.monthly_budget_usd)} this month (${used ?? 0}%)`), meter),
      h('div', { class: 'badges' }, state.alert_thresholds.map((threshold) => h('span',
        { class: `badge ${(state.alerts ?? []).includes(threshold) ? 'warn' : ''}` }, `alert at ${threshold}%${(state.alerts ?? []).includes(threshold) ? ' · crossed' : ''}`))),
      h('div', { class: 'small' },
        state.requests_per_minute ? `${count(state.minute_requests)} of ${count(state.requests_per_minute)} requests this minute. ` : '',
        state.tokens_per_day ? `${count(state.day_tokens)} of ${count(state.tokens_per_day)} tokens today. ` : '',
        state.blocked ? h('strong', { class: 'badge bad' }, `blocked: ${state.blocked_by}`) : ''),
      h('div', { class: 'small muted' }, `The month resets ${when(state.month_resets_at)}.`)));
  }
  return section;
}

function drawChart(canvas, report) {
  chart?.destroy();
  chart = undefined;
  if (!canvas) return;
  if (!window.Chart) {
    canvas.replaceWith(h('div', { class: 'alert' }, 'Chart.js is missing: install Debian’s libjs-chart.js (served at /javascript/chart.js/).'));
    return;
  }
  const hourly = report.range.granularity === 'hour';
  const label = new Intl.DateTimeFormat(undefined, hourly ? { hour: '2-digit', minute: '2-digit' } : { month: 'short', day: 'numeric' });
  chart = new window.Chart(canvas, {
    data: {
      labels: report.series.map((period) => label.format(new Date(period.start))),
      datasets: [
        { type: 'bar', label: 'Requests', data: report.series.map((period) => period.requests), backgroundColor: '#8fb0ff', yAxisID: 'requests' },
        { type: 'line', label: 'Cost (USD)', data: report.series.map((period) => period.cost_usd), borderColor: '#b3261e', backgroundColor: '#b3261e',
          yAxisID: 'cost', tension: 0.2 },
      ],
    },
    options: {
      maintainAspectRatio: false, animation: false, interaction: { mode: 'index', intersect: false },
      scales: { requests: { position: 'left', beginAtZero: true, ticks: { precision: 0 } }, cost: { position: 'right', beginAtZero: true, grid: { drawOnChartArea: false }, ticks: { callback: (value) => usd(value) } } },
    },
  });
}
