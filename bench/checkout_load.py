#!/usr/bin/env python3
"""Checkout throughput of a running server: a flash sale.

    bench/checkout_load.py [--base http://127.0.0.1:8080] [--buyers 200]
                           [--units 50] [--product p-000100]

Needs the server started with an admin account (BERRY_ADMIN_EMAIL /
BERRY_ADMIN_PASSWORD, passed here with --admin-email / --admin-password) and
--rate-limits off (every buyer registers from this one address).
Registers the buyers, gives the product exactly --units units in one
warehouse, then lets every buyer check out one unit at the same moment and
reports how many were paid, how many were refused, and the latency.
"""
import argparse
import http.client
import json
import threading
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
    return res.status, (json.loads(data) if data else None)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--base", default="http://127.0.0.1:8080")
    p.add_argument("--buyers", type=int, default=200)
    p.add_argument("--units", type=int, default=50)
    p.add_argument("--product", default="p-000100")
    p.add_argument("--admin-email", default="admin@example.ru")
    p.add_argument("--admin-password", default="some-long-secret")
    a = p.parse_args()

    _, admin = call(a.base, "POST", "/api/v1/auth/login",
                    {"email": a.admin_email, "password": a.admin_password})
    admin = admin["token"]
    _, whs = call(a.base, "GET", "/api/v1/warehouses", token=admin)
    for i, w in enumerate(whs["items"]):
        call(a.base, "PUT", f"/api/v1/warehouses/{w['id']}/stock/{a.product}",
             {"on_hand": a.units if i == 0 else 0}, token=admin)

    run = uuid.uuid4().hex[:8]
    tokens = [None] * a.buyers
    def register(i):
        _, body = call(a.base, "POST", "/api/v1/auth/register",
                       {"email": f"bench-{run}-{i}@example.ru",
                        "password": "password-123", "name": "Покупатель"})
        tokens[i] = body["token"]
    t0 = time.time()
    threads = [threading.Thread(target=register, args=(i,)) for i in range(a.buyers)]
    for t in threads: t.start()
    for t in threads: t.join()
    reg_s = time.time() - t0

    results = [None] * a.buyers
    start = threading.Event()
    def buy(i):
        start.wait()
        t = time.time()
        status, _ = call(a.base, "POST", "/api/v1/checkout",
                         {"lines": [{"product_id": a.product, "qty": 1}],
                          "address": {"lat": 55.7601, "lon": 37.6186, "text": "Москва"},
                          "payment": {"method": "card", "token": "tok_ok"}},
                         token=tokens[i], headers={"Idempotency-Key": f"{run}-{i}"})
        results[i] = (status, time.time() - t)
    threads = [threading.Thread(target=buy, args=(i,)) for i in range(a.buyers)]
    for t in threads: t.start()
    t0 = time.time()
    start.set()
    for t in threads: t.join()
    total = time.time() - t0

    lat = sorted(r[1] for r in results)
    codes = {}
    for s, _ in results:
        codes[s] = codes.get(s, 0) + 1
    _, prod = call(a.base, "GET", f"/api/v1/products/{a.product}")
    print(f"registered {a.buyers} buyers in {reg_s:.2f}s")
    print(f"{a.buyers} checkouts in {total:.2f}s ({a.buyers / total:.0f}/s): {codes}")
    print(f"latency p50 {lat[len(lat) // 2] * 1000:.0f} ms, "
          f"p99 {lat[int(len(lat) * 0.99) - 1] * 1000:.0f} ms, max {lat[-1] * 1000:.0f} ms")
    print(f"available afterwards: {prod['available']}")


if __name__ == "__main__":
    main()
