"""Resource shapes: the JSON of a record type, declared once.

A :class:`Shape` names a model and how its output differs from the model's publication
declaration (``core.publication``): which public fields it leaves out, renames or documents,
which references and nested lists it adds. Everything else derives from it:

* ``columns()`` — the ``values_list()`` columns of the read path (with the joins of its
  references);
* ``builder()`` — the function turning one row tuple into the output dict, generated once per
  shape as plain Python (a dict literal over tuple indexes: no per-field function calls), in a
  public and a staff variant — staff-only fields exist only in the staff variant;
* ``serializer()`` — the DRF serializer documenting the same keys for the OpenAPI schema (and
  CSV columns);
* ``write_fields()`` — the fields a write serializer accepts.

So a field added to a model's declaration appears in the API, its schema, CSV and webhooks; a
field made staff-only disappears from every anonymous answer; a rename is one entry here.

Nested lists (:class:`Children`, :class:`Through`, :class:`Computed`) are loaded for a whole
page at once, one query per list and level, through the child model's visibility rule.
"""

import datetime
import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from rest_framework import serializers

from core.api import compiled
from core.publication import is_staff, public_field_names, publication_of

KST = datetime.timezone(datetime.timedelta(hours=9), "KST")
SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")


def iso(value: datetime.datetime | datetime.date | None) -> str | None:
    """ISO 8601; datetimes with the +09:00 offset.

    Always +09:00 (KST): Asia/Seoul's history would give 1950s dates +08:30 and dates before
    1908 the local mean time +08:27:52, which is not valid RFC 3339."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.astimezone(KST).isoformat()
    return value.isoformat()


def num(value: Decimal | None) -> float | int | None:
    """A decimal as a JSON number (integral values stay integers)."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


STAFF_ONLY_HELP = "Staff only: left out of answers to anyone else."


# --- the parts of a shape -----------------------------------------------------------------------


@dataclass(frozen=True)
class Nested:
    """A list (or value) loaded for a whole page: ``load(ctx, ids) -> {id: value}``."""

    name: str
    help: str = ""

    def load(self, ctx, ids: list) -> dict:
        raise NotImplementedError

    def schema_field(self) -> serializers.Field:
        raise NotImplementedError

    def default(self):
        return []


@dataclass(frozen=True)
class Children(Nested):
    """Rows of ``shape.model`` whose foreign key ``fk`` points at the page's rows."""

    shape: "Shape | None" = None
    fk: str = ""
    order: tuple[str, ...] = ("id",)
    where: Callable | None = None  # extra filter on the child queryset

    def queryset(self, ctx, ids, at):
        queryset = ctx.visible(self.shape.model.objects.filter(**{f"{self.fk}_id__any": ids}), at)
        if self.where is not None:
            queryset = self.where(queryset)
        # By the foreign key's column, not the relation: ordering by the relation would sort
        # by the parent model's Meta.ordering, joining its tables for an order that the
        # per-parent lists below do not keep anyway.
        parent = f"{self.fk}_id"
        columns = self.shape.columns(staff=ctx.is_staff)
        return queryset.order_by(parent, *self.order).values_list(parent, *columns)

    def load(self, ctx, ids):
        build = self.shape.builder(ctx.is_staff)
        rows = compiled.rows(
            ("children", id(self.shape), self.fk, self.order, ctx.is_staff),
            lambda ids, at: self.queryset(ctx, ids, at),
            ids,
            ctx.at,
            cache=not ctx.mine and self.where is None,  # where() may read the clock
        )
        out = defaultdict(list)
        built = [build(r[1:], ctx) for r in rows]
        # Nested lists are loaded even for no rows, so a record's query count does not depend
        # on whether its lists are empty.
        self.shape.fill(ctx, built, [item["id"] for item in built])
        for r, item in zip(rows, built, strict=True):
            out[r[0]].append(item)
        return out

    def schema_field(self):
        return self.shape.serializer()(many=True, help_text=self.help or None)


