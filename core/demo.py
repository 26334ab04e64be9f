"""The demo data set: the tables in ``demo/*.yaml``, checked and loaded idempotently.

Each top-level key of a file is a table, named by its model (``programs.Program``); each row is
found in the database by its natural key (the table's ``lookup`` fields) and written through
:func:`core.services.record_upsert` (``full_clean()``, saved only when something differs), so a
second run changes nothing. A reference to another record is written as that record's key in
the data (a program slug, an organization key, a source key, a region code) or, for rows
without a key of their own, as a mapping of the referenced table's lookup fields.

This module knows no model: everything specific lives in the data files (format:
``docs/demo-data.md``). The whole data set is checked before anything is written, and every
problem names its file, line and entry.
"""

import datetime
import difflib
import functools
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from django.apps import apps
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from core.services import m2m_sync, record_upsert

DEMO_DIR = Path(settings.BASE_DIR) / "demo"
TABLE_KEYS = ("key", "lookup", "defaults", "rows", "in_database")


class DemoDataError(Exception):
    """The demo data cannot be loaded; ``problems`` lists every reason, one line each."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


# -- reading YAML ------------------------------------------------------------------------------
class _Mapping(dict):
    """A YAML mapping that remembers the line it starts on and the line of each key."""

    line = 0
    lines: dict


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml when built with it
    """Safe YAML that refuses a key given twice in one mapping (PyYAML keeps the last)."""


def _construct_mapping(loader, node):
    loader.flatten_mapping(node)
    mapping = _Mapping()
    mapping.line = node.start_mark.line + 1
    mapping.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"{key!r} is given twice in this mapping", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.lines[key] = key_node.start_mark.line + 1
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path(settings.BASE_DIR).resolve()))
    except ValueError:
        return str(path)


# -- the data set ------------------------------------------------------------------------------
@dataclass(eq=False)
class Table:
    label: str
    model: type[models.Model]
    file: str
    line: int
    key: str | None = None
    lookup: list[str] = field(default_factory=list)
    defaults: dict = field(default_factory=dict)
    in_database: bool = False
    entries: list["Entry"] = field(default_factory=list)

    def __str__(self):
        return f"{self.file}, line {self.line} (table {self.label})"


@dataclass(eq=False)
class Entry:
    table: Table
    name: str | None  # the entry's key in a keyed table; None in a list table
    number: int  # 1-based position in its table
    line: int
    row: dict  # the fields as written, with the table's defaults filled in
    lines: dict = field(default_factory=dict)  # field name -> line in the file

    def __str__(self):
        return self.at()

    def at(self, field_name: str | None = None) -> str:
        """Where the entry (or one of its fields) is written, for a problem message."""
        which = repr(self.name) if self.name is not None else f"row {self.number}"
        line = self.lines.get(field_name, self.line)
        if field_name not in self.lines and field_name in self.table.defaults:
            which += f", {field_name} from the table's defaults"
        return f"{self.table.file}, line {line} ({self.table.label} {which})"


class DemoData:
    """The parsed and checked tables of a demo data directory."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self.tables: list[Table] = []
        self.problems: list[str] = []
        self._by_model: dict[type[models.Model], Table] = {}
        self._values: dict[Entry, dict] = {}  # entry -> {field name: converted value}
        self._lookups: dict[Entry, tuple] = {}
        self._in_database: dict[Table, set] = {}
        self._converting: set[Entry] = set()

    # -- reading --------------------------------------------------------------------------
    @classmethod
    def read(cls, directory: Path | None = None) -> "DemoData":
        """Read and check every ``*.yaml`` file; raise :class:`DemoDataError` on any problem."""
        data = cls(directory or DEMO_DIR)
        files = sorted(data.directory.glob("*.yaml"))
        if not files:
            raise DemoDataError([f"{_display_path(data.directory)}: no *.yaml demo data files"])
        for path in files:
            data._read_file(path)
        if not data.problems:
            data._check()
        if data.problems:
            raise DemoDataError(data.problems)
        return data

    def _read_file(self, path: Path):
        name = _display_path(path)
        try:
            content = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # a SafeLoader
        except yaml.YAMLError as exc:
            self.problems.append(f"{name}: not valid YAML: {exc}")
            return
        if content is None:
            return
        if not isinstance(content, dict):
            self.problems.append(f"{name}: expected a mapping of tables (app_label.Model: ...)")
            return
        for label, spec in content.items():
            line = getattr(spec, "line", 1)
            where = f"{name}, line {line} (table {label})"
            try:
                model = apps.get_model(str(label))
            except (LookupError, ValueError):
                self.problems.append(
                    f"{where}: no model {label!r}; a table is named app_label.Model, "
                    "e.g. programs.Program"
                )
                continue
            if not isinstance(spec, dict):
                self.problems.append(f"{where}: expected a mapping with lookup/key and rows")
                continue
            if model in self._by_model:
                self.problems.append(
                    f"{where}: {label} already has a table in {self._by_model[model]}"
                )
                continue
            unknown = sorted(set(spec) - set(TABLE_KEYS))
            if unknown:
                self.problems.append(
                    f"{where}: unknown table setting {', '.join(map(repr, unknown))} "
                    f"(allowed: {', '.join(TABLE_KEYS)})"
                )
                continue
            table = Table(label=model._meta.label, model=model, file=name, line=line)
            self._by_model[model] = table
            self.tables.append(table)
            self._read_table(table, spec)

    def _read_table(self, table: Table, spec: dict):
        table.key = spec.get("key")
        table.in_database = spec.get("in_database", False) is True
        lookup = spec.get("lookup", [table.key] if table.key else [])
        defaults = spec.get("defaults", {})
        rows = spec.get("rows")
        fields = _writable_fields(table.model)
        if table.key is not None:
            key_field = fields.get(table.key)
            if key_field is None or not key_field.unique:
                self.problems.append(
                    f"{table}: key {table.key!r} is not a unique field of the model"
                )
                return
        if not isinstance(lookup, list) or not lookup:
            self.problems.append(f"{table}: lookup must be a list of fields, e.g. [name, kind]")
            return
        for name in lookup:
            if name not in fields or fields[name].many_to_many:
                self.problems.append(
                    f"{table}: lookup field {name!r} {_no_field(table.model, name)}"
                )
                return
        table.lookup = lookup
        if not isinstance(defaults, dict):
            self.problems.append(f"{table}: defaults must be a mapping of field: value")
            return
        table.defaults = dict(defaults)
        if table.in_database:
            if table.key is None or rows is not None or defaults:
                self.problems.append(
                    f"{table}: an in_database table names its key and has no rows or defaults"
                )
            return
        if isinstance(rows, dict):
            items = [(str(name), row) for name, row in rows.items()]
        elif isinstance(rows, list):
            if table.key is not None:
                self.problems.append(
                    f"{table}: rows must be a mapping keyed by {table.key} (key: {table.key})"
                )
                return
            items = [(None, row) for row in rows]
        else:
            self.problems.append(f"{table}: rows must be a mapping (keyed rows) or a list")
            return
        for number, (name, row) in enumerate(items, 1):
            line = getattr(row, "line", table.line)
            if not isinstance(row, dict):
                where = Entry(table, name, number, line, {})
                self.problems.append(f"{where}: expected a mapping of field: value")
                continue
            if table.key is not None and table.key in row:
                where = Entry(table, name, number, line, {})
                self.problems.append(
                    f"{where}: {table.key!r} is the entry's key; do not repeat it in the row"
                )
                continue
            merged = {**table.defaults, **row}
            if table.key is not None:
                merged[table.key] = name
            lines = getattr(row, "lines", {})
            table.entries.append(Entry(table, name, number, line, merged, lines))

    # -- checking -------------------------------------------------------------------------
    def _check(self):
        for table in self.tables:
            for entry in table.entries:
                if entry not in self._values:
                    self._values[entry] = self._convert_row(entry)
        seen: dict[tuple, Entry] = {}
        for table in self.tables:
            for entry in table.entries:
                lookup = self.lookup_of(entry)
                if lookup is None:
                    continue
                other = seen.setdefault((table.label, lookup), entry)
                if other is not entry:
                    self.problems.append(
                        f"{entry}: same {', '.join(table.lookup)} as {other}; "
                        "one record cannot have two rows"
                    )
        self._check_cycles()

    def _convert_row(self, entry: Entry) -> dict:
        if entry in self._converting:
            raise _Problem(f"{entry} is identified through a reference back to itself")
        self._converting.add(entry)
        try:
            return self._convert_fields(entry)
        finally:
            self._converting.discard(entry)

    def _convert_fields(self, entry: Entry) -> dict:
        fields = _writable_fields(entry.table.model)
        values = {}
        for name, raw in entry.row.items():
            model_field = fields.get(name)
            if model_field is None:
                self.problems.append(
                    f"{entry.at(name)}: unknown field {name!r}: {_no_field(entry.table.model, name)}"
                )
                continue
            try:
                values[name] = self._convert(model_field, raw)
            except _FollowOn:
                continue
            except _Problem as problem:
                self.problems.append(f"{entry.at(name)}: {name}: {problem}")
        for name in entry.table.lookup:
            if name not in values and name not in entry.row:
                model_field = fields[name]
                default = model_field.get_default()
                if default in (None, "") and not (model_field.null or model_field.blank):
                    self.problems.append(f"{entry}: {name} is missing (it identifies the row)")
        return values

    def _convert(self, model_field, raw):
        if model_field.many_to_many:
            if not isinstance(raw, list):
                raise _Problem("expected a list of references, e.g. [a, b]")
            return [self._reference(model_field, item) for item in raw]
        if raw is None:
            if model_field.null:
                return None
            raise _Problem("is required; it cannot be null")
        if model_field.is_relation:
            return self._reference(model_field, raw)
        value = _scalar(model_field, raw)
        if model_field.choices:
            allowed = [choice for choice, _label in model_field.flatchoices]
            if value not in allowed:
                raise _Problem(f"{value!r} is not one of: {', '.join(map(str, allowed))}")
        return value

    def _reference(self, model_field, raw):
        """The entry (or, for an in_database table, the key) that ``raw`` refers to."""
        target = model_field.related_model
        tables = [t for t in self.tables if issubclass(t.model, target)]
        tables.sort(key=lambda t: t.model is not target)
        if not tables:
            raise _Problem(f"the demo data has no table of {target._meta.label} to refer to")
        if isinstance(raw, bool) or not isinstance(raw, str | int | dict):
            raise _Problem(f"a reference is a key or a mapping of lookup fields, not {raw!r}")
        if isinstance(raw, dict):
            return self._reference_by_lookup(tables, target, raw)
        key = str(raw)
        found = []
        for table in tables:
            if table.in_database:
                if key in self._database_keys(table):
                    found.append(_DatabaseRef(table, key))
            else:
                found.extend(e for e in table.entries if e.name == key)
        if len(found) == 1:
            return found[0]
        names = " or ".join(t.label for t in tables)
        if not found and all(t.in_database for t in tables):
            keys = sorted(k for t in tables for k in self._database_keys(t))
            raise _Problem(
                f"no {names} with {tables[0].key} {key!r} in the database "
                f"(it has {', '.join(keys)}){_did_you_mean(key, keys)}"
            )
        if not found:
            keys = [e.name for t in tables for e in t.entries if e.name]
            keys += [k for t in tables if t.in_database for k in self._database_keys(t)]
            suggestion = _did_you_mean(key, keys)
            raise _Problem(f"no {names} {key!r} in the demo data{suggestion}")
        raise _Problem(
            f"{key!r} is the key of more than one {names} entry: {', '.join(map(str, found))}"
        )

    def _reference_by_lookup(self, tables, target, raw):
        found = []
        for table in tables:
            if table.in_database:
                continue
            if set(raw) - set(table.lookup):
                continue
            fields = _writable_fields(table.model)
            wanted = self._lookup_tuple(
                table, fields, {n: self._convert(fields[n], v) for n, v in raw.items()}
            )
            found.extend(e for e in table.entries if self.lookup_of(e) == wanted)
        if len(found) == 1:
            return found[0]
        if not found and any(
            self.lookup_of(e) is None for t in tables if not t.in_database for e in t.entries
        ):
            raise _FollowOn  # a row it might mean has a problem of its own, reported there
        if len({e.table for e in found}) == 1 and found:
            raise _FollowOn  # rows with the same lookup: reported as "cannot have two rows"
        lookups = " or ".join(f"[{', '.join(t.lookup)}]" for t in tables if not t.in_database)
        if not found:
            raise _Problem(
                f"no {target._meta.label} with {_show(raw)} in the demo data "
                f"(a mapping reference gives the lookup fields {lookups})"
            )
        raise _Problem(f"{_show(raw)} matches more than one row: {', '.join(map(str, found))}")

    def _database_keys(self, table: Table) -> set:
        if table not in self._in_database:
            values = table.model._default_manager.values_list(table.key, flat=True)
            self._in_database[table] = {str(v) for v in values}
        return self._in_database[table]

    def lookup_of(self, entry: Entry):
        """The converted values of the entry's lookup fields (None if they did not convert)."""
        if entry not in self._lookups:
            values = self._values.get(entry)
            if values is None:
                values = self._values[entry] = self._convert_row(entry)
            fields = _writable_fields(entry.table.model)
            if any(n in entry.row and n not in values for n in entry.table.lookup):
                return None
            self._lookups[entry] = self._lookup_tuple(entry.table, fields, values)
        return self._lookups[entry]

    @staticmethod
    def _lookup_tuple(table, fields, values):
        return tuple(values[n] if n in values else fields[n].get_default() for n in table.lookup)

    def _check_cycles(self):
        """Refuse references that go round in a circle (A's parent is B, B's parent is A)."""
        done: set[Entry] = set()

        def visit(entry, path):
            if entry in path:
                cycle = [*path[path.index(entry) :], entry]
                self.problems.append(
                    f"{entry}: references go round in a circle: "
                    + " → ".join(str(e.name or e.number) for e in cycle)
                )
                return
            if entry in done:
                return
            for dep in self.dependencies(entry):
                visit(dep, [*path, entry])
            done.add(entry)

        for table in self.tables:
            for entry in table.entries:
                visit(entry, [])

    def dependencies(self, entry: Entry) -> list[Entry]:
        """The entries this one's foreign keys (and lookup references) point at."""
        return [v for v in self._values.get(entry, {}).values() if isinstance(v, Entry)]

    def values_of(self, entry: Entry) -> dict:
        return self._values[entry]


