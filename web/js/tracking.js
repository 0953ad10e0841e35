// Live order tracking: GET the order, then the WebSocket
// /api/v1/orders/{id}/track (snapshot, then status and courier frames).
// A dropped socket reconnects with backoff unless the order is final.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, seg } from './api.js';
import { isFinal } from './order_status.js';

const TRAIL_MAX = 300;

function withOrder(s, incoming) {
  let order = incoming;
  // A GET answered late must not undo newer frames from the socket.
  const have = s.order?.history?.length ?? 0;
  if (s.order && (incoming.history?.length ?? 0) < have) {
    order = { ...incoming, status: s.order.status, history: s.order.history };
  }
  // The socket's snapshot has no short number; the GET's stays.
  if (order.number == null && s.order?.number != null) {
    order = { ...order, number: s.order.number };
  }
  const loc = order.courier?.location;
  const carried = ['courier_assigned', 'picked_up'].includes(order.status);
  return { ...s, order, error: null,
    courier: loc ?? (carried || isFinal(order.status) ? s.courier : null),
    eta: order.eta_s ?? (carried ? s.eta : null),
    trail: loc ? [...s.trail, loc].slice(-TRAIL_MAX) : s.trail };
}

function withStatus(s, m) {
  if (!s.order) return s;
  const history = s.order.history ?? [];
  const seen = history.some((h) => h.status === m.status);
  const order = { ...s.order, status: m.status,
    history: seen ? history : [...history, { status: m.status, at: m.at }] };
  return { ...s, order, eta: isFinal(m.status) ? null : s.eta };
}

function withCourier(s, m) {
  if (!m.location) return s;
  return { ...s, courier: m.location, eta: m.eta_s ?? s.eta,
    trail: [...s.trail, m.location].slice(-TRAIL_MAX) };
}

/** Socket URL on this host: ws: or wss: like the page. */
export function trackUrl(id, token) {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${location.host}/api/v1/orders/${seg(id)}/track` +
    `?access_token=${encodeURIComponent(token)}`;
}

/**
 * {order, error, conn, courier, eta, trail} for order `id`, live;
 * conn is 'connecting' | 'online' | 'reconnecting' | 'closed'.
 * The second value replaces the order (after cancel or return).
 */
export function useOrderTracking(id, token) {
  const [state, setState] = useState({ order: null, error: null, conn: 'connecting',
    courier: null, eta: null, trail: [] });
  const status = useRef(null);
  status.current = state.order?.status ?? null;

  useEffect(() => {
    if (!token) return undefined;
    let ws = null;
    let timer = 0;
    let attempts = 0;
    let stopped = false;
    let finished = false; // a final status seen in this effect's own frames
    const apply = (fn) => { if (!stopped) setState(fn); };

    const fetchOrder = () => api(`/api/v1/orders/${seg(id)}`).then(
      (o) => { finished ||= isFinal(o.status); apply((s) => withOrder(s, o)); },
      (e) => {
        apply((s) => ({ ...s, error: s.order && e.status !== 404 ? s.error : e }));
        // Unknown (or not ours): the socket would be refused too.
        if (e.status === 404 || e.status === 401) stop('closed');
      });

    const onFrame = (ev) => {
      let m;
      try { m = JSON.parse(ev.data); } catch { return; }
      finished ||= isFinal(m?.status ?? m?.order?.status);
      if (m?.type === 'snapshot' && m.order) apply((s) => withOrder(s, m.order));
      else if (m?.type === 'status') apply((s) => withStatus(s, m));
      else if (m?.type === 'courier') apply((s) => withCourier(s, m));
    };

    const connect = () => {
      if (stopped) return;
      ws = new WebSocket(trackUrl(id, token));
      ws.onopen = () => { attempts = 0; apply((s) => ({ ...s, conn: 'online' })); };
      ws.onmessage = onFrame;
      ws.onclose = () => {
        ws = null;
        if (stopped) return;
        if (finished || isFinal(status.current)) { apply((s) => ({ ...s, conn: 'closed' })); return; }
        const delay = Math.min(15000, 1000 * 2 ** attempts) + Math.random() * 400;
        attempts++;
        apply((s) => ({ ...s, conn: 'reconnecting' }));
        fetchOrder();
        timer = setTimeout(connect, delay);
      };
    };

    function stop(conn) {
      apply((s) => ({ ...s, conn }));
      stopped = true;
      clearTimeout(timer);
      if (ws) { ws.onclose = null; ws.close(); }
    }

    fetchOrder();
    connect();
    return () => stop('closed');
  }, [id, token]);

  const replace = (order) => setState((s) => withOrder(s, order));
  return [state, replace];
}
