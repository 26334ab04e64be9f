"""The demo data files (demo/*.yaml): well-formed, every reference resolves, and a typo is
refused with a message that names the file, line and entry, before anything is written."""

import pytest
from django.core.management import CommandError, call_command

from core import demo as demo_module
from core.demo import DemoDataError, check_demo, load_demo
from core.models import Organization, Source
from programs.models import Program, RegionalParticipation, Target

pytestmark = pytest.mark.django_db


def test_the_demo_data_is_well_formed_and_every_reference_resolves():
    # when the real data files are checked
    data = check_demo()

    # then every table is known, with its rows, and nothing was refused
    assert {t.label: (t.file, len(t.entries)) for t in data.tables} == {
        "companies.Company": ("demo/companies.yaml", 13),
        "core.Region": ("demo/core.yaml", 0),
        "core.Source": ("demo/core.yaml", 5),
        "core.Organization": ("demo/core.yaml", 35),
        "core.Person": ("demo/core.yaml", 24),
        "events.Event": ("demo/events.yaml", 11),
        "events.EventOrganization": ("demo/events.yaml", 6),
        "events.AgendaItem": ("demo/events.yaml", 7),
        "events.EventParticipant": ("demo/events.yaml", 40),
        "events.Award": ("demo/events.yaml", 2),
        "indicators.StatisticSeries": ("demo/indicators.yaml", 5),
        "indicators.Observation": ("demo/indicators.yaml", 22),
        "programs.Program": ("demo/programs.yaml", 21),
        "programs.ProgramOrganization": ("demo/programs.yaml", 21),
        "programs.BudgetLine": ("demo/programs.yaml", 5),
        "programs.Hub": ("demo/programs.yaml", 1),
        "programs.RegionalParticipation": ("demo/programs.yaml", 5),
        "programs.Target": ("demo/programs.yaml", 12),
        "programs.Outcome": ("demo/programs.yaml", 2),
        "results.ReportingPeriod": ("demo/results.yaml", 1),
        "results.ResultUpdate": ("demo/results.yaml", 1),
        "results.FollowUp": ("demo/results.yaml", 5),
    }


def test_the_command_checks_without_writing(capsys):
    # when
    call_command("load_demo", "--check")

    # then
    assert capsys.readouterr().out == "Demo data is well-formed: 22 tables, 244 rows.\n"
    assert Program.objects.count() == 0


# A small data set of our own, in the same format, to break in one place per case.
SMALL = """\
core.Region:
  key: code
  in_database: true

core.Source:
  key: key
  rows:
    s1-test-daily:
      kind: news
      publisher: 테스트일보
      title: 시범 사업 기사

core.Organization:
  lookup: [name, kind]
  rows:
    mss:
      name: 중소벤처기업부
      kind: ministry

programs.Program:
  key: slug
  rows:
    pilot:
      name: 시범 사업
      kind: program
      status: in_progress
      lead_ministry: mss
      sources: [s1-test-daily]

programs.RegionalParticipation:
  lookup: [program, region]
  rows:
    - {program: pilot, region: '48', status: selected}

programs.Target:
  lookup: [program, regional_participation, metric]
  rows:
    - regional_participation: {program: pilot, region: '48'}
      metric: 참여 기업
      unit: 개사
      direction: higher
      comparator: gte
      target_value: 10
"""


