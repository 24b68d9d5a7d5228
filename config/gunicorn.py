"""gunicorn settings for `make run` and for production (`gunicorn config.wsgi -c config/gunicorn.py`).

Synchronous workers, so that `timeout` bounds each request: a request still running after it is ended
together with its worker, which gunicorn replaces (with threads, the timeout would only watch the worker's
heartbeat, never a request). Imports are bounded by their own limits (a few seconds at most); the
timeout is the last net under everything else. Workers are also replaced after a number of requests,
so memory that one large request left behind does not stay for the life of the server.
"""

import os

bind = os.environ.get("CERTPREP_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("CERTPREP_WORKERS", "4"))
worker_class = "sync"
timeout = int(os.environ.get("CERTPREP_REQUEST_TIMEOUT", "60"))
graceful_timeout = 30
max_requests = int(os.environ.get("CERTPREP_WORKER_MAX_REQUESTS", "1000"))
max_requests_jitter = max_requests // 10
# Request lines and headers stay small; bodies are bounded per route by the application.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
accesslog = "-"
errorlog = "-"
control_socket_disable = True


def post_worker_init(worker):  # gunicorn's hook: the application is loaded in this worker
    from certprep.core.runtime import tune_garbage_collector

    tune_garbage_collector()
