"""Logs never carry a login: credentials in URLs (Subsonic's token, salt, password and API key
parameters) are blanked in every record, whoever logged it (urllib3 logs each request line)."""

from __future__ import annotations

import logging
import re

_SECRET_PARAMS = re.compile(r"([?&;](?:t|s|p|apiKey|token|password|salt)=)[^&\s\"'#]+")


def redact(text: str) -> str:
    return _SECRET_PARAMS.sub(r"\1***", text)


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message or record.exc_info:
            if record.exc_info and not record.exc_text:
                record.exc_text = logging.Formatter().formatException(record.exc_info)
            record.msg, record.args = cleaned, None
            if record.exc_text:
                record.exc_text = redact(record.exc_text)
        return True


def install(root: logging.Logger | None = None) -> None:
    """On every handler of the root logger (filters on handlers see all loggers' records)."""
    for handler in (root or logging.getLogger()).handlers:
        if not any(isinstance(f, RedactSecrets) for f in handler.filters):
            handler.addFilter(RedactSecrets())
