"""gunicorn settings for production: `gunicorn --config gunicorn.conf.py` from the project root.

Each value can be changed by an environment variable; the defaults suit one app server
behind a reverse proxy or load balancer that ends TLS and serves nothing itself.
"""

import os

wsgi_app = "lechan.wsgi:application"

# Where to listen: the proxy connects here. 0.0.0.0:8000 to take traffic from other hosts.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Processes × threads: a page spends part of its time waiting on PostgreSQL or Redis, so a
# few threads per process keep a core busy. Two processes per core by default.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1)))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("GUNICORN_THREADS", "4"))

# Load Django once in the master, then fork: faster restarts and memory shared between
# workers. No connection is opened at import, so none is shared across the fork.
preload_app = True

# A worker is replaced after this many requests (with jitter, not all at once), which
# bounds any slow growth of its memory.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10

# A request running longer than this is killed with its worker (the page answers 502).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5

# Logs to stderr for the service manager; the access log is off unless asked for ("-"),
# since the proxy in front already writes one.
errorlog = "-"
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")

# X-Forwarded-* headers are believed only from these addresses (the proxy's).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# gunicornc's control socket is off: two servers on one host would share its path.
control_socket_disable = os.environ.get("GUNICORN_CONTROL_SOCKET", "") == ""
if not control_socket_disable:
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
