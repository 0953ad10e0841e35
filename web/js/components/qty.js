// Quantity stepper: − [n] +, with labels for screen readers.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';

/** Calls onChange(n) with 0..max; `name` names the product in labels. */
export function Qty({ value, max = 99, name, onChange, disabled }) {
  const [text, setText] = useState(String(value));
  useEffect(() => setText(String(value)), [value]);
  const id = `qty-${name}`.replace(/[^\wа-яё-]/gi, '-');
  const commit = () => {
    const n = Math.max(0, Math.min(max, Math.floor(Number(text) || 0)));
    if (n !== value) onChange(n);
    else setText(String(value));
  };
  return html`<div class="qty">
    <button type="button" class="btn icon" disabled=${disabled || value <= 0}
      aria-label=${`Уменьшить количество: ${name}`}
      onClick=${() => onChange(value - 1)}>−</button>
    <label for=${id} class="sr-only">Количество: ${name}</label>
    <input id=${id} inputmode="numeric" value=${text} disabled=${disabled}
      onInput=${(e) => setText(e.target.value)} onBlur=${commit}
      onKeyDown=${(e) => e.key === 'Enter' && commit()} />
    <button type="button" class="btn icon" disabled=${disabled || value >= max}
      aria-label=${`Увеличить количество: ${name}`}
      onClick=${() => onChange(value + 1)}>+</button>
  </div>`;
}