@dataclass(frozen=True)
class _DatabaseRef:
    """A reference to a row the data set does not load (e.g. a region, from a migration)."""

    table: Table
    key: str


class _Problem(Exception):
    pass


class _FollowOn(_Problem):
    """A problem caused by another one that is reported already."""


def _show(mapping: dict) -> str:
    return "{" + ", ".join(f"{k}: {v}" for k, v in mapping.items()) + "}"


def _did_you_mean(word, candidates) -> str:
    close = difflib.get_close_matches(str(word), [str(c) for c in candidates], n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


@functools.cache
def _writable_fields(model) -> dict:
    """The fields a data row may set: editable concrete fields and plain many-to-many fields."""
    fields = {}
    for f in model._meta.get_fields():
        if f.auto_created or not (f.concrete or f.many_to_many):
            continue
        if getattr(f, "primary_key", False) or not f.editable:
            continue
        if f.many_to_many and not f.remote_field.through._meta.auto_created:
            continue  # an m2m with its own through model is filled through that model's table
        fields[f.name] = f
    return fields


def _no_field(model, name) -> str:
    label = model._meta.label
    try:
        f = model._meta.get_field(name)
    except FieldDoesNotExist:
        suggestion = _did_you_mean(name, list(_writable_fields(model)))
        return f"{label} has no such field{suggestion}"
    if f.many_to_many and not f.auto_created:
        through = f.remote_field.through._meta.label
        return f"is filled through the {through} table, not in the {label} row"
    if not getattr(f, "editable", False) or f.auto_created:
        return f"is not set by data ({label} computes or manages it)"
    return f"cannot be set here ({label})"


def _scalar(model_field, raw):
    """A YAML scalar as the model field's Python value; times without an offset are Seoul's."""
    if isinstance(model_field, models.BooleanField):
        if not isinstance(raw, bool):
            raise _Problem(f"expected true or false, not {raw!r}")
        return raw
    if isinstance(model_field, models.CharField | models.TextField):
        if not isinstance(raw, str):
            raise _Problem(f"expected text, not {raw!r}; put it in quotes")
        return raw
    if isinstance(model_field, models.IntegerField):
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise _Problem(f"expected a whole number, not {raw!r}")
        return raw
    if isinstance(model_field, models.DecimalField):
        if isinstance(raw, bool) or not isinstance(raw, int | float | str):
            raise _Problem(f"expected a number, not {raw!r}")
        try:
            return Decimal(str(raw))
        except InvalidOperation:
            raise _Problem(f"expected a number, not {raw!r}") from None
    if isinstance(model_field, models.DateTimeField):
        if isinstance(raw, datetime.datetime):
            value = raw
        elif isinstance(raw, datetime.date):
            value = datetime.datetime.combine(raw, datetime.time())
        elif isinstance(raw, str):
            value = parse_datetime(raw) or _date_as_datetime(parse_date(raw))
        else:
            value = None
        if value is None:
            raise _Problem(f"expected a date and time like 2026-07-01 14:00, not {raw!r}")
        if timezone.is_naive(value):
            value = timezone.make_aware(value, timezone.get_default_timezone())
        return value
    if isinstance(model_field, models.DateField):
        if isinstance(raw, datetime.datetime):
            raise _Problem(f"expected a date like 2026-07-01, not a time ({raw!r})")
        value = raw if isinstance(raw, datetime.date) else parse_date(str(raw))
        if value is None:
            raise _Problem(f"expected a date like 2026-07-01, not {raw!r}")
        return value
    try:
        return model_field.to_python(raw)
    except ValidationError as exc:
        raise _Problem("; ".join(exc.messages)) from None


def _date_as_datetime(day):
    return datetime.datetime.combine(day, datetime.time()) if day else None


# -- loading -----------------------------------------------------------------------------------
class DemoLoader:
    """Writes the checked data set; ``changes`` counts the rows and relations created or updated."""

    def __init__(self, data: DemoData, *, update: bool = True):
        self.data = data
        self.update = update
        self.changes = 0
        self.instances: dict[Entry, models.Model] = {}
        self.database_rows: dict[_DatabaseRef, models.Model] = {}

    @transaction.atomic
    def load(self) -> int:
        for table in self.data.tables:
            for entry in table.entries:
                self.instance(entry)
        for table in self.data.tables:
            for entry in table.entries:
                self.link(entry)
        return self.changes

    def resolve(self, value):
        if isinstance(value, Entry):
            return self.instance(value)
        if isinstance(value, _DatabaseRef):
            if value not in self.database_rows:
                manager = value.table.model._default_manager
                self.database_rows[value] = manager.get(**{value.table.key: value.key})
            return self.database_rows[value]
        return value

    def instance(self, entry: Entry) -> models.Model:
        if entry in self.instances:
            return self.instances[entry]
        table = entry.table
        values = {
            name: self.resolve(value)
            for name, value in self.data.values_of(entry).items()
            if not table.model._meta.get_field(name).many_to_many
        }
        fields = _writable_fields(table.model)
        lookup = {
            n: values.pop(n) if n in values else fields[n].get_default() for n in table.lookup
        }
        try:
            instance, changed = record_upsert(
                table.model, lookup=lookup, values=values, update=self.update
            )
        except ValidationError as exc:
            raise DemoDataError([f"{entry}: refused by the model: {_messages(exc)}"]) from exc
        self.changes += changed
        self.instances[entry] = instance
        return instance

    def link(self, entry: Entry):
        instance = self.instances[entry]
        for name, value in self.data.values_of(entry).items():
            model_field = entry.table.model._meta.get_field(name)
            if not model_field.many_to_many:
                continue
            objects = [self.resolve(v) for v in value]
            manager = getattr(instance, name)
            if model_field.remote_field.symmetrical:
                # A symmetrical relation is stated from either side: add what is missing and
                # never remove, or one side's list would undo the other's.
                present = set(manager.values_list("pk", flat=True))
                missing = [o for o in objects if o.pk not in present]
                manager.add(*missing)
                self.changes += len(missing)
            else:
                self.changes += m2m_sync(manager, objects, update=self.update)


def _messages(exc: ValidationError) -> str:
    if not hasattr(exc, "error_dict"):
        return " ".join(exc.messages)
    return "; ".join(
        " ".join(messages) if name == NON_FIELD_ERRORS else f"{name}: {' '.join(messages)}"
        for name, messages in exc.message_dict.items()
    )


def check_demo(directory: Path | None = None) -> DemoData:
    """Read and check the demo data without writing; raises :class:`DemoDataError`."""
    return DemoData.read(directory)


#: Called after a load that changed rows, in the same transaction: apps whose stored figures
#: derive from the loaded rows register their recomputation here (results: approved values and
#: target statuses), so this module still knows no model.
AFTER_LOAD: list = []


def load_demo(*, update: bool = True, directory: Path | None = None) -> int:
    """Load (or bring up to date) the demo data set; returns the number of rows changed.

    ``update=False`` only adds what is missing and keeps staff edits to existing records.
    """
    with transaction.atomic():
        changed = DemoLoader(DemoData.read(directory), update=update).load()
        if changed:
            for hook in AFTER_LOAD:
                hook()
    return changed
