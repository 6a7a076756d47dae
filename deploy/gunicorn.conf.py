"""gunicorn in production: `gunicorn --config deploy/gunicorn.conf.py wsgi:app`.

What `make serve` and `deploy/systemd/registration-web.service` run. From the environment:
REGISTRATION_BIND (default 127.0.0.1:8000) and WEB_CONCURRENCY (workers; default two per
CPU core plus one, about 60 MB of memory each).

`systemctl reload registration-web` (or `kill -HUP` to the master) reloads gracefully: new
workers start with the code and settings now on disk, the old ones finish the requests
they are serving and leave; nobody sees an error. After `git pull` that is all it takes.
"""

import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

bind = os.environ.get("REGISTRATION_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# A request that takes longer than this is stuck: its worker is replaced.
timeout = 30
graceful_timeout = 30
# Workers are replaced now and then, so that a slow leak never grows.
max_requests = 2000
max_requests_jitter = 200
# The app writes one line per request itself, with its request id and without private
# tokens; gunicorn's own access log would repeat each line with the tokens in it.
accesslog = None
errorlog = "-"
loglevel = "info"
# No control socket: systemctl speaks to the master with signals, and one shared socket
# path per user would be taken by whichever instance started last.
control_socket_disable = True
# Only the local proxy may say that the visitor came over HTTPS (X-Forwarded-Proto).
forwarded_allow_ips = "127.0.0.1,::1"

PROJECT = Path(__file__).resolve().parent.parent


def on_starting(server):
    """Check the configuration and the database once, before any worker starts, in a
    separate process (so that a reload still loads new code): a mistake is one clear line
    and gunicorn stops. The workers then start without that check, so one replaced while the
    database is away serves the "busy for a moment" page instead of failing to boot."""
    check = subprocess.run(
        [sys.executable, "-c", "from registration import create_app; create_app()"],
        cwd=PROJECT,
        check=False,
    )
    if check.returncode != 0:
        sys.exit(check.returncode)
    os.environ["FLASK_CHECK_DATABASE_ON_START"] = "false"


def post_worker_init(worker):
    """Start the worker's mail sender and scheduler at once, not at its first request."""
    from registration.operations import start_background_work

    start_background_work(worker.wsgi)
