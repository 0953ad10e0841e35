#!/usr/bin/python3
"""Watch one order live over Berry's tracking WebSocket.

    examples/track_order.py ORDER_ID TOKEN [--base ws://127.0.0.1:8080]

Prints the snapshot, then every status (with its seq) and every courier
position with the ETA, until the server closes the socket after the final
status. Uses Debian's python3-websockets (installed by .ci/install-deps);
run it with /usr/bin/python3.
"""

import argparse
import asyncio
import json
import time

import websockets


async def watch(base, order_id, token):
    if base.startswith("http"):  # http://host:port works too
        base = "ws" + base[len("http"):]
    url = f"{base.rstrip('/')}/api/v1/orders/{order_id}/track?access_token={token}"
    async with websockets.connect(url, max_size=1 << 20) as ws:
        async for text in ws:
            frame = json.loads(text)
            now = time.strftime("%H:%M:%S")
            kind = frame["type"]
            if kind == "snapshot":
                order = frame["order"]
                seen = [h["status"] for h in order["history"]]
                print(f"{now} snapshot: {order['status']} (history {' -> '.join(seen)})")
            elif kind == "status":
                print(f"{now} status #{frame.get('seq')}: {frame['status']} at {frame['at']}")
            elif kind == "courier":
                loc = frame["location"]
                eta = frame.get("eta_s")
                eta_text = f", ETA {eta // 60} min {eta % 60} s" if eta is not None else ""
                print(f"{now} courier at {loc['lat']:.5f}, {loc['lon']:.5f}{eta_text}")
        print(f"closed: {ws.close_code} {ws.close_reason}")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("order_id")
    p.add_argument("token")
    p.add_argument("--base", default="ws://127.0.0.1:8080")
    a = p.parse_args()
    asyncio.run(watch(a.base, a.order_id, a.token))


if __name__ == "__main__":
    main()
