import logging
import re

from portal.errors import is_database_unavailable

QUERY_STRING = re.compile(r"\?[^\s\"]*")


class RedactQueryStrings(logging.Filter):
    """Drops query strings from request log lines.

    The door finder carries the resident's postal code or municipality in the
    address (so the result can be shared); what a resident types is never logged.
    """

    def filter(self, record):
        if isinstance(record.msg, str) and "?" in record.msg:
            record.msg = QUERY_STRING.sub("?…", record.msg)
        if record.args:
            record.args = tuple(
                QUERY_STRING.sub("?…", arg) if isinstance(arg, str) else arg for arg in record.args
            )
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "GET"):
            record.request = None
        return True


class ShortenDatabaseOutages(logging.Filter):
    """One line, not a traceback, for a request answered 503 because the database was
    unreachable (portal.errors): during a restart every request logs one, and a few
    hundred identical tracebacks (Django's session read, chained to the lost
    connection) hide whatever else went wrong. Other errors keep their traceback."""

    def filter(self, record):
        error = record.exc_info[1] if record.exc_info else None
        if error is None:
            return True
        if is_database_unavailable(error):
            record.msg = "Database unavailable, answered 503: %s: %s"
            record.args = (record.args[-1] if record.args else "", f"{type(error).__name__}: {error}")
            record.exc_info = None
            record.exc_text = None
        return True
