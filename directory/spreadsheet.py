"""CSV exports that open safely in a spreadsheet: the one home for every app's CSV.

`directory` imports no other app, so the portal and the models library can both use
this. Cells are written as UTF-8 with a byte order mark, so Excel reads å, ä and ö
right, and text that a spreadsheet would run as a formula (a cell starting with
=, +, -, @, a tab or a carriage return: "CSV injection") gets a leading apostrophe,
which spreadsheets show as plain text.
"""

import csv
import io

from django.http import HttpResponse

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def safe_cell(value):
    """The value as CSV cell text; text a spreadsheet would evaluate is made inert."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return value  # a number is never a formula (a negative one stays a number)
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def csv_text(header, rows):
    """The whole CSV document as text, byte order mark first."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue()


def csv_response(filename, header, rows):
    """An attachment `filename` (ASCII, ending .csv) with the rows, never stored by a cache."""
    response = HttpResponse(csv_text(header, rows).encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


class FormulaSafeCsvMixin:
    """For Wagtail report views (SpreadsheetExportMixin): CSV cells made inert the same way."""

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        if export_format == "csv":
            return safe_cell(value)
        return value
