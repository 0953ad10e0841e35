// Prometheus text format: parsing and turning samples into chart series.

/** Parses exposition text into [{name, labels, value}] (comments skipped). */
export function parsePrometheus(text) {
  const out = [];
  for (const raw of String(text).split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels = {};
    const re = /(\w+)="((?:[^"\\]|\\.)*)"/g;
    for (let l; (l = re.exec(m[3] ?? '')); ) labels[l[1]] = l[2].replace(/\\(.)/g, '$1');
    const value = Number(m[4] === '+Inf' ? Infinity : m[4] === '-Inf' ? -Infinity : m[4]);
    if (!Number.isNaN(value)) out.push({ name: m[1], labels, value });
  }
  return out;
}

/** Sum of every sample of `name` (all label sets). */
export function sumOf(samples, name) {
  let found = false;
  let total = 0;
  for (const s of samples) {
    if (s.name === name && Number.isFinite(s.value)) { total += s.value; found = true; }
  }
  return found ? total : null;
}

/** Names of the orders and tracking metrics present (histogram parts skipped). */
export function interestingNames(samples) {
  const names = new Set();
  for (const s of samples) {
    if (!/^berry_(orders|tracking)_/.test(s.name)) continue;
    if (/_(bucket|sum|count|created)$/.test(s.name)) continue;
    names.add(s.name);
  }
  return [...names].sort();
}

/** Russian captions of the series the admin page draws. */
const CAPTIONS = {
  rps: 'Запросов в секунду',
  berry_orders_created_total: 'Заказов в минуту',
  berry_orders_open: 'Заказы в работе (сборка и доставка)',
  berry_tracking_sockets: 'Следят за заказами онлайн',
  berry_tracking_dropped_total: 'Отключено медленных клиентов в минуту',
};

/** Per-minute rates read better than per-second ones for these. */
export const PER_MINUTE = new Set(['berry_orders_created_total', 'berry_tracking_dropped_total']);

/** A short Russian caption for a series. */
export function caption(name) {
  return CAPTIONS[name]
    ?? name.replace(/^berry_/, '').replace(/_total$/, ' /с').replace(/_/g, ' ');
}