def write(tmp_path, text):
    (tmp_path / "small.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def locator(tmp_path, text):
    """``at(needle)``: the file and line of the first line containing ``needle``."""

    def at(needle):
        line = next(n for n, row in enumerate(text.splitlines(), 1) if needle in row)
        return f"{tmp_path}/small.yaml, line {line}"

    return at


def refused(tmp_path, text) -> list[str]:
    """The problems of loading ``text``; asserts that nothing was written."""
    with pytest.raises(DemoDataError) as error:
        load_demo(directory=write(tmp_path, text))
    assert (Source.objects.count(), Organization.objects.count(), Program.objects.count()) == (
        0,
        0,
        0,
    )
    assert (RegionalParticipation.objects.count(), Target.objects.count()) == (0, 0)
    return error.value.problems


def test_a_small_data_set_loads_with_references_by_key_and_by_lookup(tmp_path):
    # when
    changed = load_demo(directory=write(tmp_path, SMALL))

    # then: source, organization, program, its sources, participation, target
    assert changed == 6
    target = Target.objects.get()
    participation = target.regional_participation
    assert (participation.region.code, participation.program.slug) == ("48", "pilot")
    program = Program.objects.get(slug="pilot")
    assert program.lead_ministry.name == "중소벤처기업부"
    assert list(program.sources.values_list("key", flat=True)) == ["s1-test-daily"]
    # and a second run changes nothing
    assert load_demo(directory=tmp_path) == 0


def broken(old, new):
    assert old in SMALL
    return SMALL.replace(old, new, 1)


CASES = {
    "unknown table": (
        broken("programs.Program:", "programs.Programme:"),
        lambda at: (
            f"{at('key: slug')} (table programs.Programme): no model "
            "'programs.Programme'; a table is named app_label.Model, e.g. programs.Program"
        ),
    ),
    "unknown table setting": (
        broken("  lookup: [program, region]\n", "  lookup: [program, region]\n  order: 1\n"),
        lambda at: (
            f"{at('[program, region]')} (table programs.RegionalParticipation): "
            "unknown table setting 'order' (allowed: key, lookup, defaults, rows, in_database)"
        ),
    ),
    "unknown field": (
        broken("      status: in_progress\n", "      status: in_progress\n      sumary: 요약\n"),
        lambda at: (
            f"{at('sumary')} (programs.Program 'pilot'): unknown field 'sumary': "
            "programs.Program has no such field; did you mean 'summary'?"
        ),
    ),
    "unknown reference": (
        broken("lead_ministry: mss", "lead_ministry: msss"),
        lambda at: (
            f"{at('lead_ministry')} (programs.Program 'pilot'): lead_ministry: "
            "no core.Organization 'msss' in the demo data; did you mean 'mss'?"
        ),
    ),
    "unknown reference in a list": (
        broken("sources: [s1-test-daily]", "sources: [s1-test-dialy]"),
        lambda at: (
            f"{at('sources')} (programs.Program 'pilot'): sources: no core.Source "
            "'s1-test-dialy' in the demo data; did you mean 's1-test-daily'?"
        ),
    ),
    "region code not in the database": (
        broken("region: '48'", "region: '99'"),
        lambda at: (
            f"{at('99')} (programs.RegionalParticipation row 1): region: no core.Region "
            "with code '99' in the database (it has 11, 26, 27, 28, 29, 30, 31, 36, 41, 43, 44, 46, "
            "47, 48, 50, 51, 52)"
        ),
    ),
    "reference by lookup that matches no row": (
        broken("{program: pilot, region: '48'}", "{program: pilot, region: '27'}"),
        lambda at: (
            f"{at('regional_participation:')} (programs.Target row 1): "
            "regional_participation: no programs.RegionalParticipation with {program: pilot, "
            "region: 27} in the demo data (a mapping reference gives the lookup fields "
            "[program, region])"
        ),
    ),
    "value not among the choices": (
        broken("status: in_progress", "status: in_progres"),
        lambda at: (
            f"{at('in_progres')} (programs.Program 'pilot'): status: 'in_progres' is not "
            "one of: planned, announced, in_preparation, under_deliberation, open, in_progress, "
            "completed, cancelled, unknown"
        ),
    ),
    "text where a number belongs": (
        broken("target_value: 10", "target_value: 열"),
        lambda at: (
            f"{at('target_value')} (programs.Target row 1): target_value: expected a "
            "number, not '열'"
        ),
    ),
    "number where text belongs": (
        broken("      publisher: 테스트일보", "      publisher: 2025"),
        lambda at: (
            f"{at('publisher')} (core.Source 's1-test-daily'): publisher: expected text, "
            "not 2025; put it in quotes"
        ),
    ),
    "two rows for one record": (
        broken(
            "    - {program: pilot, region: '48', status: selected}\n",
            "    - {program: pilot, region: '48', status: selected}\n"
            "    - {program: pilot, region: '48', status: proposed}\n",
        ),
        lambda at: (
            f"{at('proposed')} (programs.RegionalParticipation row 2): same program, "
            f"region as {at('status: selected')} (programs.RegionalParticipation row 1); one "
            "record cannot have two rows"
        ),
    ),
    "a parent that is the record itself": (
        broken("      lead_ministry: mss\n", "      lead_ministry: mss\n      parent: pilot\n"),
        lambda at: (
            f"{at('name: 시범 사업')} (programs.Program 'pilot'): references go round in "
            "a circle: pilot → pilot"
        ),
    ),
    "a row the model refuses (its constraint), after valid rows": (
        broken("direction: higher", "direction: lower"),
        lambda at: (
            f"{at('regional_participation:')} (programs.Target row 1): refused by the "
            "model: 비교 기호가 방향과 맞지 않습니다: 높을수록 좋은 지표는 ≥, 낮을수록 좋은 지표는 ≤ 를 "
            "씁니다."
        ),
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_a_mistake_is_refused_naming_the_file_line_and_entry(tmp_path, case):
    # given the small data set with one mistake
    text, expected = CASES[case]

    # when it is loaded, then the one problem says where it is, and nothing was written
    assert refused(tmp_path, text) == [expected(locator(tmp_path, text))]


def test_a_key_given_twice_is_refused_rather_than_silently_overwritten(tmp_path):
    # given two entries named mss (YAML itself would keep the second)
    text = broken(
        "    mss:\n      name: 중소벤처기업부\n      kind: ministry\n",
        "    mss:\n      name: 중소벤처기업부\n      kind: ministry\n"
        "    mss:\n      name: 중소기업청\n      kind: ministry\n",
    )

    # when / then
    [problem] = refused(tmp_path, text)
    assert problem.startswith(f"{tmp_path}/small.yaml: not valid YAML: ")
    assert "'mss' is given twice in this mapping" in problem
    second = text.splitlines().index("      name: 중소기업청")  # 0-based: the line above it
    assert f"line {second}, column 5" in problem


def test_the_command_reports_every_problem_and_writes_nothing(tmp_path, monkeypatch):
    # given data files with two mistakes
    text = broken("lead_ministry: mss", "lead_ministry: msss").replace(
        "target_value: 10", "target_value: 열"
    )
    monkeypatch.setattr(demo_module, "DEMO_DIR", write(tmp_path, text))
    at = locator(tmp_path, text)

    # when / then
    with pytest.raises(CommandError) as error:
        call_command("load_demo", "--missing-only")
    assert str(error.value).splitlines() == [
        "The demo data has 2 problem(s); nothing was written:",
        f"{at('lead_ministry')} (programs.Program 'pilot'): lead_ministry: no "
        "core.Organization 'msss' in the demo data; did you mean 'mss'?",
        f"{at('target_value')} (programs.Target row 1): target_value: expected a number, not '열'",
    ]
    assert Program.objects.count() == 0
