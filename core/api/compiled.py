"""Nested-list queries compiled once per process.

A resource's nested lists (``core.api.shapes``: a program's budget lines, an event's hosts...)
run the same query on every request; only the parent ids and the moment of the visibility
rules differ. Building and compiling that queryset costs the ORM about a millisecond each time
— more than PostgreSQL takes to answer it. :func:`rows` compiles it once, with marker values
for the ids and the moment, remembers the SQL and where the markers landed among its
parameters, and then runs the SQL with the request's values.

It only keeps a compilation it can prove: the queryset is compiled twice, with two different
markers; the SQL must be the same and every parameter that differs must be exactly one of the
markers (a rule that derived another value from the moment, such as its date, would not be
recognised, and that query is simply built every time). The SQL's shape must not depend on the
moment itself — true of every visibility rule (``core.publication``): a moment is compared
with a column, never branched on.
"""

import datetime
import time
from collections.abc import Callable

from django.db import connections

#: Two sets of (ids, moment) values no request uses.
MARKERS = (
    ([-(2**62) - 1], datetime.datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=datetime.UTC)),
    ([-(2**62) - 2], datetime.datetime(1902, 3, 4, 5, 6, 7, 890123, tzinfo=datetime.UTC)),
)
IDS, AT = "ids", "at"

_compiled: dict = {}
_UNSET = object()


class Compiled:
    """A queryset's SQL with the parameter positions of the ids and the moment."""

    __slots__ = ("alias", "converters", "params", "slots", "sql", "width")

    def __init__(self, queryset, sql, params, slots, compiler):
        self.alias = queryset.db
        self.sql = sql
        self.params = params
        self.slots = slots
        fields = [s[0] for s in compiler.select[: compiler.col_count]]
        # (position, converters, expression) of columns Django converts after fetching
        self.converters = [
            (position, functions, expression)
            for position, (functions, expression) in compiler.get_converters(fields).items()
        ]
        self.width = compiler.col_count if compiler.has_extra_select else None

    def run(
        self, ids: list[int] | None, at, *, wrap: str = "{}", tail: tuple = (), raw=False
    ) -> list:
        """The rows for ``ids`` at ``at``; ``wrap`` puts the SQL in a statement of its own,
        ``tail`` adds the parameters of what ``wrap`` appends (LIMIT, OFFSET); ``raw``: the
        cursor's rows of another shape (a count), not converted."""
        params = list(self.params)
        for index, kind in self.slots:
            params[index] = ids if kind == IDS else at
        connection = connections[self.alias]
        with connection.cursor() as cursor:
            cursor.execute(wrap.format(self.sql), [*params, *tail])
            rows = cursor.fetchall()
        if raw:
            return rows
        if self.width is not None:
            rows = [row[: self.width] for row in rows]
        if self.converters:
            rows = [self.convert(list(row), connection) for row in rows]
        return rows

    def convert(self, row: list, connection) -> tuple:
        for position, functions, expression in self.converters:
            value = row[position]
            for function in functions:
                value = function(value, expression, connection)
            row[position] = value
        return tuple(row)


def _compile(queryset):
    compiler = queryset.query.get_compiler(using=queryset.db)
    sql, params = compiler.as_sql()
    return compiler, sql, tuple(params)


def _plain_values_list(queryset) -> bool:
    """A ``values_list()`` whose rows are the cursor's rows as they come (no named or flat
    rows, no columns Django would reorder: the test of ``ValuesListIterable``), not sliced."""
    from django.db.models.query import ValuesListIterable

    query = queryset.query
    if queryset._iterable_class is not ValuesListIterable or query.is_sliced or query.combinator:
        return False
    names = [*query.extra_select, *query.values_select, *query.annotation_select]
    fields = [
        *(queryset._fields or ()),
        *(f for f in query.annotation_select if f not in (queryset._fields or ())),
    ]
    return bool(queryset._fields) and names == fields


def compile_once(make: Callable, *, with_ids: bool = True) -> "Compiled | None":
    """The compilation of ``make(ids, at)`` (or ``make(at)`` without ids): a values_list
    queryset; None when it cannot be proved to depend on the ids and the moment only through
    their parameters."""
    (ids1, at1), (ids2, at2) = MARKERS
    if with_ids:
        first, second = make(ids1, at1), make(ids2, at2)
    else:
        first, second = make(at1), make(at2)
    if not (_plain_values_list(first) and first.db == second.db):
        return None
    if connections[first.db].vendor != "postgresql":
        return None  # elsewhere ``__any`` is one parameter per id
    compiler, sql, params = _compile(first)
    _compiler2, sql2, params2 = _compile(second)
    if sql != sql2 or len(params) != len(params2):
        return None
    slots = []
    for index, (a, b) in enumerate(zip(params, params2, strict=True)):
        if a == b and type(a) is type(b):
            continue
        if a == ids1 and b == ids2:
            slots.append((index, IDS))
        elif a == at1 and b == at2:
            slots.append((index, AT))
        else:
            return None
    if with_ids and not any(kind == IDS for _index, kind in slots):
        return None
    return Compiled(first, sql, params, tuple(slots), compiler)


def _kept(key, make: Callable) -> "Compiled | None":
    """The process's compilation of ``make`` under ``key``, made on first use."""
    compiled = _compiled.get(key, _UNSET)
    if compiled is _UNSET:
        compiled = _compiled[key] = compile_once(make)
    return compiled


