// Product picture: there are no photos, so an illustration drawn here, in
// SVG: the category's pictogram (a dress, a phone, a paw…) on a gradient in
// the category's colour, with a pattern of circles that differs per product.
import { html } from '../html.js';

// Pictograms in a 100×100 box, by root category; drawn as white strokes.
const PICTURES = {
  'c-women': 'M42 18h16l-3 14 17 50H28l17-50z M45 32h10',
  'c-men': 'M30 24l14-6q6 7 12 0l14 6 10 16-12 6v34H32V46l-12-6z',
  'c-kids': 'M50 78a22 22 0 1 1 0-44a22 22 0 1 1 0 44z M36 30a8 8 0 1 1 0.1 0z M64 30a8 8 0 1 1 0.1 0z M43 52h1 M56 52h1 M45 63q5 4 10 0',
  'c-shoes': 'M16 70q0-20 10-26l12 4q10 10 28 12 18 2 18 14v4H16z M16 66h68',
  'c-electronics': 'M36 16h28a5 5 0 0 1 5 5v58a5 5 0 0 1-5 5H36a5 5 0 0 1-5-5V21a5 5 0 0 1 5-5z M46 76h8',
  'c-appliances': 'M26 18h48v66H26z M26 32h48 M50 62a12 12 0 1 1 0-.1z M34 25h6',
  'c-home': 'M20 50l30-28 30 28 M27 44v38h46V44 M44 82V62h12v20',
  'c-beauty': 'M40 44h20v38H40z M43 44V28l14-8v24 M36 82h28',
  'c-sport': 'M18 40v20 M26 32v36 M26 50h48 M74 32v36 M82 40v20',
  'c-food': 'M26 44h40v18a20 20 0 0 1-40 0z M66 48h6a7 7 0 0 1 0 14h-6 M38 20q4 6 0 12 M50 20q4 6 0 12',
  'c-pets': 'M50 80c-14 0-20-10-14-18s10-10 14-10 8 2 14 10-0 18-14 18z M30 44a6 8 0 1 1 0.1 0z M44 32a6 8 0 1 1 0.1 0z M58 32a6 8 0 1 1 0.1 0z M72 44a6 8 0 1 1 0.1 0z',
};
const FALLBACK = 'M30 30h40v40H30z M30 30l40 40 M70 30L30 70';

function seed(text = '') {
  let h = 2166136261;
  for (const ch of text) h = Math.imul(h ^ ch.codePointAt(0), 16777619) >>> 0;
  return h;
}

/**
 * Decorative picture; `hue` comes from categoryHue(), `kind` is the root
 * category id (categoryRoot()), `title` varies the pattern per product.
 */
export function Tile({ title, hue = 300, kind, big = false }) {
  let s = seed(title);
  const next = () => { s = Math.imul(s ^ (s >>> 15), 2246822507) >>> 0; return s / 4294967296; };
  const dots = [0, 1, 2].map(() => ({ x: 10 + next() * 80, y: 10 + next() * 110, r: 10 + next() * 26 }));
  const id = `g${seed(`${kind}${title}`).toString(36)}`;
  return html`<div class=${`tile${big ? ' big' : ''}`} aria-hidden="true">
    <svg viewBox="0 0 100 133" preserveAspectRatio="xMidYMid slice" focusable="false">
      <defs><linearGradient id=${id} x1="0" y1="0" x2="1" y2="1">
        <stop offset="0" stop-color=${`hsl(${hue} 70% 62%)`} />
        <stop offset="1" stop-color=${`hsl(${(hue + 40) % 360} 65% 40%)`} />
      </linearGradient></defs>
      <rect width="100" height="133" fill=${`url(#${id})`} />
      ${dots.map((d) => html`<circle cx=${d.x} cy=${d.y} r=${d.r} fill="#fff" fill-opacity="0.12" />`)}
      <g transform="translate(0 16)" fill="none" stroke="#fff" stroke-opacity="0.92"
        stroke-width="4" stroke-linecap="round" stroke-linejoin="round">
        <path d=${PICTURES[kind] ?? FALLBACK} />
      </g>
    </svg></div>`;
}