@dataclass(frozen=True)
class Through(Nested):
    """The records a many-to-many field ``model.field`` links to the page's rows, each in
    ``target_shape`` (default: the target's reference shape) — or, for a through model with
    fields of its own (a role), each through row in ``through_shape``."""

    model: type[models.Model] | None = None
    field: str = ""
    target_shape: "Shape | None" = None
    through_shape: "Shape | None" = None
    order: tuple[str, ...] = ()

    def parts(self):
        m2m = self.model._meta.get_field(self.field)
        through = m2m.remote_field.through
        return through, m2m.m2m_field_name(), m2m.m2m_reverse_field_name(), m2m.related_model

    def item_shape(self) -> tuple["Shape", str]:
        """The shape each item is built with and the column prefix it is read under."""
        _through, _source, target, target_model = self.parts()
        if self.through_shape is not None:
            return self.through_shape, ""
        return self.target_shape or REF_SHAPES[target_model], f"{target}__"

    def queryset(self, ctx, ids, at):
        through, source, target, target_model = self.parts()
        queryset = through._default_manager.filter(**{f"{source}_id__any": ids})
        if not ctx.is_staff:
            condition = target_model._default_manager.published_q(at, f"{target}__")
            if self.through_shape is not None:
                condition &= through._default_manager.published_q(at, "")
            if condition:
                queryset = queryset.filter(condition)
        shape, prefix = self.item_shape()
        columns = shape.columns(prefix=prefix, staff=ctx.is_staff)
        order = self.order or (f"{target}_id",)
        parent = f"{source}_id"  # the column, not the relation (see Children.queryset)
        return queryset.order_by(parent, *order).values_list(parent, *columns)

    def load(self, ctx, ids):
        shape, prefix = self.item_shape()
        key = ("through", self.model, self.field, id(shape), prefix, self.order, ctx.is_staff)
        rows = compiled.rows(key, lambda ids, at: self.queryset(ctx, ids, at), ids, ctx.at)
        build = shape.builder(ctx.is_staff, prefix=prefix)
        items = [build(r[1:], ctx) for r in rows]
        shape.fill(ctx, items, [item["id"] for item in items])
        out = defaultdict(list)
        for r, item in zip(rows, items, strict=True):
            out[r[0]].append(item)
        return out

    def schema_field(self):
        shape, _prefix = self.item_shape()
        return shape.serializer()(many=True, help_text=self.help or None)


@dataclass(frozen=True)
class Computed(Nested):
    """A value computed for the page by ``loader(ctx, ids) -> {id: value}``."""

    loader: Callable | None = None
    field_factory: Callable[[], serializers.Field] | None = None
    empty: Callable = list

    def load(self, ctx, ids):
        return self.loader(ctx, ids)

    def schema_field(self):
        return self.field_factory()

    def default(self):
        return self.empty()


# --- the shape ----------------------------------------------------------------------------------


