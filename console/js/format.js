// Numbers, money and times as a person reads them, in the browser's locale and time zone.

const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

export const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

export function count(value) {
  return value === null || value === undefined ? '—' : integer.format(value);
}

/** USD with enough digits for fractions of a cent (a chat request often costs $0.00004). */
export function usd(value) {
  if (value === null || value === undefined) return '—';
  if (value === 0) return '$0';
  const digits = Math.abs(value) >= 1 ? 2 : Math.min(8, Math.max(2, 2 - Math.floor(Math.log10(Math.abs(value))) + 1));
  // Trailing zeros go, but never below cents: $0.60, $0.0000123.
  return '$' + value.toFixed(digits).replace(/(\.\d\d\d*?)0+$/, '$1');
}

/** Price per 1M tokens. */
export function price(value) {
  return value === null || value === undefined ? '—' : usd(value);
}

export function tokensShort(value) {
  if (value === null || value === undefined) return '—';
  if (value >= 1_000_000) return `${+(value / 1_000_000).toFixed(2)}M`;
  if (value >= 1_000) return `${+(value / 1_000).toFixed(1)}K`;
  return String(value);
}

export function ms(value) {
  return value === null || value === undefined ? '—' : `${integer.format(Math.round(value))} ms`;
}

export function percent(fraction) {
  return fraction === null || fraction === undefined ? '—' : `${+(fraction * 100).toFixed(1)}%`;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** Unix milliseconds or an ISO string -> local date and time. */
export function when(value) {
  if (value === null || value === undefined || value === '') return 'never';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : dateTime.format(date);
}

/** `YYYY-MM-DD` of a date in the browser's time zone. */
export function localDate(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
