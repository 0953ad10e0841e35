// /admin (role admin): live metrics, the cluster's nodes and shards, the map
// with warehouses and couriers, and stock per warehouse with editing.
import { html } from '../html.js';
import { api } from '../api.js';
import { useStore } from '../store.js';
import { session, isAdmin } from '../session.js';
import { useAsync } from '../use_async.js';
import { useTitle } from '../router.js';
import { CityMap } from '../map.js';
import { AdminMetrics } from '../components/admin_metrics.js';
import { AdminCluster } from '../components/admin_cluster.js';
import { AdminStock } from '../components/admin_stock.js';
import { ErrorBox, Loading } from '../components/error_box.js';

// There is no courier list in the API yet; when one appears at
// /api/v1/couriers ({items: [{id, name?, location}]}) it is drawn.
async function loadCouriers() {
  try {
    const d = await api('/api/v1/couriers', { keepSession: true });
    return { items: (d?.items ?? []).filter((c) => c?.location), missing: false };
  } catch {
    return { items: [], missing: true };
  }
}

/** The admin page. */
export function AdminPage() {
  useTitle('Администрирование');
  const s = useStore(session);
  const admin = isAdmin(s);
  const wh = useAsync(() => (admin ? api('/api/v1/warehouses',
    { on404: 'Склады пока недоступны на сервере' }) : null), [admin]);
  const couriers = useAsync(() => (admin ? loadCouriers() : null), [admin]);
  if (!s.token) {
    return html`<div class="page narrow"><h1>Администрирование</h1>
      <p class="card"><a href="/login?next=/admin">Войдите</a> под учётной записью
      администратора.</p></div>`;
  }
  if (!admin) {
    return html`<div class="page narrow"><h1>Администрирование</h1>
      <${ErrorBox} error="Эта страница доступна только администраторам" /></div>`;
  }
  const warehouses = (wh.data?.items ?? []).filter((w) => w.location);
  return html`<div class="page admin-page">
    <h1>Администрирование</h1>
    <${AdminMetrics} />
    <${AdminCluster} />
    <section class="admin-block" aria-labelledby="amap-h">
      <h2 id="amap-h">Склады и курьеры</h2>
      ${wh.loading && html`<${Loading} />`}
      <${ErrorBox} error=${wh.error} onRetry=${wh.reload} />
      <div class="card map-card">
        <${CityMap} warehouses=${warehouses} couriers=${couriers.data?.items ?? []}
          label="Карта: склады и курьеры" />
        <p class="small muted">
          Складов: ${warehouses.length}.
          ${couriers.data?.missing ? ' Список курьеров пока недоступен на сервере.'
            : ` Курьеров на карте: ${couriers.data?.items.length ?? 0}.`}</p>
      </div>
    </section>
    ${wh.data && html`<${AdminStock} warehouses=${warehouses} />`}
  </div>`;
}
