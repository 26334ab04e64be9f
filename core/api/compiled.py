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
    """A ``values_list()`` of columns, rows as the cursor returns them (no named or flat rows,
    no annotations or extra columns to reorder)."""
    from django.db.models.query import ValuesListIterable

    query = queryset.query
    return (
        queryset._iterable_class is ValuesListIterable
        and not query.annotation_select
        and not query.extra_select
        and tuple(query.values_select) == tuple(queryset._fields or ())
    )


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


def rows(key, make: Callable, ids: list[int], at, *, cache: bool = True) -> list[tuple]:
    """The rows of ``make(ids, at)``, from the SQL compiled once under ``key`` (which must
    name everything else the queryset depends on) when it can be."""
    if cache:
        compiled = _compiled.get(key, _UNSET)
        if compiled is _UNSET:
            compiled = _compiled[key] = compile_once(make)
        if compiled is not None:
            return compiled.run([int(i) for i in ids], at)
    return list(make(ids, at))


# --- whole requests: a list page and its count, a record by its lookup -------------------------

#: Compilations of requests, by request (see ``request_key``); each kept ``REQUEST_TTL``
#: seconds, at most ``REQUEST_ENTRIES`` of them.
REQUEST_TTL = 300.0
REQUEST_ENTRIES = 1000
_requests: dict = {}


def _request_compiled(key, make_values_list: Callable, at):
    """(Compiled or None, the queryset built now or None): a cached compilation, else the
    compilation of the queryset built for this request (which also runs its validation)."""
    now = time.monotonic()
    entry = _requests.get(key)
    if entry is not None and entry[1] > now:
        return entry[0], None
    queryset = make_values_list(at)
    compiled = compile_once(make_values_list, with_ids=False)
    if len(_requests) >= REQUEST_ENTRIES:
        _requests.clear()
    _requests[key] = (compiled, now + REQUEST_TTL)
    return compiled, queryset


class Page:
    """The rows of a list request for Django's ``Paginator``: ``count()`` and slices, each
    from SQL compiled once per request key (``key=None``: built every time).

    ``make(at)`` builds the request's queryset of model rows (filters, search, ordering):
    the first time a key is seen, when it runs the request's validation too. A request key
    names the caller's kind (public or staff), the language, the path with its query string
    and the day, so that everything the queryset is built from but the moment is the same."""

    ordered = True

    def __init__(self, key, make: Callable, columns: tuple[str, ...], at):
        self.at = at
        self.columns = columns
        self.make = make
        self.key = key
        self._count = None
        self._built = None
        if key is None:
            self._built = make(at)  # the request's validation runs here
            self.count_sql = self.rows_sql = None
            return
        # A key not seen yet builds the queryset now (and so validates the request).
        self.rows_sql, _built = _request_compiled(
            ("rows", *key), lambda at: self.make(at).values_list(*columns), at
        )
        self.count_sql, _built = _request_compiled(
            ("count", *key), lambda at: self.make(at).order_by().values_list("pk"), at
        )

    def built(self):
        if self._built is None:
            self._built = self.make(self.at)
        return self._built

    def count(self) -> int:
        if self._count is None:
            if self.count_sql is not None and not self.count_sql.width:
                rows = self.count_sql.run(
                    None, self.at, wrap="SELECT COUNT(*) FROM ({}) AS n", raw=True
                )
                self._count = rows[0][0]
            else:
                self._count = self.built().count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step is not None:
            raise TypeError("a Page is read by slices")
        start, stop = index.start or 0, index.stop
        if self.rows_sql is not None and not self.rows_sql.width and stop is not None:
            return self.rows_sql.run(
                None, self.at, wrap="{} LIMIT %s OFFSET %s", tail=(stop - start, start)
            )
        return list(self.built().values_list(*self.columns)[start:stop])


def record_rows(key, make_values_list: Callable, at) -> list[tuple]:
    """The rows of ``make_values_list(at)`` (a record looked up by its URL), from SQL
    compiled once per request key (``key=None``: built every time)."""
    if key is None:
        return list(make_values_list(at))
    compiled, built = _request_compiled(("record", *key), make_values_list, at)
    if compiled is None or compiled.width:
        return list(built if built is not None else make_values_list(at))
    return compiled.run(None, at)
