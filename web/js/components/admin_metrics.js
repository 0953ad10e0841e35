// Live counters from /metrics, polled every 3 s and drawn as sparklines.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../html.js';
import { token } from '../session.js';
import { parsePrometheus, sumOf, interestingNames, caption, PER_MINUTE } from '../metrics.js';
import { Sparkline } from './sparkline.js';

const POLL_MS = 3000;
const KEEP = 40;

async function scrape() {
  const t = token();
  const res = await fetch('/metrics', {
    headers: { Accept: 'text/plain', ...(t ? { Authorization: `Bearer ${t}` } : {}) },
  });
  if (!res.ok) throw new Error(`код ${res.status}`);
  return parsePrometheus(await res.text());
}

const fmt = new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 1 });

/** The metrics panel; keeps its own rolling history. */
export function AdminMetrics() {
  const [series, setSeries] = useState({});
  const [error, setError] = useState(null);
  const prev = useRef(null);

  useEffect(() => {
    let stop = false;
    let timer = 0;
    const tick = async () => {
      try {
        const samples = await scrape();
        const now = performance.now();
        const point = {};
        const rate = (name) => {
          const v = sumOf(samples, name);
          const p = prev.current;
          if (v == null || !p || p.values[name] == null) return null;
          return Math.max(0, (v - p.values[name]) / ((now - p.at) / 1000));
        };
        const names = ['berry_http_requests_total', ...interestingNames(samples)];
        const values = Object.fromEntries(names.map((n) => [n, sumOf(samples, n)]));
        point.rps = rate('berry_http_requests_total');
        for (const n of names.slice(1)) {
          const r = n.endsWith('_total') ? rate(n) : values[n];
          point[n] = r != null && PER_MINUTE.has(n) ? r * 60 : r;
        }
        prev.current = { at: now, values };
        if (!stop) {
          setError(null);
          setSeries((old) => {
            const next = {};
            for (const [k, v] of Object.entries(point)) {
              next[k] = [...(old[k] ?? []), v ?? NaN].slice(-KEEP);
            }
            return next;
          });
        }
      } catch (e) {
        if (!stop) setError(`Метрики недоступны (${e.message})`);
      }
      if (!stop) timer = setTimeout(tick, POLL_MS);
    };
    tick();
    return () => { stop = true; clearTimeout(timer); };
  }, []);

  const keys = Object.keys(series);
  return html`<section class="admin-block" aria-labelledby="metrics-h">
    <h2 id="metrics-h">Показатели в реальном времени</h2>
    ${error && html`<p class="error-box" role="alert">${error}</p>`}
    ${!error && keys.length === 0 && html`<p class="loading">Собираем данные…</p>`}
    <div class="sparks">
      ${keys.map((k) => html`<${Sparkline} key=${k} values=${series[k]}
        title=${caption(k)} format=${(v) => fmt.format(v)} />`)}
    </div>
  </section>`;
}