@dataclass
class Shape:
    """The JSON of one record type (a resource, a nested item or a reference)."""

    model: type[models.Model]
    name: str  # schema component name, e.g. "Program"
    doc: str = ""
    #: Public fields the shape carries; None: every public field of the model's declaration.
    only: tuple[str, ...] | None = None
    exclude: tuple[str, ...] = ()
    rename: dict[str, str] = field(default_factory=dict)  # model field -> output key
    help: dict[str, str] = field(default_factory=dict)  # output key -> schema help text
    refs: dict[str, "Shape"] = field(default_factory=dict)  # FK -> its reference shape
    nested: Sequence[Nested] = ()
    #: The record's own API URL under this basename (``url`` key), for resources.
    basename: str | None = None
    url_key: str = "id"  # the column the record's URL ends with (regions: "code")
    #: Many-to-many fields shown as lists of references (others are left to ``nested``).
    m2m: tuple[str, ...] = ()
    #: Scalars read through a relation: output key -> (ORM path, schema field factory).
    paths: dict[str, tuple[str, Callable]] = field(default_factory=dict)
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    # --- fields -----------------------------------------------------------------------------

    def model_fields(self, staff: bool) -> list[models.Field]:
        """The model's fields this shape outputs for a caller, in the model's order (the
        many-to-many ones are shown as lists: ``m2m`` and ``nested``)."""
        cache_key = ("fields", staff)
        if cache_key not in self._cache:
            names = public_field_names(self.model, staff=staff)
            if self.only is not None:
                names = [n for n in names if n in self.only]
            meta = self.model._meta
            fields = [meta.get_field(n) for n in names if n not in self.exclude]
            fields = [f for f in fields if not f.many_to_many]
            # bookkeeping after the record's own fields
            self._cache[cache_key] = [f for f in fields if f.name not in LAST] + [
                f for f in fields if f.name in LAST
            ]
        return self._cache[cache_key]

    def unhandled(self) -> set[str]:
        """Public fields of the model this shape neither outputs nor excludes on purpose."""
        output = {f.name for f in self.model_fields(staff=True)} | set(self.m2m)
        output |= {n.name for n in self.nested}
        output |= {source.split("__")[0] for source, _f in self.paths.values()}
        names = public_field_names(self.model, staff=True)
        if self.only is not None:
            return set()
        return {n for n in names if n not in output and n not in self.exclude}

    def staff_only_keys(self) -> set[str]:
        """Top-level output keys only staff receive."""
        staff_only = publication_of(self.model).staff_only
        return {self.key(f) for f in self.model_fields(staff=True) if f.name in staff_only}

    def key(self, f) -> str:
        return self.rename.get(f.name, f.name)

    def ref_shape(self, f) -> "Shape":
        return self.refs.get(f.name) or REF_SHAPES[f.related_model]

    def m2m_lists(self) -> list[Nested]:
        return [Through(name=self.rename.get(n, n), model=self.model, field=n) for n in self.m2m]

    def all_nested(self) -> list[Nested]:
        return [*self.m2m_lists(), *self.nested]

    # --- read path --------------------------------------------------------------------------

    def columns(self, prefix: str = "", staff: bool = False) -> tuple[str, ...]:
        """The ``values_list()`` columns, each under ``prefix`` (a relation path + ``__``)."""
        cache_key = ("columns", prefix, staff)
        if cache_key not in self._cache:
            pk = self.model._meta.pk
            fields = self.model_fields(staff)
            cols = [] if any(f.name == "id" for f in fields) else [f"{prefix}{pk.attname}"]
            for f in fields:
                if f.is_relation:
                    ref = self.ref_shape(f)
                    own_pk = f"{prefix}{f.name}__{ref.model._meta.pk.attname}"
                    cols.append(f"{prefix}{f.attname}")
                    cols += [
                        c
                        for c in ref.columns(prefix=f"{prefix}{f.name}__", staff=False)
                        if c not in (own_pk, f"{prefix}{f.name}__id")
                    ]
                else:
                    cols.append(f"{prefix}{f.name}")
            cols += [f"{prefix}{path}" for path, _f in self.paths.values()]
            self._cache[cache_key] = tuple(cols)
        return self._cache[cache_key]

    def _expressions(self, prefix: str, staff: bool, index: dict) -> list[tuple[str, str]]:
        """(output key, Python expression over the row tuple ``r``) of every scalar/reference."""
        out = []
        for f in self.model_fields(staff):
            key = self.key(f)
            if f.is_relation:
                ref = self.ref_shape(f)
                present = f"r[{index[f'{prefix}{f.attname}']}]"
                inner = ref._expressions(f"{prefix}{f.name}__", False, index)
                body = ", ".join(f"{k!r}: {e}" for k, e in inner)
                out.append((key, f"None if {present} is None else {{{body}}}"))
                continue
            column = f"{prefix}{f.name}"
            if column not in index and f.primary_key and prefix:
                column = prefix[:-2] + "_id"  # a reference's id: the referring foreign key
            out.append((key, _convert(f, f"r[{index[column]}]")))
            if key == "id" and self.basename:
                out.append(("url", f"f'{{url}}{{r[{index[prefix + self.url_key]}]}}/'"))
        for key, (path, _factory) in self.paths.items():
            out.append((key, f"r[{index[prefix + path]}]"))
        return out

    def builder(self, staff: bool, prefix: str = "") -> Callable:
        """``build(row_tuple, ctx, url=None) -> dict``, generated once per (caller, prefix) as
        a dict literal over the tuple's indexes."""
        cache_key = ("builder", prefix, staff)
        if cache_key not in self._cache:
            index = {c: i for i, c in enumerate(self.columns(prefix=prefix, staff=staff))}
            body = "".join(
                f"        {k!r}: {e},\n" for k, e in self._expressions(prefix, staff, index)
            )
            url = f"    url = url or ctx.url_prefix({self.basename!r})\n" if self.basename else ""
            source = f"def build(r, ctx, url=None):\n{url}    return {{\n{body}    }}\n"
            namespace = {"iso": iso, "num": num}
            exec(compile(source, f"<shape {self.name} {prefix or '-'} {staff}>", "exec"), namespace)
            build = namespace["build"]
            build.source = source
            self._cache[cache_key] = build
        return self._cache[cache_key]

    def fill(self, ctx, items: list[dict], ids: list) -> None:
        """Add the nested lists of a page of built items (one query per list and level)."""
        for n in self.all_nested():
            values = n.load(ctx, ids)
            for pk, item in zip(ids, items, strict=True):
                value = values.get(pk)
                item[n.name] = n.default() if value is None else value

    def read(self, ctx, queryset) -> list[dict]:
        """Every row of ``queryset`` (already filtered for the caller) in this shape."""
        return self.build_page(ctx, list(queryset.values_list(*self.columns(staff=ctx.is_staff))))

    def build_page(self, ctx, rows: list[tuple]) -> list[dict]:
        build = self.builder(ctx.is_staff)
        url = ctx.url_prefix(self.basename) if self.basename and rows else None
        items = [build(r, ctx, url) for r in rows]
        if items:
            self.fill(ctx, items, [item["id"] for item in items])
        return items

    # --- schema -----------------------------------------------------------------------------

    def serializer(self) -> type[serializers.Serializer]:
        """The DRF serializer documenting this shape (staff-only keys optional and marked)."""
        if "serializer" not in self._cache:
            attrs: dict = {"__doc__": self.doc or None, "__module__": self.model.__module__}
            staff_only = publication_of(self.model).staff_only
            for f in self.model_fields(staff=True):
                key = self.key(f)
                kwargs = {}
                help_text = self.help.get(key, "")
                if f.name in staff_only:
                    help_text = f"{help_text} {STAFF_ONLY_HELP}".strip()
                    kwargs["required"] = False
                if help_text:
                    kwargs["help_text"] = help_text
                if f.is_relation:
                    attrs[key] = self.ref_shape(f).serializer()(allow_null=f.null, **kwargs)
                else:
                    attrs[key] = _schema_field(f, **kwargs)
                if key == "id" and self.basename:
                    attrs["url"] = serializers.URLField(help_text="This record in the API.")
            for key, (_path, factory) in self.paths.items():
                attrs[key] = factory()
            for n in self.all_nested():
                attrs[n.name] = n.schema_field()
            name = f"{self.name}Serializer"
            self._cache["serializer"] = type(name, (serializers.Serializer,), attrs)
        return self._cache["serializer"]

    # --- writes -----------------------------------------------------------------------------

    def write_fields(self) -> tuple[str, ...]:
        """Output keys a write serializer accepts: the editable fields staff can read, and the
        many-to-many lists of references."""
        keys = [
            self.key(f)
            for f in self.model_fields(staff=True)
            if f.editable and not f.primary_key and f.name not in WRITE_NEVER
        ]
        return ("id", "version", *keys, *(self.rename.get(n, n) for n in self.m2m))

    # --- variants ---------------------------------------------------------------------------

    def variant(self, **changes) -> "Shape":
        """A copy with some settings changed (e.g. a detail shape with more nested lists)."""
        values = {
            name: getattr(self, name)
            for name in self.__dataclass_fields__
            if not name.startswith("_")
        }
        values.update(changes)
        return Shape(**values)


