// Money is {amount: kopecks, currency: "RUB"}; never floats on the wire.

const whole = new Intl.NumberFormat('ru-RU', {
  style: 'currency', currency: 'RUB', maximumFractionDigits: 0,
  minimumFractionDigits: 0,
});
const exact = new Intl.NumberFormat('ru-RU', { style: 'currency', currency: 'RUB' });

/** Kopecks of a Money object or a plain integer. */
export function kopecks(money) {
  if (money == null) return 0;
  return typeof money === 'number' ? money : Number(money.amount) || 0;
}

/** "1 234 ₽" for whole roubles, "1 234,50 ₽" when kopecks are present. */
export function formatMoney(money) {
  const k = kopecks(money);
  return (k % 100 === 0 ? whole : exact).format(k / 100);
}

/** Parses a typed rouble amount ("1 234,5") into kopecks, or null. */
export function rublesToKopecks(text) {
  const s = String(text ?? '').replace(/\s/g, '').replace(',', '.');
  if (s === '') return null;
  const n = Number(s);
  if (!Number.isFinite(n) || n < 0) return null;
  return Math.round(n * 100);
}

/** Kopecks as a rouble string for an input field ("1234.5"). */
export function kopecksToRubles(k) {
  if (k == null || k === '') return '';
  return String(Number(k) / 100);
}

/** Russian plural: plural(5, ['товар', 'товара', 'товаров']). */
export function plural(n, forms) {
  const a = Math.abs(n) % 100;
  const b = a % 10;
  if (a > 10 && a < 20) return forms[2];
  if (b > 1 && b < 5) return forms[1];
  if (b === 1) return forms[0];
  return forms[2];
}
