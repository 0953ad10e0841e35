// Order statuses: Russian labels and what each allows.

/** The normal path of an order, in order. */
export const FLOW = ['pending', 'reserved', 'paid', 'packed', 'courier_assigned',
  'picked_up', 'delivered'];

/** Russian label of each status. */
export const LABELS = {
  pending: 'Оформлен',
  reserved: 'Зарезервирован',
  paid: 'Оплачен',
  packed: 'Собран',
  courier_assigned: 'Курьер назначен',
  picked_up: 'Передан курьеру',
  delivered: 'Доставлен',
  cancelled: 'Отменён',
  returned: 'Возвращён',
};

/** Why an order was cancelled, in Russian, by the API's cancel_reason. */
export const REASONS = {
  customer: 'отменён покупателем',
  'payment-declined': 'банк отклонил оплату',
  'payment-error': 'оплата не прошла из-за ошибки',
  'out-of-stock': 'товара не хватило на складе',
  'reservation-expired': 'резерв истёк до оплаты',
  'warehouse-unavailable': 'склад не ответил',
};

/** The cancel reason in Russian; an unknown one is not shown raw. */
export const reasonText = (r) => (r ? REASONS[r] ?? 'по техническим причинам' : null);

/** Label for any status, unknown ones shown as they come. */
export const label = (s) => LABELS[s] ?? s;

/** No more changes will come (the tracking socket closes). */
export const isFinal = (s) => s === 'delivered' || s === 'cancelled' || s === 'returned';

/** Cancel is allowed before the courier picks the order up. */
export const canCancel = (s) => FLOW.indexOf(s) >= 0 && FLOW.indexOf(s) < FLOW.indexOf('picked_up');

/** Return is allowed once delivered. */
export const canReturn = (s) => s === 'delivered';

/** "≈ N мин" from seconds. */
export function etaText(etaS) {
  if (etaS == null || !Number.isFinite(Number(etaS))) return null;
  return `≈ ${Math.max(1, Math.ceil(Number(etaS) / 60))} мин`;
}

/** "24 ноября, 17:54" in the browser's time zone. */
export function formatTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return d.toLocaleString('ru-RU', { day: 'numeric', month: 'long', hour: '2-digit',
    minute: '2-digit' });
}
