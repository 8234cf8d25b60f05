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
max_requests = 5000  # recycle workers now and then; state lives in the database, not here
max_requests_jitter = 500
accesslog = os.environ.get("FLIPSIDE_ACCESS_LOG", "-")
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
