"""The one meaning of a program's budget (programs/budget.py), in memory and in SQL alike."""

import pytest

from programs.budget import figure_count_subquery, headline_subquery, program_budget
from programs.models import BudgetLine, Program
from tests import factories as f

pytestmark = pytest.mark.django_db
EOK = 10**8


def sql_figures(program) -> tuple:
    row = (
        Program.objects.filter(pk=program.pk)
        .annotate(headline=headline_subquery(), figures=figure_count_subquery())
        .values_list("headline", "figures")
        .get()
    )
    return row


def memory_figures(program) -> tuple:
    lines = BudgetLine.objects.filter(program=program).order_by("source_id", "id")
    budget = program_budget(lines)
    return budget.headline_krw, budget.figure_count


@pytest.mark.parametrize(
    "lines, headline, figures",
    [
        # (source, amount in 억, regional?) ...
        ([], None, None),
        ([("a", 350, False)], 350, 1),
        ([("a", 350, False), ("b", 234, False)], 350, 2),  # never 584
        ([("a", 210, False), ("a", 140, False)], 350, 1),  # 국비 + 지방비 of one source
        ([("a", 210, False), ("a", 140, False), ("b", 234, False)], 350, 2),
        ([("a", 100, False), ("a", 40, True)], 100, 1),  # a regional part is not added again
        ([("a", 30, True), ("a", 40, True)], 70, 1),  # only regional parts: their sum
        ([("a", 30, True), ("b", 50, False)], 50, 2),
    ],
)
def test_headline_is_one_sources_figure_in_memory_and_in_sql(lines, headline, figures):
    program = f.ProgramFactory()
    sources = {}
    rp = None
    for key, amount, regional in lines:
        source = sources.setdefault(key, f.SourceFactory())
        if regional and rp is None:
            rp = f.RegionalParticipationFactory(program=program)
        f.BudgetLineFactory(
            program=program,
            source=source,
            amount_krw=amount * EOK,
            regional_participation=rp if regional else None,
        )
    expected = (headline * EOK if headline is not None else None, figures)
    assert sql_figures(program) == expected
    in_memory = memory_figures(program)
    assert in_memory == (expected[0], figures or 0)


def test_each_sources_breakdown_adds_up_to_its_figure():
    program = f.ProgramFactory()
    a = f.SourceFactory()
    f.BudgetLineFactory(program=program, source=a, amount_krw=210 * EOK, funding_source="national")
    f.BudgetLineFactory(program=program, source=a, amount_krw=140 * EOK, funding_source="local")
    budget = program_budget(BudgetLine.objects.filter(program=program).order_by("id"))
    (figure,) = budget.figures
    assert figure.amount_krw == sum(line.amount_krw for line in figure.lines) == 350 * EOK
    assert figure.regional_only is False
    assert figure.source == a


def test_program_list_cards_use_the_same_rule(client):
    program = f.ProgramFactory(name="두 출처 사업")
    a, b = f.SourceFactory(), f.SourceFactory()
    f.BudgetLineFactory(program=program, source=a, amount_krw=210 * EOK)
    f.BudgetLineFactory(program=program, source=a, amount_krw=140 * EOK)
    f.BudgetLineFactory(program=program, source=b, amount_krw=234 * EOK)
    # when
    page = client.get("/programs/").content.decode()
    # then: one source's figure, and "2 figures" counts sources, not lines
    card = page[page.index("두 출처 사업") :]
    assert "350억 원" in card[:2000]
    assert "(출처별 수치 2개)" in card[:2000]
    assert "584억" not in page
