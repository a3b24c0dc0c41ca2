"""Open-data exports of a list's filtered rows, as CSV (Vietnamese headers) or JSON.

CSV is read by people in spreadsheet programs: a coded column shows its Vietnamese label, and
text that a spreadsheet would take for a formula is neutralised. JSON is read by programs: a
coded column gives the stable code and, beside it, the label (`<key>_label`).
"""

import csv
import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from operator import attrgetter

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

FORMATS = ("csv", "json")
# A text cell starting with one of these is a formula to a spreadsheet program (OWASP, CSV
# injection): it gets a leading single quote, which makes it text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    key: str  # stable JSON field name
    header: str  # Vietnamese CSV header
    get: object  # function of the row
    label: object = None  # for a coded column: function of the row giving the code's label

    def value(self, row):
        value = self.get(row)
        if isinstance(value, Decimal):
            return int(value) if value == value.to_integral() else float(value)
        if isinstance(value, datetime):  # local time with its offset, to the second
            return timezone.localtime(value).replace(microsecond=0).isoformat()
        return value

    def fields(self, row):
        """The JSON fields of `row`: the value, and the label of a coded column."""
        if self.label is None:
            return {self.key: self.value(row)}
        return {self.key: self.value(row), f"{self.key}_label": self.label(row)}

    def cell(self, row):
        """The CSV cell of `row`: the label of a coded column, a number, or safe text."""
        value = self.value(row) if self.label is None else self.label(row)
        if value is None:
            return ""
        if isinstance(value, str) and value.startswith(FORMULA_STARTS):
            return "'" + value
        return value


def choice(key, header):
    """A column of a model field with choices (TextChoices): its code and Vietnamese label."""
    return Column(key, header, attrgetter(key), lambda row: getattr(row, f"get_{key}_display")())


def record(row, columns):
    """The JSON object of `row`."""
    fields = {}
    for column in columns:
        fields.update(column.fields(row))
    return fields


class _Echo:
    def write(self, value):
        return value


def export(rows, columns, fmt, filename):
    """A response with `rows` as `fmt` ("csv" or "json"), named `filename`.{fmt}."""
    if fmt == "csv":
        writer = csv.writer(_Echo())

        def lines():
            yield "\ufeff"  # lets spreadsheet programs read the file as UTF-8
            yield writer.writerow([c.header for c in columns])
            for row in rows:
                yield writer.writerow([c.cell(row) for c in columns])

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    else:
        results = [record(row, columns) for row in rows]
        body = json.dumps(
            {"count": len(results), "results": results},
            cls=DjangoJSONEncoder,
            ensure_ascii=False,
            indent=1,
        )
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


class ExportMixin:
    """For a FilterView: `?format=csv|json` exports exactly the filtered rows."""

    export_columns = ()
    export_filename = "du-lieu"

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("format")
        if fmt not in FORMATS:
            return super().get(request, *args, **kwargs)
        filterset = self.get_filterset(self.get_filterset_class())
        if not filterset.is_valid():
            errors = "; ".join(f"{k}: {' '.join(v)}" for k, v in filterset.errors.items())
            return HttpResponse(
                f"Bộ lọc không hợp lệ: {errors}",
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        if fmt == "json":  # read whole: a database that is down fails the view (the 503 page)
            return export(filterset.qs, self.export_columns, fmt, self.export_filename)
        # A CSV streams, and its status and header row leave before the rows are read: ask
        # the database first, so that one that is down fails the view too. The rows are read
        # as the server sends them, from a cursor it closes when done.
        filterset.qs.exists()
        rows = filterset.qs.iterator(chunk_size=2000)
        return export(rows, self.export_columns, fmt, self.export_filename)
