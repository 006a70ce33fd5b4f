"""CSV downloads from the admin, safe to open in a spreadsheet."""

import csv

from django.http import HttpResponse

# A cell that starts with one of these is run as a formula by spreadsheet programs; text
# from readers (a name, a comment) must never be, so such cells get a leading apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value):
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_response(filename, header, rows):
    """An attachment `filename` with the `header` row, then `rows` (iterables of values)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows([cell(value) for value in row] for row in rows)
    return response
