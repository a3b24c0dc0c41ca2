"""Shared by bench/load.py and bench/http_bench.py: a seeded copy of the site served by
gunicorn on 127.0.0.1, and an HTTP load generator (wrk, or bench/loadgen.py without it).

Nothing here talks to any address but 127.0.0.1; every run is bounded in time.
"""

import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "http"
HOST = "127.0.0.1"
SEED_ARTICLE = (
    "/tin-tuc/doi-moi-phuong-thuc-lanh-dao-chi-dao-cua-cap-uy-dang-trong-khai-thac-cac-nguon-luc/"
)
PAGES = {
    "home": "/",
    "article": SEED_ARTICLE,
    "article list": "/tin-tuc/",
    "project list": "/du-an/",
    "search": "/tim-kiem/?q=ho+sen+cau+rao",
}


def site_env(**extra):
    """Production settings (debug off) over plain HTTP on 127.0.0.1, on the seeded copy."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="bench.http_settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="bench-" + secrets.token_urlsafe(40),
        DJANGO_ALLOWED_HOSTS=f"{HOST},localhost",
        DJANGO_SECURE_SSL_REDIRECT="0",
        # Kept connections, as in the README's production command.
        DJANGO_CONN_MAX_AGE="60",
        DJANGO_STATIC_ROOT=str(OUT / "static"),
        PYTHONPATH=str(ROOT),
    )
    env.setdefault("DATABASE_URL", f"sqlite:///{OUT / 'site.sqlite3'}")
    env.update(extra)
    return env


def prepare():
    """Migrate a fresh database, load the seed once, collect static files."""
    OUT.mkdir(parents=True, exist_ok=True)
    env = site_env()
    if env["DATABASE_URL"].startswith("sqlite:///"):
        database = env["DATABASE_URL"].removeprefix("sqlite:///")
        for suffix in ("", "-wal", "-shm"):  # a stale write-ahead log would replay
            Path(database + suffix).unlink(missing_ok=True)
    manage = [sys.executable, str(ROOT / "manage.py")]
    for args in (
        ["migrate", "-v0"],
        ["loaddata", "lechan", "-v0"],
        ["collectstatic", "--noinput", "-v0"],
    ):
        subprocess.run(manage + args, env=env, cwd=ROOT, check=True)  # noqa: S603 (manage.py)


class Server:
    """gunicorn with the repository's gunicorn.conf.py, on a port of 127.0.0.1."""

    def __init__(self, port, **env):
        self.port = port
        self.url = f"http://{HOST}:{port}"
        self.log = open(OUT / f"gunicorn-{port}.log", "w")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(  # noqa: S603 (this Python's gunicorn)
            [sys.executable, "-m", "gunicorn", "--config", str(ROOT / "gunicorn.conf.py")],
            env=site_env(GUNICORN_BIND=f"{HOST}:{port}", **env),
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.wait_ready()

    def wait_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/healthz/", timeout=2):  # noqa: S310
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn on port {self.port} did not start: see {self.log.name}")

    def warm(self, paths, times=3):
        for path in paths:
            for _ in range(times):
                with urllib.request.urlopen(self.url + path, timeout=30) as response:  # noqa: S310
                    response.read()

    def workers(self):
        """PIDs of the master's children (the workers)."""
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                pids.append(int(stat.parent.name))
        return pids

    def worker_memory_mb(self):
        """(resident now, peak resident) in MB of each worker, from /proc/<pid>/status."""
        sizes = []
        for pid in self.workers():
            status = Path(f"/proc/{pid}/status").read_text()
            rss, hwm = (int(re.search(rf"{k}:\s+(\d+) kB", status)[1]) for k in ("VmRSS", "VmHWM"))
            sizes.append((rss / 1024, hwm / 1024))
        return sizes

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def free_port():
    import socket

    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


# Load ---------------------------------------------------------------------------------

WRK_SCRIPT = """
local paths = {%s}
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
"""


def to_ms(text):
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def run_wrk(url, paths, connections, seconds, threads=2, headers=()):
    """{'rps', 'p50', 'p99' (ms), 'requests', 'errors'} from one wrk run.

    `headers` ("Name: value" each) go with every request.
    """
    lua = WRK_SCRIPT % ", ".join(f'"{p}"' for p in paths)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua)
    try:
        output = subprocess.run(  # noqa: S603 (Debian's wrk, loopback only)
            [
                shutil.which("wrk"),
                f"-t{threads}",
                f"-c{connections}",
                f"-d{seconds}s",
                "--timeout",
                "10s",
                "--latency",
                *[arg for header in headers for arg in ("-H", header)],
                "-s",
                script.name,
                url,
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=seconds + 60,
        ).stdout
    finally:
        os.unlink(script.name)
    percentiles = dict(re.findall(r"^\s*(50|99)(?:\.0+)?%\s+(\S+)\s*$", output, re.M))
    if set(percentiles) != {"50", "99"}:
        raise RuntimeError(f"unexpected wrk output:\n{output}")
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1]),
        "p50": to_ms(percentiles["50"]),
        "p99": to_ms(percentiles["99"]),
        "requests": int(re.search(r"(\d+) requests in", output)[1]),
        "errors": errors + (int(non_2xx[1]) if non_2xx else 0),
    }


def run_load(url, paths, connections, seconds, headers=()):
    if shutil.which("wrk"):
        return run_wrk(url, paths, connections, seconds, headers=headers)
    from bench.loadgen import run

    return run(url, paths, connections, seconds, headers)


def tool():
    return "wrk" if shutil.which("wrk") else "bench/loadgen.py (Python asyncio; wrk not found)"
