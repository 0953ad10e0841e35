// The city map, drawn by the app as SVG (no tiles from the internet):
// an equirectangular projection of Moscow in kilometres, a grid, an
// MKAD-like ring, the rings and the river, the streets of the shop's street
// list (the same that addresses are chosen from), then warehouses, the
// delivery point, the route and the courier, who glides between reported
// positions.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from './html.js';
import { api } from './api.js';

/** Centre of the map: Red Square. */
export const CENTER = { lat: 55.7558, lon: 37.6173 };
const KM_LAT = 110.57;
const KM_LON = 111.32 * Math.cos((CENTER.lat * Math.PI) / 180);
const S = 10; // SVG units per kilometre

/** {lat, lon} -> [x, y] in SVG units (north up). */
export function project(p) {
  return [(p.lon - CENTER.lon) * KM_LON * S, -(p.lat - CENTER.lat) * KM_LAT * S];
}

/** [x, y] in SVG units -> {lat, lon}, rounded to about a metre. */
export function unproject(x, y) {
  const r = (v) => Math.round(v * 1e5) / 1e5;
  return { lat: r(CENTER.lat - y / S / KM_LAT), lon: r(CENTER.lon + x / S / KM_LON) };
}

const RIVER = [[55.87, 37.4], [55.83, 37.43], [55.8, 37.41], [55.775, 37.4],
  [55.76, 37.43], [55.745, 37.46], [55.757, 37.5], [55.755, 37.535],
  [55.74, 37.56], [55.72, 37.55], [55.71, 37.565], [55.72, 37.59],
  [55.735, 37.605], [55.749, 37.62], [55.745, 37.645], [55.728, 37.66],
  [55.705, 37.675], [55.688, 37.655], [55.675, 37.675], [55.68, 37.71],
  [55.665, 37.745], [55.64, 37.77], [55.62, 37.8], [55.6, 37.84]]
  .map(([lat, lon]) => project({ lat, lon }).join(',')).join(' ');

const valid = (p) => p && Number.isFinite(+p.lat) && Number.isFinite(+p.lon);

/** Moves smoothly towards `target` ({lat, lon}) over `ms`. */
export function useTween(target, ms = 900) {
  const [pos, setPos] = useState(target);
  const from = useRef(target);
  useEffect(() => {
    if (!valid(target)) { setPos(null); return undefined; }
    const start = from.current && valid(from.current) ? from.current : target;
    const t0 = performance.now();
    let raf = 0;
    const step = (now) => {
      const k = Math.min(1, (now - t0) / ms);
      const e = k * (2 - k);
      const p = { lat: start.lat + (target.lat - start.lat) * e,
        lon: start.lon + (target.lon - start.lon) * e };
      from.current = p;
      setPos(p);
      if (k < 1) raf = requestAnimationFrame(step);
    };
    raf = requestAnimationFrame(step);
    return () => cancelAnimationFrame(raf);
  }, [target?.lat, target?.lon]);
  return pos;
}

function viewBox(points) {
  let [x0, y0, x1, y1] = [-215, -215, 215, 215];
  for (const p of points.filter(valid)) {
    const [x, y] = project(p);
    x0 = Math.min(x0, x - 15); y0 = Math.min(y0, y - 15);
    x1 = Math.max(x1, x + 15); y1 = Math.max(y1, y + 15);
  }
  return `${x0} ${y0} ${x1 - x0} ${y1 - y0}`;
}

function Base() {
  const lines = [];
  for (let v = -300; v <= 300; v += 20) {
    lines.push(html`<line x1=${v} y1="-300" x2=${v} y2="300" />`);
    lines.push(html`<line x1="-300" y1=${v} x2="300" y2=${v} />`);
  }
  return html`
    <rect x="-2000" y="-2000" width="4000" height="4000" class="map-land" />
    <g class="map-grid">${lines}</g>
    <ellipse cx="0" cy="0" rx="160" ry="185" class="map-city" />
    <ellipse cx="0" cy="0" rx="160" ry="185" class="map-mkad" />
    <ellipse cx="0" cy="-5" rx="52" ry="45" class="map-ring" />
    <circle cx="0" cy="0" r="23" class="map-ring" />
    <polyline points=${RIVER} class="map-river" />
    <text x="0" y="-192" class="map-label">МКАД</text>
    <rect x="-3" y="-3" width="6" height="6" class="map-kremlin" />
    <text x="0" y="14" class="map-label">Кремль</text>`;
}

