"""gunicorn settings of geofinder, read by every gunicorn started from the repository root
(gunicorn reads ./gunicorn.conf.py by default; `make serve`, docker compose and the tests' servers
also name it with --config; the benchmarks' servers read it from their working directory).

Command-line options (--bind, --workers, --worker-class gthread, --threads, …) still apply.
"""

from geofinder.core.gunicorn_hooks import post_fork  # noqa: F401  (a gunicorn server hook)

# The access log line (when --access-logfile is given) ends with the X-Request-ID of the answer,
# the id of the request in the application's log lines.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %({x-request-id}o)s'
