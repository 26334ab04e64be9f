"""One rule for a program's headline budget, shared by the public site and the API.

Sources often state the same budget differently (a press release's 350억, a later article's
234억 for the same money). Figures of different sources are therefore never added up: a
program's headline figure is the largest figure any source states for it.
"""

from django.db.models import Max, OuterRef, Subquery

from programs.models import BudgetLine


def largest_figure_subquery(lines=None, outer: str = "pk") -> Subquery:
    """The largest stated figure of the program at ``OuterRef(outer)``, from ``lines`` (all
    budget lines by default; the API passes the region-scoped ones)."""
    lines = BudgetLine.objects.all() if lines is None else lines
    return Subquery(
        lines.filter(program=OuterRef(outer))
        .order_by()
        .values("program")
        .annotate(largest=Max("amount_krw"))
        .values("largest")
    )
