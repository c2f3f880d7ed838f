// Builds DOM from data without ever parsing HTML: every text (a model name, a provider's error,
// a user's alias) becomes a text node, so `<img src=x onerror=...>` shows as those characters.

/** `h('button', {class: 'primary', onclick}, 'Save')` */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') element.className = value;
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (name === 'value') element.value = value;
    else if (name === 'checked') element.checked = Boolean(value);
    else if (name === 'href') element.setAttribute('href', safeURL(value));
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

export function append(element, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** Only http(s) and in-page links: a catalogue's `javascript:` URL is never a link. */
export function safeURL(value) {
  const text = String(value);
  if (text.startsWith('#')) return text;
  try {
    const url = new URL(text, location.origin);
    return url.protocol === 'https:' || url.protocol === 'http:' || url.protocol === 'blob:' ? url.href : '#';
  } catch {
    return '#';
  }
}

let ids = 0;
export function uniqueID(prefix) {
  ids += 1;
  return `${prefix}-${ids}`;
}

/** A labelled input: `field('Priority', h('input', {type: 'number'}), 'hint')` -> the wrapper. */
export function field(label, control, hint) {
  if (!control.id) control.id = uniqueID('field');
  const hintNode = hint ? h('span', { class: 'hint', id: `${control.id}-hint` }, hint) : null;
  if (hintNode) control.setAttribute('aria-describedby', hintNode.id);
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control, hintNode);
}

export function checkbox(label, props = {}) {
  const input = h('input', { type: 'checkbox', ...props });
  return { input, element: h('label', { class: 'check' }, input, label) };
}

export function select(options, props = {}) {
  const element = h('select', props);
  for (const option of options) {
    if (option.group) {
      element.append(h('optgroup', { label: option.group }, option.options.map((item) => h('option', { value: item.value }, item.label))));
    } else {
      element.append(h('option', { value: option.value }, option.label));
    }
  }
  if (props.value !== undefined) element.value = props.value;
  return element;
}

export function table(headings, rows) {
  return h('div', { class: 'table-wrap' },
    h('table', {},
      h('thead', {}, h('tr', {}, headings.map((heading) => h('th', { class: heading.num ? 'num' : null, scope: 'col' }, heading.label ?? heading)))),
      h('tbody', {}, rows)));
}
