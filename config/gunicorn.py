"""Gunicorn's settings for `make serve`, from the environment (docs/deploy.md lists each one)."""

import os

from config.env import env_int, env_str

# Gunicorn's own advice: two workers per core plus one. The cap keeps a large machine from
# opening more database connections than PostgreSQL's max_connections allows.
workers = env_int("WEB_CONCURRENCY", min(2 * (os.cpu_count() or 1) + 1, env_int("WEB_WORKERS_MAX", 8)))
threads = env_int("WEB_THREADS", 2)
worker_class = "gthread" if threads > 1 else "sync"
bind = env_str("WEB_BIND", "127.0.0.1:8000")
timeout = env_int("WEB_TIMEOUT", 60)
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests, so a slow leak never grows without bound.
max_requests = 1000
max_requests_jitter = 100
# Only the proxy in front may say the request came over HTTPS (X-Forwarded-Proto).
forwarded_allow_ips = env_str("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# The access log has no query strings (search terms are personal data) and no client addresses.
accesslog = "-"
access_log_format = '"%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
# Gunicorn's run-time control socket is one path per user: unused here, and several servers on one
# machine would contend for it.
control_socket_disable = True
# The application is loaded once in the master and readied there (templates compiled, views imported:
# earlyhelp/web/warm.py) before the workers are forked, so no worker's first requests pay for it. New code
# therefore needs a restart of the server, not a HUP.
preload_app = True


def when_ready(server):
    from earlyhelp.web.warm import warm_up

    server.log.info("Readied before the workers start: %d templates compiled", warm_up())
