#!/usr/bin/python3
"""Live tracking under load: many sockets, every event, and how late.

    bench/tracking_load.py [--base http://127.0.0.1:8080] [--orders 20]
                           [--sockets 1000] [--product p-000120]

Run against a server started with an admin account and a high time scale,
e.g. BERRY_ADMIN_EMAIL=admin@example.ru BERRY_ADMIN_PASSWORD=some-long-secret
build/berry serve --time-scale 1000 --max-connections 20000 --rate-limits off
(and `ulimit -n` high enough). All couriers are taken off duty while the
orders are placed and the sockets connect, then put back: every delivery
then runs while all sockets listen. Reports the sockets held, the frames
received, how many sockets saw their order to the end with a normal close, the fan-out spread
(first to last socket receiving the same status frame) and the server's own
event-to-socket delay histogram (berry_tracking_delay_seconds).
Uses Debian's python3-websockets: run it with /usr/bin/python3.
"""
import argparse
import asyncio
import collections
import http.client
import json
import time
import urllib.parse
import uuid

import websockets


def call(base, method, path, body=None, token=None, headers=None):
    u = urllib.parse.urlparse(base)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
    h = {"Content-Type": "application/json"}
    if token:
        h["Authorization"] = "Bearer " + token
    h.update(headers or {})
    conn.request(method, path, json.dumps(body) if body is not None else None, h)
    res = conn.getresponse()
    data = res.read()
    conn.close()
    is_json = "json" in (res.getheader("Content-Type") or "")
    return res.status, (json.loads(data) if data and is_json else None), data


def delay_quantiles(metrics_text):
    buckets = []
    for line in metrics_text.splitlines():
        if line.startswith("berry_tracking_delay_seconds_bucket"):
            le = line.split('le="')[1].split('"')[0]
            buckets.append((float("inf") if le == "+Inf" else float(le),
                            float(line.split()[-1])))
    total = buckets[-1][1] if buckets else 0
    out = {}
    for q in (0.5, 0.99, 0.999):
        for le, n in buckets:
            if total and n >= q * total:
                out[q] = le
                break
    return total, out


async def listen(url, log, key):
    frames = []
    # No client pings: the server pings, and one busy Python process reading
    # thousands of sockets must not time its own pings out.
    async with websockets.connect(url, max_size=1 << 20, open_timeout=60,
                                  ping_interval=None) as ws:
        log["open"] += 1
        try:
            async for text in ws:
                now = time.monotonic()
                f = json.loads(text)
                frames.append(f)
                if f["type"] == "status":
                    log["first"].setdefault((key, f["seq"]), now)
                    log["last"][(key, f["seq"])] = now
        except websockets.ConnectionClosed:
            pass
        return frames, ws.close_code


async def run(a):
    _, admin, _ = call(a.base, "POST", "/api/v1/auth/login",
                       {"email": a.admin_email, "password": a.admin_password})
    admin = admin["token"]
    _, couriers, _ = call(a.base, "GET", "/api/v1/couriers", token=admin)
    ids = [c["id"] for c in couriers["items"]]

    def duty(on):
        for cid in ids:
            call(a.base, "PUT", f"/api/v1/couriers/{cid}", {"online": on}, admin)

    duty(False)
    orders = []
    for _ in range(a.orders):
        email = f"watch-{uuid.uuid4().hex[:10]}@example.ru"
        _, reg, _ = call(a.base, "POST", "/api/v1/auth/register",
                         {"email": email, "password": "password-123", "name": "Зритель"})
        token = reg["token"]
        status, order, raw = call(
            a.base, "POST", "/api/v1/checkout",
            {"lines": [{"product_id": a.product, "qty": 1}],
             "address": {"lat": 55.75, "lon": 37.62, "text": "Москва"},
             "payment": {"method": "card", "token": "tok_ok"}},
            token, {"Idempotency-Key": uuid.uuid4().hex})
        if status != 201:
            raise SystemExit(f"checkout answered {status}: {raw[:200]}")
        orders.append((order["id"], token))
    ws_base = a.base.replace("http://", "ws://")
    log = {"open": 0, "first": {}, "last": {}}
    started = time.monotonic()
    tasks = []
    for i in range(a.sockets):
        oid, token = orders[i % len(orders)]
        url = f"{ws_base}/api/v1/orders/{oid}/track?access_token={token}"
        tasks.append(asyncio.create_task(listen(url, log, oid)))
        if i % 100 == 99:
            await asyncio.sleep(0)  # let the handshakes progress
    while log["open"] < a.sockets:
        await asyncio.sleep(0.05)
        if time.monotonic() - started > 120:
            break
    held = log["open"]
    connect_s = time.monotonic() - started
    duty(True)
    results = await asyncio.gather(*tasks, return_exceptions=True)
    frames = sum(len(r[0]) for r in results if isinstance(r, tuple))
    complete = sum(1 for r in results if isinstance(r, tuple) and r[1] == 1000
                   and r[0] and r[0][-1].get("status") == "delivered")
    errors = [r for r in results if not isinstance(r, tuple)]
    codes = collections.Counter(r[1] for r in results if isinstance(r, tuple))
    spreads = sorted(log["last"][k] - log["first"][k] for k in log["first"])
    _, _, metrics = call(a.base, "GET", "/metrics")
    total, q = delay_quantiles(metrics.decode())
    print(f"sockets held at once: {held} (connected in {connect_s:.1f} s)")
    print(f"frames received: {frames}; sockets that saw delivered + close 1000: "
          f"{complete}/{a.sockets}; errors: {len(errors)}; close codes: "
          f"{dict(codes)}")
    if spreads:
        print(f"fan-out spread per status frame (first to last socket): "
              f"p50 {spreads[len(spreads) // 2] * 1000:.1f} ms, "
              f"max {spreads[-1] * 1000:.1f} ms")
    print(f"server event-to-socket delay over {int(total)} frames: " +
          ", ".join(f"p{int(k * 1000) / 10:g} <= {v * 1000:g} ms" for k, v in q.items()))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--base", default="http://127.0.0.1:8080")
    p.add_argument("--orders", type=int, default=20)
    p.add_argument("--sockets", type=int, default=1000)
    p.add_argument("--product", default="p-000120")
    p.add_argument("--admin-email", default="admin@example.ru")
    p.add_argument("--admin-password", default="some-long-secret")
    asyncio.run(run(p.parse_args()))


if __name__ == "__main__":
    main()