LAST = ("created_at", "updated_at", "version")
WRITE_NEVER = {"created_at", "updated_at", "version"}

#: The reference shape of each model that other shapes point at (filled by each app's
#: ``api/serializers.py`` through :func:`reference`).
REF_SHAPES: dict[type[models.Model], Shape] = {}


def reference(shape: Shape) -> Shape:
    """Register ``shape`` as how other records refer to its model."""
    REF_SHAPES[shape.model] = shape
    return shape


def _convert(f, expr: str) -> str:
    if isinstance(f, models.DateTimeField | models.DateField):
        return f"iso({expr})"
    if isinstance(f, models.DecimalField):
        return f"num({expr})"
    return expr


def _schema_field(f, **kwargs) -> serializers.Field:
    """The read-schema field of a model field."""
    null = f.null
    if f.choices:
        choices = list(f.flatchoices)
        if f.blank and "" not in [c[0] for c in choices]:
            choices = [("", "not stated"), *choices]
        return serializers.ChoiceField(choices=choices, allow_null=null, **kwargs)
    if isinstance(f, models.BooleanField):
        return serializers.BooleanField(**kwargs)
    if isinstance(f, models.DateTimeField):
        return serializers.DateTimeField(allow_null=null, **kwargs)
    if isinstance(f, models.DateField):
        return serializers.DateField(allow_null=null, **kwargs)
    if isinstance(f, models.DecimalField | models.FloatField):
        return serializers.FloatField(allow_null=null, **kwargs)
    if isinstance(f, models.IntegerField | models.AutoField):
        return serializers.IntegerField(allow_null=null, **kwargs)
    return serializers.CharField(allow_null=null, **kwargs)


