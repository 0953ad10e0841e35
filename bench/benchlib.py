"""The parts of bench/run: a Berry server of its own per scenario, the API
calls that prepare it, wrk runs and the server's CPU time around them."""

import concurrent.futures
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.parse

import postgres_store
import report
from report import row, run_peers, table, svg_chart  # noqa: F401 (bench/run)

ADMIN = ("bench-admin@berry.test", "bench-admin-password")
SEARCHES = ["платье", "чайник", "кроссовки", "платье черное", "сковорода",
            "куртка", "плотье"]
TICK = os.sysconf("SC_CLK_TCK")


def load_average():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def cpu_seconds(pid):
    """utime + stime of process `pid`, in seconds."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class api:
    """A keep-alive JSON client of one server."""

    def __init__(self, base, token=None):
        u = urllib.parse.urlparse(base)
        self.conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
        self.token = token

    def call(self, method, path, body=None, ok=(200, 201)):
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = "Bearer " + self.token
        data = None if body is None else json.dumps(body)
        self.conn.request(method, path, data, headers)
        res = self.conn.getresponse()
        text = res.read()
        if res.status not in ok:
            raise RuntimeError(f"{method} {path}: {res.status} {text[:200]}")
        return json.loads(text) if text else None


class server:
    """`berry serve` on a fresh data dir and a free port, stopped by stop();
    on `keep_dir` instead (kept after stop), a dir made by an earlier one.
    `wrap`: a command line it runs under (perf record ...)."""

    def __init__(self, binary, flags, keep_dir=None, wait_s=60, wrap=()):
        self.keep = keep_dir is not None
        self.dir = keep_dir or tempfile.mkdtemp(prefix="berry-bench.")
        env = dict(os.environ, BERRY_ADMIN_EMAIL=ADMIN[0],
                   BERRY_ADMIN_PASSWORD=ADMIN[1])
        self.log = open(os.path.join(self.dir, "server.out"), "w+")
        self.proc = subprocess.Popen(
            list(wrap) + [binary, "serve", "--host", "127.0.0.1", "--port", "0",
             "--data", os.path.join(self.dir, "data"), "--log-level", "warn"]
            + flags, stdout=self.log, stderr=subprocess.STDOUT, env=env)
        self.base = self._wait_listening(wait_s)

    def _wait_listening(self, wait_s):
        for _ in range(int(wait_s * 10)):
            self.log.seek(0)
            m = re.search(r"listening on (http://\S+)", self.log.read())
            if m:
                return m.group(1)
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("berry did not start")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        if not self.keep:
            shutil.rmtree(self.dir, ignore_errors=True)


def wrk(base, script, env, duration, connections, path="/"):
    """One wrk run; the numbers of its BENCH line (bench/wrk_report.lua)."""
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s",
           "--timeout", "10s", "-s", script, base + path]
    out = subprocess.run(cmd, env=dict(os.environ, **env), check=True,
                         capture_output=True, text=True,
                         timeout=duration + 60).stdout
    m = re.search(r"^BENCH (.*)$", out, re.M)
    if not m:
        raise RuntimeError("wrk printed no BENCH line:\n" + out)
    return {k: int(v) for k, v in (kv.split("=") for kv in m.group(1).split())}


class bench:
    """The scenarios, each on a server of its own."""

    def __init__(self, build, here, duration, connections):
        self.berry = os.path.join(build, "berry")
        self.ref = os.path.join(build, "bench", "ref_server")
        for b in (self.berry, self.ref):
            if not os.access(b, os.X_OK):
                raise SystemExit(f"{b} missing: build first (make build, then"
                                 f" cmake --build {build} --target bench_tools)")
        if not shutil.which("wrk"):
            raise SystemExit("wrk missing: run .ci/install-deps")
        self.here = here
        self.duration = duration
        self.connections = connections
        self.flags = ["--payment-latency-ms", "0"]
        help_text = subprocess.run([self.berry, "serve", "--help"],
                                   capture_output=True, text=True).stdout
        if "rate-limits" in help_text:
            self.flags += ["--rate-limits", "off"]
        self.ref_rps = None
        self.perf_dir = None

    def script(self, name):
        return os.path.join(self.here, name)

    def measure(self, name, pid, base, script, env, path="/", note=""):
        """wrk against `base` with the server's CPU time around it."""
        env = dict(env, BERRY_BENCH_DIR=self.here)
        perf = self.start_perf(name, pid)
        cpu0 = cpu_seconds(pid)
        r = wrk(base, self.script(script), env, self.duration,
                self.connections, path)
        cpu = cpu_seconds(pid) - cpu0
        self.stop_perf(perf)
        r["cpu_us"] = 1e6 * cpu / max(1, r["requests"])
        r["rss_mb"] = rss_mb(pid)
        res = row(name, r, self.ref_rps, note)
        print("  " + report.row_line(res), flush=True)
        return res

    def start_perf(self, name, pid):
        """perf record of `pid` during the window, when --perf asked."""
        if not self.perf_dir:
            return None
        os.makedirs(self.perf_dir, exist_ok=True)
        stem = os.path.join(self.perf_dir, re.sub(r"\W+", "-", name).strip("-"))
        # PERF_CALL_GRAPH=dwarf: whole stacks without frame pointers
        # (bigger files; perf report --children then gives inclusive costs).
        graph = os.environ.get("PERF_CALL_GRAPH", "fp")
        proc = subprocess.Popen(["perf", "record", "-F", "499",
                                 "--call-graph", graph, "-p",
                                 str(pid), "-o", stem + ".data", "--",
                                 "sleep", str(self.duration)],
                                stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        return proc, stem

    def stop_perf(self, perf):
        """Waits for perf; its top symbols go to STEM.txt."""
        if not perf:
            return
        proc, stem = perf
        proc.wait()
        with open(stem + ".txt", "w") as out:
            subprocess.run(["perf", "report", "-i", stem + ".data", "--stdio",
                            "--no-children", "--sort", "symbol", "-g", "none",
                            "--percent-limit", "0.7"], stdout=out,
                           stderr=subprocess.DEVNULL)

    def run_ref(self, a):
        proc = subprocess.Popen([self.ref, "0", "1"], stdout=subprocess.PIPE,
                                text=True)
        try:
            base = proc.stdout.readline().split()[-1]
            r = self.measure("raw Beast GET (reference)", proc.pid, base,
                             "wrk_get.lua", {"BERRY_PATHS": "/json"})
        finally:
            proc.terminate()
            proc.wait()
        self.ref_rps = r["rps"]
        r["ratio"] = 1.0
        return [r]

    def products(self, base):
        total = api(base).call("GET", "/api/v1/products?page_size=1")["total"]
        return [f"p-{i:06d}" for i in range(1, total + 1)]

    def run_product(self, a):
        s = server(self.berry, self.flags)
        try:
            paths = "\n".join("/api/v1/products/" + p
                              for p in self.products(s.base))
            return [self.measure("GET product by id (random of all)",
                                 s.proc.pid, s.base, "wrk_get.lua",
                                 {"BERRY_PATHS": paths})]
        finally:
            s.stop()

    def run_search(self, a):
        s = server(self.berry, self.flags)
        try:
            paths = "\n".join("/api/v1/products?q=" + urllib.parse.quote(q)
                              for q in SEARCHES)
            return [self.measure("search (7 Russian queries)", s.proc.pid,
                                 s.base, "wrk_get.lua",
                                 {"BERRY_PATHS": paths})]
        finally:
            s.stop()

    def prepare_buyers(self, base, n=8):
        """Registers `n` buyers; a file of their tokens, one a line."""
        path = os.path.join(tempfile.gettempdir(),
                            f"berry-bench-tokens.{os.getpid()}")
        with open(path, "w") as f:
            for i in range(n):
                body = {"email": f"buyer-{i}@bench.test",
                        "password": "bench-password", "name": "Bench"}
                r = api(base).call("POST", "/api/v1/auth/register", body)
                f.write(r["token"] + "\n")
        return path

    def admin(self, base):
        token = api(base).call("POST", "/api/v1/auth/login",
                               {"email": ADMIN[0], "password": ADMIN[1]})
        return token["token"]

    def put_stock(self, base, token, pairs):
        """PUTs on_hand for each (warehouse, product, units), 8 at a time."""
        def put(chunk):
            c = api(base, token)
            for w, p, units in chunk:
                c.call("PUT", f"/api/v1/warehouses/{w}/stock/{p}",
                       {"on_hand": units})
        chunks = [pairs[i::8] for i in range(8)]
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            list(pool.map(put, chunks))

    def warehouses(self, base, token):
        return [w["id"] for w in
                api(base, token).call("GET", "/api/v1/warehouses")["items"]]

    def only_in_first(self, base, token, product, units):
        """`units` of `product` in the first warehouse, none elsewhere."""
        ws = self.warehouses(base, token)
        self.put_stock(base, token, [(w, product, units if i == 0 else 0)
                                     for i, w in enumerate(ws)])

    def stock_of(self, base, token, product):
        c = api(base, token)
        on_hand = reserved = 0
        for w in self.warehouses(base, token):
            s = c.call("GET", f"/api/v1/warehouses/{w}/stock/{product}",
                       ok=(200, 404))
            if s:
                on_hand += s["on_hand"]
                reserved += s["reserved"]
        return on_hand, reserved

    def settled_stock(self, base, token, product, wait=15):
        """stock_of once no reservation is left (checkouts wrk left behind
        end), or as it is after `wait` seconds."""
        for _ in range(wait * 10):
            on_hand, reserved = self.stock_of(base, token, product)
            if reserved == 0:
                break
            time.sleep(0.1)
        return on_hand, reserved

    def run_checkout(self, a, extra_flags=(), label="durable checkout"):
        s = server(self.berry, self.flags + list(extra_flags))
        try:
            products = self.products(s.base)
            token = self.admin(s.base)
            w0 = self.warehouses(s.base, token)[0]
            self.put_stock(s.base, token,
                           [(w0, p, 10_000_000) for p in products])
            tokens = self.prepare_buyers(s.base)
            env = {"BERRY_TOKENS": tokens,
                   "BERRY_PRODUCTS": str(len(products))}
            out = self.measure(f"{label}, random SKU of {len(products)}",
                               s.proc.pid, s.base, "checkout_wrk.lua", env)
            if not extra_flags:
                self.sqlite_checkout = out
            return [out]
        finally:
            s.stop()

    def run_checkout_pg(self, a):
        return postgres_store.run_checkout_pg(self, a)

    def run_flash(self, a):
        s = server(self.berry, self.flags)
        try:
            token = self.admin(s.base)
            tokens = self.prepare_buyers(s.base)
            self.only_in_first(s.base, token, "p-000001", 10_000_000)
            env = {"BERRY_TOKENS": tokens, "BERRY_PRODUCT": "p-000001"}
            hot = self.measure("flash sale, one SKU", s.proc.pid, s.base,
                               "checkout_wrk.lua", env)
            # Sell-out: every unit sold once, and no more. Sized to sell out
            # about halfway through the window at the rate just measured.
            stock = a.flash_stock or max(
                100, int(hot["rps"] * self.duration / 2))
            self.only_in_first(s.base, token, "p-000002", stock)
            env = dict(env, BERRY_PRODUCT="p-000002", BERRY_RUN="sellout")
            out = self.measure("flash sale sell-out", s.proc.pid, s.base,
                               "checkout_wrk.lua", env)
            on_hand, reserved = self.settled_stock(s.base, token, "p-000002")
            sold = stock - on_hand
            ok = sold == stock and reserved == 0 and out["created"] == sold
            out["note"] = (f"{stock} units: sold {sold}, 201s {out['created']}"
                           f", reserved {reserved}: "
                           + ("exact" if ok else "MISMATCH"))
            return [hot, out]
        finally:
            s.stop()
