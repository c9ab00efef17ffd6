import logging
import re

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
