// Quantity stepper: − [n] +, with labels for screen readers. The field never
// removes a line: an empty or invalid entry is marked invalid and kept, and a
// quantity above `max` is cut to it with the reason shown.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';

/**
 * Calls onChange(n) with 1..max; `name` names the product in labels and
 * `limit` says why `max` is the limit (shown when an entry is cut to it).
 */
export function Qty({ value, max = 99, name, onChange, disabled, limit }) {
  const [text, setText] = useState(String(value));
  const [note, setNote] = useState(null); // {text, invalid}
  useEffect(() => setText(String(value)), [value]);
  const id = `qty-${name}`.replace(/[^\wа-яё-]/gi, '-');
  const commit = () => {
    const t = text.trim();
    if (!/^\d+$/.test(t) || Number(t) < 1) {
      setNote({ invalid: true, text: `Введите количество от 1 до ${max}` });
      return;
    }
    let n = Number(t);
    if (n > max) {
      n = max;
      setNote({ invalid: false,
        text: `Количество уменьшено до ${max}: ${limit ?? `не больше ${max} шт.`}` });
    } else {
      setNote(null);
    }
    if (n !== value) onChange(n);
    else setText(String(value));
  };
  const step = (n) => { setNote(null); onChange(n); };
  const invalid = note?.invalid === true;
  return html`<div class="qty-box">
    <div class="qty">
      <button type="button" class="btn icon" disabled=${disabled || value <= 1}
        aria-label=${`Уменьшить количество: ${name}`}
        onClick=${() => step(value - 1)}>−</button>
      <label for=${id} class="sr-only">Количество: ${name}</label>
      <input id=${id} inputmode="numeric" value=${text} disabled=${disabled}
        aria-invalid=${invalid ? 'true' : 'false'}
        aria-describedby=${note ? `${id}-note` : undefined}
        onInput=${(e) => setText(e.target.value)} onBlur=${commit}
        onKeyDown=${(e) => e.key === 'Enter' && commit()} />
      <button type="button" class="btn icon" disabled=${disabled || value >= max}
        aria-label=${`Увеличить количество: ${name}`}
        onClick=${() => step(value + 1)}>+</button>
    </div>
    ${note && html`<p id=${`${id}-note`} role="status"
      class=${`qty-note small${invalid ? ' invalid' : ''}`}>${note.text}</p>`}
  </div>`;
}
