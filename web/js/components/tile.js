// Placeholder product picture: there are no photos, so a tile coloured by
// the product's category with the first letters of its title.
import { html } from '../html.js';

function initials(title = '') {
  const words = title.replace(/[«»"().,]/g, ' ').split(/\s+/).filter(Boolean);
  return (words.slice(0, 2).map((w) => w[0]).join('') || '?').toUpperCase();
}

/** Decorative tile; `hue` comes from categoryHue(). */
export function Tile({ title, hue = 300, big = false }) {
  const a = `hsl(${hue} 70% 62%)`;
  const b = `hsl(${(hue + 40) % 360} 65% 42%)`;
  return html`<div class=${`tile${big ? ' big' : ''}`} aria-hidden="true"
    style=${`background: linear-gradient(135deg, ${a}, ${b})`}>
    <span>${initials(title)}</span></div>`;
}
