"""Program XLSX reports: content (public data only), background generation, downloads."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.models import Person, Region
from programs.models import Program
from reports import services
from reports.models import ReportFile
from reports.xlsx import SHEETS, build_program_workbook, program_report_data
from tests import factories
from tests.ops.conftest import broker

FLAGSHIP = "region-led-ai-transformation"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)
    return Program.objects.get(slug=FLAGSHIP)


def rows(workbook, title: str) -> list[tuple]:
    return [tuple(row) for row in workbook[title].iter_rows(min_row=2, values_only=True)]


def overview_of(workbook, title: str = "개요") -> dict:
    """The overview sheet (label, value) rows: it has no header row."""
    return {row[0]: row[1] for row in workbook[title].iter_rows(values_only=True)}


def header(workbook, title: str) -> tuple:
    return next(workbook[title].iter_rows(max_row=1, values_only=True))


# --- content --------------------------------------------------------------------------------------


def test_flagship_report_has_every_sheet_and_the_real_figures(demo):
    # when
    content = build_program_workbook(demo, generated_at=timezone.now())

    # then
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == list(SHEETS)
    amount = header(workbook, "예산").index("금액 (원)")
    assert sorted(row[amount] for row in rows(workbook, "예산")) == [23_400_000_000, 35_000_000_000]
    assert {row[header(workbook, "예산").index("금액")] for row in rows(workbook, "예산")} == {
        "350억 원",
        "234억 원",
    }
    assert [row[0] for row in rows(workbook, "지역")] == ["27", "31", "46", "48", "50"]
    events = [row[2] for row in rows(workbook, "행사")]
    assert events == list(demo.events.order_by("starts_at", "id").values_list("name", flat=True))
    assert len(events) == 2
    targets = rows(workbook, "목표 대비 실적")
    assert len(targets) == demo.targets.count() + sum(
        rp.targets.count() for rp in demo.regional_participations.all()
    )
    overview = dict(rows(workbook, "개요"))
    assert overview["예산 항목 수"] == 2
    assert overview["참여 지역 수"] == 5


def test_report_never_contains_contact_data(demo):
    # given: the demo people's phone numbers and e-mail addresses
    secrets = [
        value
        for phone, email in Person.objects.values_list("phone", "email")
        for value in (phone, email)
        if value
    ]
    assert secrets

    # when: every program's report
    cells = []
    for program in Program.objects.all():
        workbook = load_workbook(
            io.BytesIO(build_program_workbook(program, generated_at=timezone.now()))
        )
        cells += [
            str(value)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        ]

    # then
    text = "\n".join(cells)
    assert not [secret for secret in secrets if secret in text]


def test_outcomes_appear_only_with_publication_consent(db):
    # given
    program = factories.ProgramFactory()
    consenting = factories.ParticipationFactory(program=program, consent_to_publish=True)
    private = factories.ParticipationFactory(program=program, consent_to_publish=False)
    factories.OutcomeFactory(participation=consenting, company=consenting.company, metric="불량률")
    factories.OutcomeFactory(participation=private, company=private.company, metric="생산성")

    # when
    workbook = load_workbook(
        io.BytesIO(build_program_workbook(program, generated_at=timezone.now()))
    )

    # then
    outcome_column = header(workbook, "기업").index("공개 성과")
    by_company = {row[0]: row[outcome_column] for row in rows(workbook, "기업")}
    assert by_company == {consenting.company.name: "불량률 -40.0%", private.company.name: None}


def test_report_queries_do_not_grow_with_rows(db):
    def queries_for(count: int) -> int:
        program = factories.ProgramFactory()
        for region in Region.objects.order_by("code")[:count]:
            regional = factories.RegionalParticipationFactory(program=program, region=region)
            regional.hubs.add(factories.HubFactory(region=region))
            factories.TargetFactory(program=None, regional_participation=regional)
        for _ in range(count):
            participation = factories.ParticipationFactory(program=program)
            factories.OutcomeFactory(participation=participation, company=participation.company)
            factories.BudgetLineFactory(program=program)
            factories.approved_result(
                factories.TargetFactory(program=program), datetime.date(2025, 6, 30), 10
            )
            factories.AwardFactory(program=program)
            program.events.add(factories.EventFactory())
        with CaptureQueriesContext(connection) as queries:
            program_report_data(program)
        return len(queries)

    assert queries_for(2) == queries_for(20)


# --- generation ---------------------------------------------------------------------------------


def test_request_generates_in_process_without_a_broker(db, django_capture_on_commit_callbacks):
    # given
    program = factories.ProgramFactory()

    # when
    with django_capture_on_commit_callbacks(execute=True):
        report = services.program_report_request(program=program)

    # then
    report.refresh_from_db()
    assert report.status == ReportFile.Status.READY
    assert report.size_bytes == report.file.size > 0
    assert load_workbook(report.file.path).sheetnames == list(SHEETS)


def test_request_reuses_a_report_in_flight(db):
    # given
    program = factories.ProgramFactory()
    first = services.program_report_request(program=program)

    # when
    second = services.program_report_request(program=program)

    # then
    assert second == first
    assert ReportFile.objects.count() == 1


def test_generation_is_idempotent(db):
    # given: a generated report
    program = factories.ProgramFactory()
    report = ReportFile.objects.create(program=program)
    services.program_report_generate(report_id=report.pk)
    report.refresh_from_db()
    finished = report.finished_at

    # when: the task runs again (a redelivered message)
    result = services.program_report_generate(report_id=report.pk)

    # then
    report.refresh_from_db()
    assert result == "skipped"
    assert report.finished_at == finished


def test_old_report_files_are_pruned(db):
    # given
    program = factories.ProgramFactory()

    # when: five reports are generated
    for _ in range(5):
        report = ReportFile.objects.create(program=program)
        services.program_report_generate(report_id=report.pk)

    # then: the newest three are kept
    assert program.report_files.count() == services.REPORTS_KEPT_PER_PROGRAM == 3


def test_nightly_refresh_rebuilds_out_of_date_reports_of_programs_that_have_one(db):
    # given: a current report, then a change of the data
    with_report = factories.ProgramFactory()
    factories.ProgramFactory()
    services.program_report_generate(report_id=ReportFile.objects.create(program=with_report).pk)
    assert services.program_reports_refresh() == 0  # nothing changed: nothing to rebuild
    with_report.name = "새 이름"
    with_report.save()

    # when
    count = services.program_reports_refresh()

    # then
    assert count == 1
    assert list(ReportFile.objects.filter(status="pending").values_list("program", flat=True)) == [
        with_report.pk
    ]


# --- public download ----------------------------------------------------------------------------


def test_program_report_url_name():
    assert reverse("program-report", args=["region-led"]) == "/programs/region-led/report.xlsx"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_public_download_generates_once_then_serves_the_file(client):
    # given: no broker (tasks in-process) and real commits, as under `make run`
    program = factories.ProgramFactory(slug="smart-factory")
    url = reverse("program-report", args=[program.slug])

    # when
    first = client.get(url)
    second = client.get(url)

    # then
    for response in (first, second):
        assert response.status_code == 200
        assert response["Content-Type"] == XLSX
        assert response["Content-Disposition"].startswith(
            'attachment; filename="smart-factory-report-'
        )
        workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        assert workbook.sheetnames == list(SHEETS)
    assert ReportFile.objects.count() == 1


def test_public_download_while_a_worker_generates_shows_korean_waiting_page(db, client):
    # given: a broker nobody consumes (the task is queued, not run)
    program = factories.ProgramFactory(name="스마트공장 보급", slug="waiting")
    url = reverse("program-report", args=[program.slug])

    # when
    with broker("memory://"):
        response = client.get(url)
        again = client.get(url)

    # then
    for r in (response, again):
        assert r.status_code == 202
        assert r["Retry-After"] == "5"
        assert r["Cache-Control"] == "no-store"
        page = r.content.decode()
        assert '<html lang="ko">' in page
        assert "보고서를 생성 중입니다" in page
        assert '<meta http-equiv="refresh" content="5">' in page
        assert "스마트공장 보급" in page
    assert list(ReportFile.objects.values_list("status", flat=True)) == ["pending"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_report_made_before_a_change_is_not_served_a_new_one_is_made(client):
    # given: a current report
    program = factories.ProgramFactory(slug="changing", name="스마트공장")
    url = reverse("program-report", args=[program.slug])
    first = client.get(url)
    assert first.status_code == 200
    assert ReportFile.objects.count() == 1

    # when: the data changes, with a worker that has not run yet, then runs
    program.name = "스마트공장 2.0"
    program.save()
    with broker("memory://"):
        waiting = client.get(url)
    pending = ReportFile.objects.get(status="pending")
    services.program_report_generate(report_id=pending.pk)
    fresh = client.get(url)

    # then: no stale file in between; the new file has the new name
    assert waiting.status_code == 202
    assert fresh.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(fresh.streaming_content)))
    assert overview_of(workbook)["사업명"] == "스마트공장 2.0"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_unchanged_report_is_served_without_a_new_generation(client):
    program = factories.ProgramFactory(slug="unchanged")
    url = reverse("program-report", args=[program.slug])
    client.get(url)
    # when
    with broker("memory://"):
        again = client.get(url)
    # then
    assert again.status_code == 200
    assert ReportFile.objects.count() == 1


def test_report_budget_is_one_sources_figure_never_a_sum_across_sources(db):
    # given: source A states 국비 210억 + 지방비 140억, source B 234억 for the same program
    program = factories.ProgramFactory()
    a, b = factories.SourceFactory(publisher="A"), factories.SourceFactory(publisher="B")
    factories.BudgetLineFactory(program=program, source=a, amount_krw=210 * 10**8)
    factories.BudgetLineFactory(
        program=program, source=a, amount_krw=140 * 10**8, funding_source="local"
    )
    factories.BudgetLineFactory(program=program, source=b, amount_krw=234 * 10**8)

    # when
    workbook = load_workbook(
        io.BytesIO(build_program_workbook(program, generated_at=timezone.now()))
    )

    # then
    overview = dict(rows(workbook, "개요"))
    assert overview["대표 예산 (한 출처의 수치)"] == "350억 원"
    assert overview["예산을 밝힌 출처 수"] == 2
    assert overview["대표 예산 출처"].startswith("A — ")
    text = " ".join(str(v) for row in rows(workbook, "개요") for v in row)
    assert "584억" not in text and "합계" not in text
    figure = header(workbook, "예산").index("출처의 수치 (원)")
    assert sorted({row[figure] for row in rows(workbook, "예산")}) == [234 * 10**8, 350 * 10**8]


def test_english_workbook_has_english_sheets_headers_and_texts(demo):
    # when
    workbook = load_workbook(
        io.BytesIO(build_program_workbook(demo, generated_at=timezone.now(), language="en"))
    )

    # then
    assert workbook.sheetnames == [
        "Overview",
        "Budget",
        "Regions",
        "Targets vs results",
        "Companies",
        "Awards",
        "Events",
    ]
    overview = overview_of(workbook, "Overview")
    assert overview["Program"] == demo.name_en
    assert overview["Headline budget (one source's figure)"] == "KRW 35 billion"
    assert "Amount (KRW)" in header(workbook, "Budget")


def test_report_file_name_uses_seoul_time(db):
    program = factories.ProgramFactory(slug="seoul")
    report = ReportFile(
        program=program,
        # 2026-07-01 23:30 UTC is 2026-07-02 08:30 in Seoul
        finished_at=datetime.datetime(2026, 7, 1, 23, 30, tzinfo=datetime.UTC),
    )
    assert report.filename == "seoul-report-20260702-0830.xlsx"
    report.language = "en"
    assert report.filename == "seoul-report-en-20260702-0830.xlsx"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_english_download_with_lang_parameter(client):
    program = factories.ProgramFactory(slug="english", name_en="Smart factories")
    response = client.get(reverse("program-report", args=[program.slug]), {"lang": "en"})
    assert response.status_code == 200
    assert "report-en-" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert overview_of(workbook, "Overview")["Program"] == "Smart factories"


def test_unknown_program_report_is_404(db, client):
    response = client.get(reverse("program-report", args=["no-such-program"]))
    assert response.status_code == 404
    assert ReportFile.objects.count() == 0


def test_report_download_refuses_post(db, client):
    program = factories.ProgramFactory()
    response = client.post(reverse("program-report", args=[program.slug]))
    assert response.status_code == 405
    assert ReportFile.objects.count() == 0


# --- admin ----------------------------------------------------------------------------------------


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("ops-admin", "ops@example.go.kr", "pw")
    client.force_login(user)
    return client


def test_program_change_page_has_the_report_buttons(db, staff_client):
    # given
    program = factories.ProgramFactory()

    # when
    response = staff_client.get(reverse("admin:programs_program_change", args=[program.pk]))

    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert reverse("admin:reports_reportfile_generate", args=[program.pk]) in page
    assert "XLSX 보고서 생성" in page
    assert (
        f"{reverse('admin:reports_reportfile_changelist')}?program__id__exact={program.pk}" in page
    )


def test_admin_generate_then_download(db, staff_client, django_capture_on_commit_callbacks):
    # given
    program = factories.ProgramFactory(slug="admin-report")

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("admin:reports_reportfile_generate", args=[program.pk])
        )

    # then
    assert response.status_code == 302
    report = ReportFile.objects.get()
    assert report.status == ReportFile.Status.READY
    listing = staff_client.get(response["Location"])
    assert listing.status_code == 200
    assert (
        reverse("admin:reports_reportfile_download", args=[report.pk]) in listing.content.decode()
    )
    download = staff_client.get(reverse("admin:reports_reportfile_download", args=[report.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == XLSX


def test_admin_generate_refuses_get_and_users_without_permission(db, client, django_user_model):
    # given
    program = factories.ProgramFactory()
    user = django_user_model.objects.create_user("nobody", password="pw", is_staff=True)
    client.force_login(user)
    url = reverse("admin:reports_reportfile_generate", args=[program.pk])

    # when
    refused = client.post(url)

    # then
    assert refused.status_code == 403
    assert ReportFile.objects.count() == 0


def test_report_changelist_query_count_does_not_grow(db, staff_client):
    counts = []
    for count in (2, 20):
        ReportFile.objects.all().delete()
        for _ in range(count):
            ReportFile.objects.create(program=factories.ProgramFactory())
        with CaptureQueriesContext(connection) as queries:
            assert (
                staff_client.get(reverse("admin:reports_reportfile_changelist")).status_code == 200
            )
        counts.append(len(queries))
    assert counts[0] == counts[1]
