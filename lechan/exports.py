"""Open-data exports of a list's filtered rows, as CSV (Vietnamese headers) or JSON."""

import csv
import itertools
import json
from dataclasses import dataclass
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, StreamingHttpResponse

FORMATS = ("csv", "json")


@dataclass(frozen=True)
class Column:
    key: str  # stable JSON field name
    header: str  # Vietnamese CSV header
    get: object  # function of the row

    def value(self, row):
        value = self.get(row)
        if isinstance(value, Decimal):
            return int(value) if value == value.to_integral() else float(value)
        return value


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
                yield writer.writerow(["" if (v := c.value(row)) is None else v for c in columns])

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    else:
        results = [{c.key: c.value(row) for c in columns} for row in rows]
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
        rows = filterset.qs.iterator(chunk_size=2000) if fmt == "csv" else filterset.qs
        return export(read_ahead(rows), self.export_columns, fmt, self.export_filename)


def read_ahead(rows):
    """`rows` with the first one read now, before the response starts.

    A database that is down then fails the view (the 503 page) instead of a streamed
    export that has already sent its status and header row.
    """
    rows = iter(rows)
    first = next(rows, None)
    return rows if first is None else itertools.chain([first], rows)
