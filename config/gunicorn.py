"""
gunicorn's settings for `make serve` and the benchmarks; the command line
overrides them (e.g. --bind, --workers).
"""

import os

# Loopback only: the proxy in front (deploy/nginx.conf) is what the world sees.
# Set explicitly, since gunicorn's default binds every interface when PORT is set.
bind = ["127.0.0.1:8000"]
# gunicorn's advice for sync workers, (2 × cores) + 1; WEB_CONCURRENCY overrides it.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * len(os.sched_getaffinity(0)) + 1))
# Load the application once, before forking: its start-up checks (a missing
# static manifest) then stop the server at once with their message.
preload_app = True
# gunicorn's control socket has one path per user ($HOME/.gunicorn/gunicorn.ctl):
# a second server on the machine would take it over from the first.
control_socket_disable = True


def when_ready(server):
    # Here the application is loaded (preload_app) and the worker count known.
    from config.startup import check_cache_is_shared

    check_cache_is_shared(workers=server.cfg.workers)