def rows(key, make: Callable, ids: list[int], at, *, cache: bool = True) -> list[tuple]:
    """The rows of ``make(ids, at)``, from the SQL compiled once under ``key`` (which must
    name everything else the queryset depends on) when it can be."""
    compiled = _kept(key, make) if cache else None
    if compiled is not None:
        return compiled.run([int(i) for i in ids], at)
    return list(make(ids, at))


def caller_rows(ctx, name: str, make: Callable, ids: list[int]) -> list[tuple]:
    """:func:`rows` for a read context (``core.api.shapes.ReadContext``) under ``name``, public
    or staff; built every time for a caller reading only their own regions (``?scope=mine``:
    the query then depends on who asks)."""
    return rows((name, ctx.is_staff), make, ids, ctx.at, cache=not ctx.mine)


def count(key, make: Callable, ids: list[int], at, *, cache: bool = True) -> int:
    """The number of rows of ``make(ids, at)`` (a ``values_list("pk")``), counted by
    PostgreSQL from the SQL compiled once under ``key`` when it can be."""
    compiled = _kept(key, make) if cache else None
    if compiled is not None and not compiled.width:
        ids = [int(i) for i in ids]
        return compiled.run(ids, at, wrap="SELECT COUNT(*) FROM ({}) AS n", raw=True)[0][0]
    return make(ids, at).count()


# --- whole requests: a list page and its count, a record by its lookup -------------------------

#: Compilations of requests, by request (see ``request_key``); each kept ``REQUEST_TTL``
#: seconds, at most ``REQUEST_ENTRIES`` of them. A parameter that a filter computed from the
#: data when the queryset was built (the search index's alias expansion of ``search=``) is
#: thereby at most a minute old; the rows themselves are always read at the request's moment.
REQUEST_TTL = 60.0
REQUEST_ENTRIES = 1000
_requests: dict = {}
_SEEN = object()


def _request_compiled(key, make_values_list: Callable, at):
    """(Compiled or None, the queryset built now or None). A key seen for the first time is
    only remembered: its queryset is built and run as usual (a one-off URL, such as the next
    cursor of a client walking a list, costs no compilation). From the second time on, the
    compilation is made and kept."""
    now = time.monotonic()
    entry = _requests.get(key)
    fresh = entry is not None and entry[1] > now
    if fresh and entry[0] is not _SEEN:
        return entry[0], None
    queryset = make_values_list(at)  # builds (and validates) this request's queryset
    if len(_requests) >= REQUEST_ENTRIES:
        _requests.clear()
    if not fresh:
        _requests[key] = (_SEEN, now + REQUEST_TTL)
        return None, queryset
    compiled = compile_once(make_values_list, with_ids=False)
    _requests[key] = (compiled, now + REQUEST_TTL)
    return compiled, queryset


class Lazy:
    """A list request's queryset as its paginator uses it — ``count()``, ``filter()``,
    ``order_by()``, slices — each run from SQL compiled once per request key (``key=None``:
    built every time).

    ``make(at)`` builds the queryset (a ``values_list()``, or the model rows to count). A
    request key names the caller's kind (public or staff), the language, the path with its
    query string and the day: everything the queryset is built from but the moment. The
    first request with a key builds it, so that request's validation runs as before."""

    ordered = True

    def __init__(self, key, make: Callable, at, model):
        self.key = key
        self.make = make
        self.at = at
        self.model = model

    def _then(self, step: str, args: tuple, apply: Callable) -> "Lazy":
        key = None if self.key is None else (*self.key, step, repr(args))
        return Lazy(key, lambda at: apply(self.make(at)), self.at, self.model)

    def filter(self, *args, **kwargs) -> "Lazy":
        return self._then("filter", (args, kwargs), lambda q: q.filter(*args, **kwargs))

    def order_by(self, *fields) -> "Lazy":
        return self._then("order_by", fields, lambda q: q.order_by(*fields))

    def count(self) -> int:
        if self.key is not None:
            compiled, built = _request_compiled(
                ("count", *self.key), lambda at: self.make(at).order_by().values_list("pk"), self.at
            )
            if compiled is not None and not compiled.width:
                wrap = "SELECT COUNT(*) FROM ({}) AS n"
                return compiled.run(None, self.at, wrap=wrap, raw=True)[0][0]
            if built is not None:
                return built.count()
        return self.make(self.at).count()

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step is not None:
            raise TypeError("rows are read by slices")
        start, stop = index.start or 0, index.stop
        if self.key is not None and stop is not None:
            compiled, built = _request_compiled(("rows", *self.key), self.make, self.at)
            if built is not None and compiled is None:
                return list(built[start:stop])
            if compiled is not None and not compiled.width:
                if start:
                    wrap, tail = "{} LIMIT %s OFFSET %s", (stop - start, start)
                else:  # a cursor page: no OFFSET at all
                    wrap, tail = "{} LIMIT %s", (stop,)
                return compiled.run(None, self.at, wrap=wrap, tail=tail)
        return list(self.make(self.at)[start:stop])


def record_rows(key, make_values_list: Callable, at) -> list[tuple]:
    """The rows of ``make_values_list(at)`` (a record looked up by its URL), from SQL
    compiled once per request key (``key=None``: built every time)."""
    if key is None:
        return list(make_values_list(at))
    compiled, built = _request_compiled(("record", *key), make_values_list, at)
    if compiled is None or compiled.width:
        return list(built if built is not None else make_values_list(at))
    return compiled.run(None, at)
