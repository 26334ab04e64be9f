"""One meaning of a program's budget, used by every channel (API summary, program list cards,
program page, home totals, XLSX report, feeds and widgets).

Sources often state the same money differently (a press release's 350억, a later article's 234억
"국비 등" for the same program), so figures of different sources are never added up:

* a **source's figure** for a program is the total of that source's budget lines for the
  program as a whole (e.g. 국비 210억 + 지방비 140억 = 350억). Lines tied to a regional
  participation are parts of a region's budget; they make up the source's figure only when the
  source states no figure for the program as a whole;
* the program's **headline** is one source's figure: the largest (ties: the source listed
  first), never a sum across sources;
* "n figures" counts the sources that state one.

``program_budget()`` applies the rule to budget lines in memory (pages, reports, the API
summary); ``headline_subquery()`` / ``figure_count_subquery()`` are the same rule in SQL for
lists and totals over many programs. ``tests/test_budget.py`` checks that both agree.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from programs.models import BudgetLine


@dataclass(frozen=True)
class SourceFigure:
    """The budget of a program as one source states it."""

    source_id: int
    source: object  # whatever the caller's lines carry as ``source`` (a Source, a dict...)
    amount_krw: int
    lines: tuple  # the lines that make up the figure
    regional_only: bool  # True when the source states only regional parts


@dataclass(frozen=True)
class ProgramBudget:
    figures: tuple[SourceFigure, ...]  # one per source, in the order the lines came in
    lines: tuple  # every line of the program (all sources)

    @property
    def headline(self) -> SourceFigure | None:
        best = None
        for figure in self.figures:
            if best is None or figure.amount_krw > best.amount_krw:
                best = figure
        return best

    @property
    def headline_krw(self) -> int | None:
        return self.headline.amount_krw if self.headline else None

    @property
    def figure_count(self) -> int:
        return len(self.figures)


def _attr(line, name):
    return line[name] if isinstance(line, dict) else getattr(line, name)


def program_budget(lines: Iterable) -> ProgramBudget:
    """The budget of ONE program from its budget lines (objects or dicts with ``amount_krw``,
    ``source_id``, ``regional_participation_id`` and optionally ``source``)."""
    lines = tuple(lines)
    by_source: dict[int, list] = {}
    for line in lines:
        by_source.setdefault(_attr(line, "source_id"), []).append(line)
    figures = []
    for source_id, source_lines in by_source.items():
        national = [ln for ln in source_lines if _attr(ln, "regional_participation_id") is None]
        used = national or source_lines
        first = used[0]
        figures.append(
            SourceFigure(
                source_id=source_id,
                source=_attr(first, "source") if _has(first, "source") else None,
                amount_krw=sum(_attr(ln, "amount_krw") for ln in used),
                lines=tuple(used),
                regional_only=not national,
            )
        )
    return ProgramBudget(figures=tuple(figures), lines=lines)


def _has(line, name) -> bool:
    return name in line if isinstance(line, dict) else hasattr(line, name)


def _figures(lines, outer: str):
    """Per source, the figure of the program at ``OuterRef(outer)`` (the SQL of the rule)."""
    lines = BudgetLine.objects.all() if lines is None else lines
    return (
        lines.filter(program=OuterRef(outer))
        .order_by()
        .values("source")
        .annotate(
            figure=Coalesce(
                Sum("amount_krw", filter=Q(regional_participation__isnull=True)),
                Sum("amount_krw"),
            )
        )
    )


def headline_subquery(lines=None, outer: str = "pk") -> Subquery:
    """The headline figure of the program at ``OuterRef(outer)``: its largest source figure."""
    return Subquery(
        _figures(lines, outer).order_by("-figure").values("figure")[:1],
        output_field=IntegerField(),
    )


def figure_count_subquery(lines=None, outer: str = "pk") -> Subquery:
    """How many sources state a figure for the program at ``OuterRef(outer)``."""
    lines = BudgetLine.objects.all() if lines is None else lines
    return Subquery(
        lines.filter(program=OuterRef(outer))
        .order_by()
        .values("program")
        .annotate(n=Count("source", distinct=True))
        .values("n")[:1],
        output_field=IntegerField(),
    )
