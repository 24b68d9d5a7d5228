"""Logging that keeps the log readable.

Django logs every refused request (403 PermissionDenied, 400 SuspiciousOperation, ...) on the
`django.request` and `django.security.*` loggers with the exception attached, so each one printed a full
traceback although nothing went wrong in the code. A refusal is an expected answer: one line (status, path)
says all there is to say. Server errors (5xx) keep their traceback.
"""

from __future__ import annotations

import logging


class OneLineClientErrors(logging.Filter):
    """Drop the traceback of records about requests answered below 500."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