let streetsOnce = null;

/** The city's streets ({name, points: [[lat, lon]...]}), loaded once. */
function useStreets() {
  const [streets, setStreets] = useState([]);
  useEffect(() => {
    streetsOnce ??= api('/api/v1/streets').then((d) => d?.items ?? [], () => []);
    let live = true;
    streetsOnce.then((xs) => { if (live) setStreets(xs); });
    return () => { live = false; };
  }, []);
  return streets;
}

function Streets() {
  const streets = useStreets();
  return html`<g class="map-streets">${streets.map((s) => html`<polyline key=${s.name}
    class="map-street" points=${s.points.map(([lat, lon]) => project({ lat, lon }).join(',')).join(' ')}>
    <title>${s.name}</title></polyline>`)}</g>`;
}

/** SVG points of the L-shaped street path through `stops`. */
function streetPath(stops) {
  const pts = [];
  stops.forEach((p, i) => {
    if (i > 0) pts.push(project({ lat: p.lat, lon: stops[i - 1].lon }));
    pts.push(project(p));
  });
  return pts.map((xy) => xy.join(',')).join(' ');
}

function Pin({ p, cls, title, r = 7 }) {
  if (!valid(p)) return null;
  const [x, y] = project(p);
  return html`<g class=${cls} transform=${`translate(${x} ${y})`}>
    <title>${title}</title><circle r=${r} /></g>`;
}

/**
 * The map. Props: warehouses [{id, name, location}], highlight (Set of
 * warehouse ids), destination, courier, trail [{lat, lon}], via (points the
 * courier still has to pass before the destination: the warehouses before
 * pickup), couriers [{id, location}], onPick(lat, lon) to choose a point,
 * label.
 */
export function CityMap({ warehouses = [], highlight, destination, courier,
  trail = [], via = [], couriers = [], onPick, label = 'Карта города' }) {
  const svg = useRef(null);
  const pos = useTween(valid(courier) ? courier : null);
  const box = viewBox([...warehouses.map((w) => w.location), destination,
    ...couriers.map((c) => c.location)]);

  const click = (e) => {
    if (!onPick || !svg.current) return;
    const pt = svg.current.createSVGPoint();
    pt.x = e.clientX; pt.y = e.clientY;
    const m = pt.matrixTransform(svg.current.getScreenCTM().inverse());
    const { lat, lon } = unproject(m.x, m.y);
    onPick(lat, lon);
  };

  const path = [...trail, pos].filter(valid).map((p) => project(p).join(',')).join(' ');
  const origin = warehouses.find((w) => highlight?.has(w.id));
  // The way still to go, along the streets as couriers ride them: north or
  // south first, then east or west.
  const ahead = valid(destination) && (pos || origin)
    ? streetPath([pos ?? origin.location, ...via.filter(valid), destination])
    : null;

  return html`
    <svg ref=${svg} class=${`city-map${onPick ? ' pickable' : ''}`}
      viewBox=${box} role="img" aria-label=${label} onClick=${click}
      preserveAspectRatio="xMidYMid meet">
      <${Base} />
      <${Streets} />
      ${path && html`<polyline points=${path} class="map-trail" />`}
      ${ahead && html`<polyline points=${ahead} class="map-route" />`}
      ${warehouses.map((w) => html`<${Pin} key=${w.id} p=${w.location} r="8"
        cls=${`map-wh${highlight?.has(w.id) ? ' active' : ''}`}
        title=${`Склад: ${w.name ?? w.id}`} />`)}
      ${couriers.map((c) => html`<${Pin} key=${c.id} p=${c.location} r="5"
        cls="map-courier small" title=${`Курьер ${c.name ?? c.id}`} />`)}
      <${Pin} p=${destination} cls="map-dest" r="8" title="Адрес доставки" />
      ${pos && html`<g class="map-courier" transform=${`translate(${project(pos).join(' ')})`}>
        <title>Курьер</title><circle r="10" /><text y="4">🛵</text></g>`}
    </svg>`;
}
