"""bench/run's output: table rows, the peers' figures, the Markdown table
and the SVG chart."""

import math
import os
import re
import subprocess


def row(name, r, ref_rps, note=""):
    """A table row from a wrk result (see benchlib.wrk) and its CPU time."""
    secs = max(1, r["duration_us"]) / 1e6
    rps = r["requests"] / secs
    return {
        "name": name,
        "rps": rps,
        "p50_ms": r["p50_us"] / 1000,
        "p99_ms": r["p99_us"] / 1000,
        "cpu_us": r["cpu_us"],
        "rss_mb": r["rss_mb"],
        "non2xx": r["non2xx"],
        "errors": r["errors"],
        "created": r.get("created", 0),
        "ratio": rps / ref_rps if ref_rps else None,
        "note": note,
    }


def row_line(r):
    return (f"{r['name']}: {r['rps']:.0f} req/s, p50 {r['p50_ms']:.2f} ms, "
            f"p99 {r['p99_ms']:.2f} ms, {r['cpu_us']:.0f} us CPU/req, "
            f"non-2xx {r['non2xx']}, socket errors {r['errors']}, "
            f"RSS {r['rss_mb']:.0f} MB")


def run_peers(peers_dir, duration, connections):
    """Runs ../shared/bench's PostgreSQL and Redis scripts; their
    `peer=NAME durable=.. tps=N p99_ms=N` lines as dicts."""
    out = []
    env = {"DUR": str(duration), "CLIENTS": str(connections)}
    for script in ("pg_flash.sh", "redis_flash.sh"):
        print(f"== peer {script}", flush=True)
        p = subprocess.run(["bash", f"{peers_dir}/{script}"], text=True,
                           capture_output=True, timeout=600,
                           env=dict(os.environ, **env))
        for line in p.stdout.splitlines():
            m = re.match(r"peer=(\S+) durable=(\S+) tps=(\S+) p99_ms=(\S+)",
                         line)
            if m:
                out.append({"name": m.group(1), "durable": m.group(2),
                            "tps": float(m.group(3)),
                            "p99_ms": float(m.group(4))
                            if m.group(4) != "na" else None})
                print("  " + line, flush=True)
        if p.returncode != 0:
            print(f"  {script} failed ({p.returncode}): {p.stderr[-500:]}",
                  flush=True)
    return out


# Which Berry scenario each peer is compared to.
PEER_OF = {"pg_sku1000": "durable checkout", "pg_hot1": "flash sale, one",
           "redis_always": "flash sale, one", "redis_everysec":
           "flash sale, one"}


def fmt(x, digits=0):
    return "-" if x is None else f"{x:,.{digits}f}"


def table(rows, peers, stamp, load_before, load_after, duration, conns):
    lines = [
        f"Measured {stamp}, wrk -t2 -c{conns} -d{duration}s on loopback, "
        f"load average {load_before} before, {load_after} after.",
        "",
        "| scenario | req/s | p50 ms | p99 ms | server CPU us/req | "
        "x raw Beast | RSS MB | notes |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        note = r["note"]
        if r["non2xx"] or r["errors"]:
            note = (note + "; " if note else "") + (
                f"non-2xx {r['non2xx']}, socket errors {r['errors']}")
        lines.append(
            f"| {r['name']} | {fmt(r['rps'])} | {fmt(r['p50_ms'], 2)} | "
            f"{fmt(r['p99_ms'], 2)} | {fmt(r['cpu_us'])} | "
            f"{fmt(r['ratio'], 3)} | {fmt(r['rss_mb'])} | {note} |")
    if peers:
        lines += ["", "| peer (same run) | durable | tps | p99 ms | "
                  "Berry's scenario | Berry / peer tps | Berry p99 / peer p99 |",
                  "|---|---|---:|---:|---|---:|---:|"]
        for p in peers:
            ours = next((r for r in rows
                         if r["name"].startswith(PEER_OF.get(p["name"], "?"))),
                        None)
            ratio = ours["rps"] / p["tps"] if ours and p["tps"] else None
            p99 = (ours["p99_ms"] / p["p99_ms"]
                   if ours and p["p99_ms"] else None)
            lines.append(
                f"| {p['name']} | {p['durable']} | {fmt(p['tps'])} | "
                f"{fmt(p['p99_ms'], 2)} | {ours['name'] if ours else '-'} | "
                f"{fmt(ratio, 2)} | {fmt(p99, 2)} |")
    return "\n".join(lines)


def svg_chart(rows, peers, stamp):
    """Horizontal bars of req/s on a log scale: Berry's scenarios, then the
    peers."""
    bars = [(r["name"], r["rps"], "#8e2c48") for r in rows]
    bars += [(f"peer {p['name']}", p["tps"], "#7a8a99") for p in peers]
    left, width, h, top = 300, 420, 22, 40
    top_rps = max([b[1] for b in bars] + [10])
    decades = max(1, math.ceil(math.log10(top_rps)))

    def x(v):
        return left + width * max(0.0, math.log10(max(v, 1))) / decades

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 90}"'
           f' height="{top + h * len(bars) + 30}" font-family="sans-serif"'
           f' font-size="12">',
           f'<text x="10" y="20" font-size="14">Berry bench, {stamp} '
           f'(requests/s, log scale)</text>']
    for d in range(decades + 1):
        gx = left + width * d / decades
        out.append(f'<line x1="{gx:.0f}" y1="{top - 5}" x2="{gx:.0f}" '
                   f'y2="{top + h * len(bars)}" stroke="#ddd"/>'
                   f'<text x="{gx:.0f}" y="{top + h * len(bars) + 15}" '
                   f'text-anchor="middle" fill="#666">{10 ** d:,}</text>')
    for i, (name, v, colour) in enumerate(bars):
        y = top + i * h
        out.append(f'<text x="{left - 6}" y="{y + 15}" text-anchor="end">'
                   f'{name}</text><rect x="{left}" y="{y + 3}" '
                   f'width="{x(v) - left:.1f}" height="{h - 6}" '
                   f'fill="{colour}"/><text x="{x(v) + 4:.1f}" y="{y + 15}">'
                   f'{v:,.0f}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
