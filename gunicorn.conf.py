"""Gunicorn settings for `make serve` and deployments: `gunicorn -c gunicorn.conf.py wsgi:app`."""

import multiprocessing
import os

bind = os.environ.get("FLIPSIDE_BIND", "127.0.0.1:8000")
# Sync workers, one per core: on 2 cores, 2 measured best; more raised p99 without more throughput.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
worker_class = "sync"
timeout = 30
graceful_timeout = 20
keepalive = 2
# No recycling by default: gunicorn's master replaces a retired worker on its next
# once-a-second round, and on 2 cores recycling every 5,000 requests put p99 at 0.8-1.5 s
# (11 ms without). Set FLIPSIDE_MAX_REQUESTS to recycle if a worker's memory ever grows.
max_requests = int(os.environ.get("FLIPSIDE_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("FLIPSIDE_ACCESS_LOG", "-")
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
