// The cluster on /admin: its nodes (ready or not) and who owns each shard at
// which fencing epoch, from GET /api/v1/cluster, polled every 3 s. A single
// node (no --etcd) answers 404 there: the panel says so.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { api } from '../api.js';

const POLL_MS = 3000;

/** What kind of shard an id names (see docs/api.md, "The cluster"). */
function shardKind(id) {
  if (id.startsWith('orders/')) return 'заказы';
  if (id.startsWith('couriers/')) return 'курьеры города';
  return 'склад';
}

/** The cluster panel. */
export function AdminCluster() {
  // {cluster} once answered; {single: true} on a single node.
  const [state, setState] = useState(null);
  const [error, setError] = useState(null);

  useEffect(() => {
    let stop = false;
    let timer = 0;
    const tick = async () => {
      try {
        const cluster = await api('/api/v1/cluster', { keepSession: true });
        if (!stop) { setState({ cluster }); setError(null); }
      } catch (e) {
        if (stop) return;
        if (e?.status === 404) setState({ single: true });
        else setError(e?.message ?? String(e));
      }
      if (!stop) timer = setTimeout(tick, POLL_MS);
    };
    tick();
    return () => { stop = true; clearTimeout(timer); };
  }, []);

  const heading = html`<h2 id="acluster-h">Кластер</h2>`;
  if (state?.single) {
    return html`<section class="admin-block" aria-labelledby="acluster-h">
      ${heading}
      <p class="card small muted">Один узел: сервер запущен без etcd
        (<code>berry serve --etcd ...</code> объединяет узлы в кластер).</p>
    </section>`;
  }
  const nodes = state?.cluster?.nodes ?? [];
  const shards = state?.cluster?.shards ?? [];
  const owned = (name) => shards.filter((s) => s.owner === name).length;
  const unowned = shards.filter((s) => !s.owner).length;
  return html`<section class="admin-block" aria-labelledby="acluster-h">
    ${heading}
    ${error && html`<p class="small muted" role="status">Не удалось обновить: ${error}</p>`}
    ${state && html`<p class="small muted">
      Узлов: ${nodes.length}, шардов: ${shards.length}${unowned > 0
        ? html`, без владельца: <strong>${unowned}</strong>` : ''}.</p>`}
    <div class="table-wrap">
      <table class="stock-table" aria-label="Узлы кластера">
        <thead><tr><th scope="col">Узел</th><th scope="col">Адрес</th>
          <th scope="col">Готов</th><th scope="col">Шардов</th></tr></thead>
        <tbody>${nodes.map((n) => html`<tr key=${n.name}>
          <th scope="row">${n.name}</th><td><code>${n.http}</code></td>
          <td>${n.ready ? 'да' : 'нет'}</td><td>${owned(n.name)}</td></tr>`)}</tbody>
      </table>
    </div>
    <div class="table-wrap">
      <table class="stock-table" aria-label="Шарды кластера">
        <thead><tr><th scope="col">Шард</th><th scope="col">Что в нём</th>
          <th scope="col">Владелец</th><th scope="col">Эпоха</th></tr></thead>
        <tbody>${shards.map((s) => html`<tr key=${s.id}>
          <th scope="row"><code>${s.id}</code></th><td>${shardKind(s.id)}</td>
          <td>${s.owner || '—'}</td><td>${s.epoch}</td></tr>`)}</tbody>
      </table>
    </div>
  </section>`;
}
