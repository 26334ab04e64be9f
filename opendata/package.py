"""The whole public dataset as one Frictionless data package: a ZIP of CSV and JSON tables
with a ``datapackage.json`` describing every table and field.

Nothing here decides what the public may see or how a record looks: the tables are the API's
public resources (every list the API root names, except staff-only ones), read anonymously
through each resource's shape (``core/api/shapes.py``, declared in ``*/api/serializers.py``)
and so through the models' visibility rules and publication declarations (``core/publication.py``):

* ``csv/<resource>.csv`` — the resource's list, exactly the columns of the API's CSV
  (``core.api.renderers.csv_columns``), UTF-8 with a byte-order mark;
* ``csv/<resource>.<list>.csv`` — the nested lists of the resource's detail (a program's
  budget lines, regional participations and their targets, an event's agenda...) as tables of
  their own, each row carrying its parent's id (``<parent>_id``, a foreign key);
* ``json/<resource>.json`` — every record of the resource as the API's detail shows it;
* ``datapackage.json`` — the descriptor: every table, every field with its type (from the
  shape's schema fields, which derive from the model fields), primary and foreign keys.

The ZIP is deterministic (fixed entry times, sorted rows): the same public data gives the same
bytes, so its SHA-256 is a strong ETag.
"""

import csv
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.urls import resolve, reverse
from rest_framework import serializers

from core.api.renderers import csv_cell, csv_columns, pick
from core.api.shapes import Children, ReadContext

PACKAGE_NAME = "sme-ai-transformation-tracker"
CHUNK = 1000
#: Fixed entry time: the same data gives the same ZIP bytes (and ETag).
ZIP_TIME = (2026, 1, 1, 0, 0, 0)


class PackageContext(ReadContext):
    """An anonymous reader at one moment; record URLs under ``OPENDATA_BASE_URL`` (SITE_URL)."""

    def __init__(self, at):
        super().__init__(user=AnonymousUser(), at=at, mine=False)

    def url_prefix(self, basename: str) -> str:
        prefix = self._prefixes.get(basename)
        if prefix is None:
            base = settings.OPENDATA_BASE_URL.rstrip("/")
            prefix = self._prefixes[basename] = base + reverse(f"api:{basename}-list")
        return prefix


@dataclass
class Table:
    """One CSV table of the package."""

    name: str
    title: str
    description: str
    columns: list  # (header, path, schema field)
    rows: list = field(default_factory=list)  # built dicts
    parent: str | None = None  # the table its ``<parent_key>`` column refers to
    parent_key: str | None = None

    @property
    def path(self) -> str:
        return f"csv/{self.name}.csv"


def public_resources() -> list[tuple[str, type]]:
    """(name, viewset class) of every public list the API root names, in its order."""
    root = resolve(reverse("api:api-root")).func
    out = []
    for prefix, url_name in root.view_initkwargs["api_root_dict"].items():
        viewset = resolve(reverse(f"api:{url_name}")).func.cls
        # records with a shape; not the changes feed (a log, not a table of records)
        if getattr(viewset, "public_read", True) and getattr(viewset, "shape", None):
            out.append((prefix, viewset))
    return out


def _rows(ctx, shape, queryset) -> list[dict]:
    rows = ctx.visible(queryset).order_by("pk").values_list(*shape.columns(staff=False))
    out, start = [], 0
    while True:
        chunk = list(rows[start : start + CHUNK])
        out.extend(shape.build_page(ctx, chunk))
        if len(chunk) < CHUNK:
            return out
        start += CHUNK


def _doc(text) -> str:
    return " ".join(str(text or "").split())


def _child_tables(parent: Table, shape, records: list[dict], skip_models: set) -> list[Table]:
    """Tables of the nested lists (``Children``) of ``shape`` in ``records``, recursively."""
    tables = []
    parent_key = f"{shape.model._meta.model_name}_id"
    for nested in shape.all_nested():
        if not isinstance(nested, Children) or nested.shape.model in skip_models:
            continue
        child = nested.shape
        # lists that get a table of their own are left out of this table's columns
        own_tables = {
            n.name
            for n in child.all_nested()
            if isinstance(n, Children) and n.shape.model not in skip_models
        }
        columns = [c for c in csv_columns(child, staff=False) if c[1][0] not in own_tables]
        key_field = serializers.IntegerField(help_text=f"The {parent.name} row it belongs to.")
        table = Table(
            name=f"{parent.name}.{nested.name}",
            title=f"{parent.title}: {nested.name}",
            description=_doc(child.doc),
            columns=[(parent_key, (parent_key,), key_field), *columns],
            parent=parent.name,
            parent_key=parent_key,
        )
        items = []
        for record in records:
            for item in record.get(nested.name) or ():
                items.append(item)
                table.rows.append({parent_key: record["id"], **item})
        tables.append(table)
        tables += _child_tables(table, child, items, skip_models)
    return tables


@dataclass
class Dataset:
    tables: list[Table]
    documents: dict[str, list[dict]]  # json/<name>.json -> records (the API's detail)


