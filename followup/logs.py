"""Log lines as JSON or plain text, each with its request id and without patient data.

The existing log calls name records by id and phones by their last digits; the redaction filter
is the safety net behind them: numbers in a message, its arguments or an extra field are masked,
and an exception is logged with its frames but with the values in its message replaced.
"""

import logging
from typing import Any

from followup.redaction import format_exception, mask_phones

FORMATS = ("json", "plain")
# Attributes every LogRecord has; anything else on a record came as `extra`.
_STANDARD = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "request_id"}


class RedactionFilter(logging.Filter):
    """Masks phone numbers in the message and extra fields; redacts exception messages."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            # A filter that raised would fail the code that logged: the line goes out unformatted.
            message = f"{record.msg} (its arguments did not fit the message)"
        record.msg = mask_phones(message)
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            # Formatters print exc_text when there is no exc_info: only the redacted text is left.
            record.exc_text = format_exception(record.exc_info[1])
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = mask_phones(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_phones(record.stack_info)
        for name, value in list(record.__dict__.items()):
            if name not in _STANDARD and not isinstance(value, int | float | bool | type(None)):
                setattr(record, name, mask_phones(str(value)))
        return True


def config(log_format: str, level: str) -> dict[str, Any]:
    """The LOGGING setting: one console handler, its format chosen by LOG_FORMAT."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "followup.request_id.RequestIdFilter"},
            "redaction": {"()": "followup.logs.RedactionFilter"},
        },
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": "%(levelname)s %(name)s %(message)s %(request_id)s",
                "rename_fields": {"levelname": "level", "name": "logger"},
                "timestamp": True,
            },
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": log_format,
                "filters": ["request_id", "redaction"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {"django.db.backends": {"level": "WARNING"}},
    }
