// Shared pieces of every screen: toasts, dialogs, and the loading / empty / error states.
import { h } from './dom.js';

export function toast(message, { error = false, seconds = 5 } = {}) {
  const region = document.getElementById('toasts');
  const item = h('div', { class: error ? 'toast error' : 'toast', role: error ? 'alert' : null }, message);
  region.append(item);
  setTimeout(() => item.remove(), seconds * 1000);
  return item;
}

export function loading(text = 'Loading…') {
  return h('div', { class: 'state', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), ' ', text);
}

export function empty(title, detail, action) {
  return h('div', { class: 'state' }, h('div', { class: 'title' }, title), detail ? h('p', {}, detail) : null, action ?? null);
}

/** A function's error as the page shows it: its own message and code, and a way to try again. */
export function failure(error, retry) {
  return h('div', { class: 'state error', role: 'alert' },
    h('div', { class: 'title' }, 'Something went wrong'),
    h('p', {}, error?.message ?? String(error)),
    error?.code ? h('p', { class: 'small' }, 'Code: ', h('code', {}, error.code)) : null,
    retry ? h('button', { type: 'button', onclick: retry }, 'Try again') : null);
}

export function spinner(label) {
  return h('span', { class: 'row', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), label);
}

/**
 * A modal dialog (the platform's <dialog>: focus stays inside, Escape closes it).
 * `build(close)` returns the content; the dialog is removed from the page once closed.
 */
export function openDialog(title, build) {
  const heading = h('h2', { id: `dialog-title-${Date.now()}` }, title);
  const dialog = h('dialog', { 'aria-labelledby': heading.id });
  const close = () => dialog.close();
  dialog.addEventListener('close', () => dialog.remove());
  dialog.append(h('div', { class: 'dialog-body' }, heading, build(close)));
  document.body.append(dialog);
  dialog.showModal();
  return dialog;
}

/** Asks before something is removed; resolves true when confirmed. */
export function confirmAction(title, message, confirmLabel) {
  return new Promise((resolve) => {
    let confirmed = false;
    const dialog = openDialog(title, (close) => h('div', {},
      h('p', {}, message),
      h('div', { class: 'actions' },
        h('button', { type: 'button', onclick: close }, 'Cancel'),
        h('button', { type: 'button', class: 'danger', onclick: () => { confirmed = true; close(); } }, confirmLabel))));
    dialog.addEventListener('close', () => resolve(confirmed));
  });
}

/** Runs `work` with the button disabled and a spinner in it; the button's text comes back after. */
export async function busy(button, label, work) {
  const before = [...button.childNodes];
  button.disabled = true;
  button.replaceChildren(h('span', { class: 'spinner', 'aria-hidden': 'true' }), label);
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.replaceChildren(...before);
  }
}
