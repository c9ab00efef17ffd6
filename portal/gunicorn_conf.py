"""gunicorn settings for production: `gunicorn -c python:portal.gunicorn_conf portal.wsgi`.

Everything can be changed from the environment (docs/deployment.md):
OVI_BIND (127.0.0.1:8000), WEB_CONCURRENCY (2 workers per core), OVI_THREADS (1),
OVI_TIMEOUT (30 s), OVI_MAX_REQUESTS (100000), OVI_ACCESS_LOG ("-": standard output;
"" turns it off).
"""

import multiprocessing
import os

bind = os.environ.get("OVI_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2))
threads = int(os.environ.get("OVI_THREADS", "1"))
timeout = int(os.environ.get("OVI_TIMEOUT", "30"))
graceful_timeout = 20
# A worker is replaced after this many requests (with jitter, so not all at once):
# a slow leak in a library cannot grow without bound. Replacing one costs a full
# import of Django, Wagtail and Ovi (~1.5 s of CPU) and empties the worker's local
# copy of cached answers (portal/caching.py). A cached answer costs well under a
# millisecond, so at 5,000 a busy worker was replaced every few seconds and spent a
# large share of its CPU starting up (docs/benchmarks.md); 100,000 keeps the leak
# bound at a cost of well under 1 %. OVI_MAX_REQUESTS=0 turns replacing off.
max_requests = int(os.environ.get("OVI_MAX_REQUESTS", "100000"))
max_requests_jitter = max_requests // 10
# Behind the reverse proxy only: trust its X-Forwarded-* headers from loopback.
forwarded_allow_ips = os.environ.get("OVI_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

accesslog = os.environ.get("OVI_ACCESS_LOG", "-") or None
# No query strings in the access log: the door finder carries a resident's postal
# code or municipality and search carries what they typed (%(U)s is the path only).
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms "%(f)s" "%(a)s"'
errorlog = "-"
loglevel = os.environ.get("OVI_LOG_LEVEL", "info")