def read_dataset(at) -> Dataset:
    """Every public table at the moment ``at``, as an anonymous caller reads the API."""
    ctx = PackageContext(at)
    resources = public_resources()
    top_models = {viewset.shape.model for _name, viewset in resources}
    tables, documents = [], {}
    for name, viewset in resources:
        shape = viewset.shape
        detail = viewset.detail_shape or shape
        queryset = viewset.queryset.all()
        doc = _doc(viewset.__doc__) or _doc(shape.doc)
        table = Table(name, name, doc, csv_columns(shape, staff=False), _rows(ctx, shape, queryset))
        records = _rows(ctx, detail, queryset) if detail is not shape else table.rows
        tables.append(table)
        tables += _child_tables(table, detail, records, top_models)
        documents[f"json/{name}.json"] = records
    return Dataset(tables, documents)


# --- the descriptor -----------------------------------------------------------------------------


def field_descriptor(header: str, schema_field) -> dict:
    """A Table Schema field from the shape's schema field."""
    out: dict = {"name": header}
    if isinstance(schema_field, serializers.BooleanField):
        out.update(type="boolean", trueValues=["true"], falseValues=["false"])
    elif isinstance(schema_field, serializers.IntegerField):
        out["type"] = "integer"
    elif isinstance(schema_field, serializers.FloatField):
        out["type"] = "number"
    elif isinstance(schema_field, serializers.DateTimeField):
        out["type"] = "datetime"
    elif isinstance(schema_field, serializers.DateField):
        out["type"] = "date"
    elif isinstance(schema_field, serializers.ChoiceField):
        out["type"] = "string"
        values = [str(v) for v in schema_field.choices if v not in ("", None)]
        out["constraints"] = {"enum": values}
    elif isinstance(schema_field, serializers.ListField | serializers.ListSerializer):
        out["type"] = "string"
        out["description"] = "A list: values separated by '; ' (objects as a JSON array)."
    else:
        out["type"] = "string"  # URLs too (absolute under SITE_URL)
    help_text = _doc(getattr(schema_field, "help_text", ""))
    if help_text:
        out["description"] = (
            f"{help_text} {out['description']}" if "description" in out else help_text
        )
    return out


def table_descriptor(table: Table) -> dict:
    fields = [field_descriptor(header, f) for header, _path, f in table.columns]
    schema: dict = {"fields": fields, "missingValues": [""]}
    if any(header == "id" for header, _p, _f in table.columns):
        schema["primaryKey"] = ["id"]
    if table.parent:
        schema["foreignKeys"] = [
            {
                "fields": [table.parent_key],
                "reference": {"resource": table.parent, "fields": ["id"]},
            }
        ]
    return {
        "name": table.name,
        "title": table.title,
        "description": table.description,
        "path": table.path,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8-sig",
        "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": True},
        "schema": schema,
    }


def descriptor(dataset: Dataset) -> dict:
    """``datapackage.json``: the package, every table with its schema, the JSON documents."""
    resources = [table_descriptor(t) for t in dataset.tables]
    for path in dataset.documents:
        name = path.removeprefix("json/").removesuffix(".json")
        resources.append(
            {
                "name": f"{name}-json",
                "title": f"{name} (JSON)",
                "description": f"Every {name} record as the API's detail shows it "
                f"(/api/v1/{name}/<id>/), with its nested lists.",
                "path": path,
                "profile": "data-resource",
                "format": "json",
                "mediatype": "application/json",
                "encoding": "utf-8",
            }
        )
    return {
        "profile": "data-package",
        "name": PACKAGE_NAME,
        "title": settings.OPENDATA_TITLE,
        "description": settings.OPENDATA_DESCRIPTION,
        "homepage": settings.OPENDATA_BASE_URL or "/",
        "licenses": [
            {
                "name": settings.OPENDATA_LICENSE_ID,
                "title": settings.OPENDATA_LICENSE_TITLE,
                "path": settings.OPENDATA_LICENSE_URL,
            }
        ],
        "keywords": list(settings.OPENDATA_KEYWORDS),
        "resources": resources,
    }


# --- the files ----------------------------------------------------------------------------------


def table_csv(table: Table) -> bytes:
    """The table as the API writes CSV: UTF-8 with BOM, CRLF, formula-safe cells."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([header for header, _path, _f in table.columns])
    for row in table.rows:
        writer.writerow([csv_cell(pick(row, path)) for _header, path, _f in table.columns])
    return out.getvalue().encode("utf-8")


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=False).encode("utf-8")


@dataclass(frozen=True)
class Built:
    content: bytes  # the ZIP
    sha256: str
    descriptor: dict
    tables: int
    rows: int


def build_zip(at) -> Built:
    """The package of the public data at ``at``, as ZIP bytes."""
    dataset = read_dataset(at)
    meta = descriptor(dataset)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:

        def add(path: str, data: bytes):
            info = zipfile.ZipInfo(path, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)

        add("datapackage.json", _json(meta))
        for table in dataset.tables:
            add(table.path, table_csv(table))
        for path, records in dataset.documents.items():
            add(path, _json(records))
    content = out.getvalue()
    return Built(
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        descriptor=meta,
        tables=len(dataset.tables),
        rows=sum(len(t.rows) for t in dataset.tables),
    )
