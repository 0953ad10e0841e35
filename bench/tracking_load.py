#!/usr/bin/env python3
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
event-to-socket delay histogram (berry_tracking_delay_seconds). The sockets
are opened and read by build/bench/tracking_clients (C++, Beast, one
thread), which reports its own CPU: near 100% of a core, it is the
bottleneck, not the server.
"""
import argparse
import http.client
import json
import os
import subprocess
import time
import urllib.parse
import uuid


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


def run(a):
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
    u = urllib.parse.urlparse(a.base)
    started = time.monotonic()
    clients = subprocess.Popen(
        [a.clients, u.hostname, str(u.port), str(a.sockets)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    clients.stdin.write("".join(f"{o} {t}\n" for o, t in orders))
    clients.stdin.close()
    held = int(clients.stdout.readline().split()[-1])
    connect_s = time.monotonic() - started
    duty(True)
    r = json.loads(clients.stdout.readline())
    clients.wait()
    _, _, metrics = call(a.base, "GET", "/metrics")
    total, q = delay_quantiles(metrics.decode())
    dropped = [line for line in metrics.decode().splitlines()
               if line.startswith("berry_tracking_dropped_total")]
    print(f"sockets held at once: {held} (connected in {connect_s:.1f} s)")
    print(f"frames received: {r['frames']}; sockets that saw delivered + close"
          f" 1000: {r['complete']}/{a.sockets}; close codes: "
          f"{r['close_codes']}; {dropped[0] if dropped else ''}")
    print(f"fan-out spread per status frame (first to last socket): "
          f"p50 {r['spread_p50_ms']:.1f} ms, max {r['spread_max_ms']:.1f} ms")
    print(f"server event-to-socket delay over {int(total)} frames: " +
          ", ".join(f"p{int(k * 1000) / 10:g} <= {v * 1000:g} ms"
                    for k, v in q.items()))
    print(f"load generator: {r['cpu_s']:.1f} s of CPU in {r['wall_s']:.1f} s"
          f" ({100 * r['cpu_s'] / max(r['wall_s'], 1e-9):.0f}% of one core)")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--base", default="http://127.0.0.1:8080")
    p.add_argument("--orders", type=int, default=20)
    p.add_argument("--sockets", type=int, default=1000)
    p.add_argument("--product", default="p-000120")
    p.add_argument("--admin-email", default="admin@example.ru")
    p.add_argument("--admin-password", default="some-long-secret")
    p.add_argument("--clients", default=os.path.join(
        os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "build",
        "bench", "tracking_clients"))
    run(p.parse_args())


if __name__ == "__main__":
    main()
