"""The checkout scenario on PostgreSQL: a throwaway PostgreSQL 15 of its own
(initdb and pg_ctl in a temporary directory, a Unix socket there; as the
`postgres` user when run as root, since PostgreSQL refuses root), Berry
started with --db on it, and the same wrk run as the SQLite checkout."""

import os
import shutil
import subprocess
import tempfile

BINDIRS = ["/usr/lib/postgresql/15/bin"]


def bindir():
    """Where initdb and pg_ctl are, or None."""
    try:
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True,
                             text=True).stdout.strip()
        if out:
            BINDIRS.insert(0, out)
    except FileNotFoundError:
        pass
    for d in BINDIRS:
        if os.access(os.path.join(d, "initdb"), os.X_OK):
            return d
    return None


class throwaway_postgres:
    """A PostgreSQL cluster in a temporary directory, with a database
    `berry`; stopped and removed by stop()."""

    def __init__(self):
        self.bin = bindir()
        if not self.bin:
            raise RuntimeError("PostgreSQL 15 is not installed "
                               "(.ci/install-deps installs it)")
        self.dir = tempfile.mkdtemp(prefix="berry-bench-pg.")
        self.as_root = os.geteuid() == 0
        if self.as_root:
            shutil.chown(self.dir, "postgres", "postgres")
        data = os.path.join(self.dir, "data")
        self._run(["initdb", "-D", data, "-U", "berry", "-A", "trust",
                   "--encoding=UTF8", "--locale=C.UTF-8"])
        # Durable as Berry's SQLite is: fsync and synchronous commit on.
        self._run(["pg_ctl", "-D", data, "-w", "-l",
                   os.path.join(self.dir, "log"), "-o",
                   f"-k {self.dir} -c listen_addresses='' "
                   "-c max_connections=50 -c shared_buffers=256MB", "start"])
        self.data = data
        self._run(["psql", "-h", self.dir, "-U", "berry", "-d", "postgres",
                   "-q", "-c", "CREATE DATABASE berry"])
        self.conninfo = f"host={self.dir} user=berry dbname=berry"

    def _run(self, argv):
        argv = [os.path.join(self.bin, argv[0])] + argv[1:]
        if self.as_root:
            argv = ["runuser", "-u", "postgres", "--"] + argv
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, cwd=self.dir)

    def stop(self):
        try:
            self._run(["pg_ctl", "-D", self.data, "-m", "fast", "stop"])
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


def run_checkout_pg(bench, a):
    """bench.run_checkout's scenario with the store on PostgreSQL."""
    pg = throwaway_postgres()
    try:
        rows = bench.run_checkout(a, extra_flags=["--db", pg.conninfo],
                                  label="durable checkout on PostgreSQL")
    finally:
        pg.stop()
    sqlite = getattr(bench, "sqlite_checkout", None)
    for r in rows:
        note = "server CPU is Berry's only, not PostgreSQL's"
        if sqlite and sqlite.get("rps"):
            note = (f"{r['rps'] / sqlite['rps']:.2f}x SQLite's checkout in "
                    f"this run; " + note)
        r["note"] = note
    return rows