class ReadContext:
    """What a read needs from the request: the caller (public or staff), the moment the
    visibility rules are evaluated at, absolute URLs, and the region scope when asked for.

    Staff reading the API get every record and the staff-only fields; the region scope of a
    regional editor narrows what they *write*, and narrows what they read only when they ask
    for it (``?scope=mine``)."""

    def __init__(self, request=None, *, user=None, at=None, mine: bool | None = None):
        from django.utils import timezone

        self.request = request
        self.user = user if user is not None else getattr(request, "user", None)
        self.is_staff = is_staff(self.user)
        self.at = at or timezone.now()
        if mine is None:
            params = getattr(request, "query_params", None) or getattr(request, "GET", {})
            mine = params.get("scope") == "mine"
        self.mine = bool(mine and self.is_staff)
        self._prefixes: dict[str, str] = {}

    def url_prefix(self, basename: str) -> str:
        """``http://host/api/v1/<resource>/``: a record's URL is this prefix + lookup + ``/``."""
        prefix = self._prefixes.get(basename)
        if prefix is None:
            from django.urls import reverse

            path = reverse(f"api:{basename}-list")
            prefix = self.request.build_absolute_uri(path) if self.request is not None else path
            self._prefixes[basename] = prefix
        return prefix

    def visible(self, queryset, at=None):
        """``queryset`` as this caller may read it: the model's visibility rule (at ``at``,
        default the request's moment), then the region scope if the caller asked for it."""
        queryset = queryset.visible_to(self.user, at or self.at)
        if self.mine:
            from core.scoping import scope_queryset

            queryset = scope_queryset(self.user, queryset)
        return queryset
