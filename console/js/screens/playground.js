// Playground: pick a model, send a message, watch the answer stream in, then see what that
// request was recorded as (provider, tokens, cost, latency, time to first token).
import { api } from '../api.js';
import { field, h } from '../dom.js';
import { empty, failure, spinner } from '../ui.js';
import { count, ms, usd } from '../format.js';
import { events } from '../sse.js';
import { loadChoices, modelSelect } from '../model-selector.js';

const conversation = [];

export async function render(root, context) {
  const { choices, total } = await loadChoices();
  root.append(h('h1', {}, 'Playground'), h('p', { class: 'lead' }, 'A chat request through the gateway, streamed, with its usage row afterwards.'));
  if (total === 0) {
    root.append(empty('No chat model to talk to', 'Add a provider key and sync its models first.',
      h('button', { type: 'button', class: 'primary', onclick: () => context.navigate('providers') }, 'Go to providers')));
    return;
  }
  const model = modelSelect(choices, { id: 'playground-model' });
  const message = h('textarea', { id: 'playground-message', rows: 3, required: true, placeholder: 'Ask something…' });
  const system = h('input', { type: 'text', id: 'playground-system', placeholder: 'optional' });
  const transcript = h('div', { class: 'transcript', id: 'transcript', 'aria-live': 'polite' },
    conversation.map((turn) => h('div', { class: `turn ${turn.role}` }, turn.content)));
  const usagePanel = h('div', { id: 'playground-usage', 'aria-live': 'polite' });
  const send = h('button', { type: 'submit', class: 'primary', id: 'playground-send' }, 'Send');
  const stop = h('button', { type: 'button', id: 'playground-stop', hidden: true }, 'Stop');
  const clear = h('button', { type: 'button', onclick: () => { conversation.length = 0; transcript.replaceChildren(); usagePanel.replaceChildren(); } }, 'Clear');

  const form = h('form', { class: 'panel stack', onsubmit: async (event) => {
    event.preventDefault();
    const text = message.value.trim();
    if (!text) return;
    message.value = '';
    conversation.push({ role: 'user', content: text });
    transcript.append(h('div', { class: 'turn user' }, text));
    transcript.querySelectorAll('[data-latest]').forEach((node) => delete node.dataset.latest);
    const answer = h('div', { class: 'turn assistant', dataset: { latest: 'true' } });
    transcript.append(answer);
    usagePanel.replaceChildren();
    const controller = new AbortController();
    stop.hidden = false;
    stop.onclick = () => controller.abort();
    send.disabled = true;
    try {
      const reply = await stream(model.value, system.value.trim(), answer, controller.signal);
      conversation.push({ role: 'assistant', content: reply.text });
      if (reply.requestID) await showUsage(reply.requestID, usagePanel, context);
    } catch (error) {
      conversation.pop();
      if (error.name === 'AbortError') answer.append(h('div', { class: 'small muted' }, '(stopped)'));
      else answer.replaceChildren(h('div', { class: 'alert', role: 'alert', id: 'playground-error' }, error.message));
    } finally {
      send.disabled = false;
      stop.hidden = true;
    }
  } },
  h('div', { class: 'form-grid' }, field('Model', model), field('System prompt', system)),
  field('Message', message), h('div', { class: 'row' }, send, stop, clear));
  message.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) form.requestSubmit();
  });
  root.append(form, h('section', { class: 'panel' }, h('h2', {}, 'Conversation'), transcript), usagePanel);
}

async function stream(model, system, answer, signal) {
  const messages = [...(system ? [{ role: 'system', content: system }] : []), ...conversation];
  const response = await api.chatStream({ model, stream: true, stream_options: { include_usage: true }, messages }, signal);
  const requestID = response.headers.get('X-Request-ID');
  const text = document.createTextNode('');
  answer.append(text);
  for await (const data of events(response)) {
    if (data === '[DONE]') break;
    let chunk;
    try {
      chunk = JSON.parse(data);
    } catch {
      continue;
    }
    if (chunk.error) throw new Error(chunk.error.message ?? 'The stream ended with an error.');
    const piece = chunk.choices?.[0]?.delta?.content;
    if (piece) text.appendData(piece);
  }
  answer.dataset.done = 'true';
  return { text: text.data, requestID };
}

/** The request's usage row: written just after the stream ends, so it is asked for a few times. */
async function showUsage(id, panel, context) {
  panel.replaceChildren(spinner('Fetching this request’s usage…'));
  for (let attempt = 0; attempt < 20; attempt += 1) {
    try {
      const row = await api.request(id);
      panel.replaceChildren(h('section', { class: 'panel', dataset: { requestId: row.id } }, h('h2', {}, 'This request'),
        h('dl', { class: 'facts' },
          fact('Provider', row.provider ?? '—', 'usage-provider'), fact('Model served', row.model_served ?? row.model_requested ?? '—', 'usage-model'),
          fact('Prompt tokens', count(row.prompt_tokens), 'usage-prompt'), fact('Completion tokens', count(row.completion_tokens), 'usage-completion'),
          fact('Cost', usd(row.cost_usd), 'usage-cost'), fact('Latency', ms(row.latency_ms), 'usage-latency'),
          fact('Time to first token', ms(row.ttft_ms), 'usage-ttft'), fact('Status', row.status, 'usage-status'))));
      return;
    } catch (error) {
      if (error.status !== 404 || !context.isCurrent()) {
        panel.replaceChildren(failure(error));
        return;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  panel.replaceChildren(h('div', { class: 'notice' }, 'The request’s usage row has not been written yet; it will show on the Usage screen.'));
}

function fact(label, value, id) {
  return h('div', {}, h('dt', {}, label), h('dd', { id }, value));
}
