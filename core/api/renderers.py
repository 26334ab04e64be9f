"""Renderers: JSON through orjson, and CSV (UTF-8 with BOM) for every list."""

import csv
import io
from decimal import Decimal

import orjson
from django.utils.functional import Promise
from rest_framework.renderers import BaseRenderer

from core.api.shapes import num


def _default(value):
    if isinstance(value, Decimal):
        return num(value)
    if isinstance(value, Promise):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


class ORJSONRenderer(BaseRenderer):
    """``application/json`` through orjson (datetimes keep their +09:00 offset)."""

    media_type = "application/json"
    format = "json"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        return orjson.dumps(data, default=_default, option=orjson.OPT_NON_STR_KEYS)


# Spreadsheet programs run cells that start with these as formulas; such text gets a leading '.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, list):
        if all(not isinstance(item, (dict, list)) for item in value):
            return "; ".join(csv_cell(item) for item in value)
        return orjson.dumps(value, default=_default).decode()
    if isinstance(value, dict):
        return orjson.dumps(value, default=_default).decode()
    if isinstance(value, str):
        return "'" + value if value.startswith(_FORMULA_START) else value
    return str(value)


def csv_fields(serializer, prefix: tuple[str, ...] = ()):
    """(header, path, field) for every scalar of a read serializer; nested objects become a.b."""
    from rest_framework import serializers

    for name, field in serializer.fields.items():
        path = (*prefix, name)
        if isinstance(field, serializers.Serializer):
            yield from csv_fields(field, path)
        else:
            yield ".".join(path), path, field


def csv_columns(shape, *, staff: bool) -> list[tuple[str, tuple[str, ...], object]]:
    """The CSV columns of a shape for a caller: (header, value path, schema field), from the
    shape's read serializer; staff-only keys only for staff; bookkeeping last, as in the JSON.
    The API's CSV and the bulk open-data tables both use it."""
    columns = list(csv_fields(shape.serializer()()))
    if not staff:
        hidden = shape.staff_only_keys()
        columns = [c for c in columns if c[1][0] not in hidden]
    last = ("updated_at", "version")
    return [c for c in columns if c[0] not in last] + [c for c in columns if c[0] in last]


def pick(row: dict, path: tuple[str, ...]):
    value = row
    for key in path:
        if value is None:
            return None
        value = value.get(key)
    return value


class CSVRenderer(BaseRenderer):
    """``text/csv``: one row per record, nested objects flattened to ``region.code`` columns.

    The columns come from the view (``csv_columns()``), so an empty list still has its header.
    UTF-8 with a byte-order mark, so that Excel opens Korean text correctly.
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        view = (renderer_context or {}).get("view")
        if isinstance(data, dict) and "results" in data:
            data = data["results"]
        columns = view.csv_columns()
        out = io.StringIO()
        out.write("\ufeff")
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow([name for name, _path in columns])
        for row in data:
            writer.writerow([csv_cell(pick(row, path)) for _name, path in columns])
        return out.getvalue().encode("utf-8")
