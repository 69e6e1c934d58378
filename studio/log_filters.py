"""Logging filters referenced from settings.LOGGING."""

from __future__ import annotations

import logging


class OneLineClientErrors(logging.Filter):
    """Django's request logger attaches the exception to 4xx warnings (a 403 from
    PermissionDenied, a 400 from SuspiciousOperation): an ordinary refusal would print
    a full traceback. Keep the one-line message; 5xx keep their traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
