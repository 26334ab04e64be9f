"""Staff pages: 내 보고 할 일, the review queue, an update's page, bulk entry, the import of
values (dry run, same rules and messages), the data-quality checks, the workbook."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from results import services
from results.models import ResultEvidence, ResultUpdate
from staff import imports, selectors
from staff.models import ImportJob
from tests import factories as f

from .conftest import H1_2025, H2_2025, period

D = datetime.date
pytestmark = pytest.mark.usefixtures("settings_private")


@pytest.fixture
def settings_private(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }


def login(client, user):
    client.force_login(user)
    return client


@time_machine.travel(datetime.datetime(2025, 7, 10, 9, 0), tick=False)
def test_todo_lists_open_periods_due_soon_and_returned_updates(
    client, rp, target, regional, ministry
):
    # given: the first target's 2025 H1 returned to the editor; a second target not reported
    rate = f.TargetFactory(program=None, regional_participation=rp, metric="납기 준수율")
    services.periods_generate(target=rate)
    update = services.update_save(user=regional, period=period(target, H1_2025), value=Decimal("3"))
    services.update_transition(update=update, action="submit", user=regional)
    services.update_transition(update=update, action="return", user=ministry, reason="근거 부족")

    # when
    page = login(client, regional).get(reverse("results:todo"))

    # then
    assert page.status_code == 200
    # 2025 H2 has started (1 July); 2025 H1 of 납기 준수율 is due on 20 July
    assert [(r["period"].target.metric, r["period"].label) for r in page.context["rows"]] == [
        ("납기 준수율", "2025 상반기"),
        ("맞춤형 AI 솔루션 지원 중소기업", "2025 하반기"),
        ("납기 준수율", "2025 하반기"),
    ]
    assert [r["period"].label for r in page.context["due_soon"]] == ["2025 상반기"]
    assert [(u.pk, u.return_reason) for u in page.context["returned"]] == [(update.pk, "근거 부족")]
    assert "근거 부족" in page.content.decode()


def test_viewers_and_regional_editors_do_not_get_the_review_queue(client, viewer, regional):
    assert login(client, viewer).get(reverse("results:review")).status_code == 403
    assert login(client, regional).get(reverse("results:review")).status_code == 403


def test_review_queue_approves_with_the_version_read(client, target, regional, ministry):
    # given
    update = services.update_save(user=regional, period=period(target, H1_2025), value=Decimal("4"))
    services.update_transition(update=update, action="submit", user=regional)
    login(client, ministry)
    queue = client.get(reverse("results:review"))
    assert [i["update"].pk for i in queue.context["items"]] == [update.pk]

    # when: approved with the version the queue showed, then again with that stale version
    url = reverse("results:update", args=[update.pk])
    client.post(url, {"do": "approve", "version": "2"})
    again = client.post(url, {"do": "approve", "version": "2"}, follow=True)

    # then
    update.refresh_from_db()
    assert (update.status, update.version) == ("approved", 3)
    assert [str(m) for m in again.context["messages"]][-1:] == [
        "다른 사용자(ministry)가 먼저 이 보고를 '승인됨'(으)로 바꿨습니다 (버전 2 → 3). "
        "아무것도 바꾸지 않았습니다. 새로 불러와 확인해 주세요."
    ]


def test_evidence_is_checked_stored_privately_and_downloaded_by_staff(
    client, target, regional, busan_editor
):
    update = services.update_save(user=regional, period=period(target, H1_2025), value=Decimal("4"))
    url = reverse("results:update", args=[update.pk])
    login(client, regional)

    # a renamed executable is refused with the message, nothing stored
    fake = SimpleUploadedFile("보고서.pdf", b"MZ\x90\x00 not a pdf")
    refused = client.post(url, {"do": "evidence", "file": fake}, follow=True)
    assert [str(m) for m in refused.context["messages"]] == [
        "파일 내용이 확장자(.pdf)와 맞지 않습니다."
    ]
    assert ResultEvidence.objects.count() == 0

    client.post(url, {"do": "evidence", "file": SimpleUploadedFile("보고서.pdf", b"%PDF-1.7 ok")})
    evidence = ResultEvidence.objects.get()
    assert (evidence.original_name, evidence.size_bytes) == ("보고서.pdf", 11)
    download = client.get(reverse("results:evidence", args=[evidence.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.7 ok"
    # another region's editor does not reach it; nothing is served under MEDIA_URL
    assert (
        login(client, busan_editor).get(reverse("results:evidence", args=[evidence.pk])).status_code
        == 404
    )


def test_bulk_entry_saves_and_submits_a_regions_period_with_the_same_messages(
    client, rp, target, regional, ministry
):
    # given: a second 경남 target (percentage) with the same periods
    rate = f.TargetFactory(
        program=None,
        regional_participation=rp,
        metric="납기 준수율",
        unit="%",
        measure="percentage",
    )
    services.periods_generate(target=rate)
    services.period_lock(period=period(rate, H1_2025), user=ministry, reason="확정")
    url = reverse("results:entry", args=["48", "2025-01-01"])
    login(client, regional)
    page = client.get(url)
    assert [r["target"].metric for r in page.context["rows"]] == [
        "맞춤형 AI 솔루션 지원 중소기업",
        "납기 준수율",
    ]

    # when: both filled in and submitted; the locked one is refused with its message
    p1, p2 = period(target, H1_2025), period(rate, H1_2025)
    response = client.post(
        url,
        {
            f"p{p1.pk}-value": "6",
            f"p{p1.pk}-as_of": "2025-06-30",
            f"p{p2.pk}-numerator": "19",
            f"p{p2.pk}-denominator": "20",
            "submit": "1",
        },
        follow=True,
    )

    # then
    assert [str(m) for m in response.context["messages"]] == [
        "1개 목표의 보고를 저장하고 제출했습니다.",
        "납기 준수율: 보고 기간 2025 상반기은(는) 잠겨 있어 실적을 보고하거나 바꿀 수 없습니다.",
    ]
    assert list(ResultUpdate.objects.values_list("period_id", "status", "value")) == [
        (p1.pk, "submitted", Decimal("6.00"))
    ]


def test_import_of_values_dry_run_then_confirm_with_the_rules_of_the_form(
    client, target, regional, busan_editor, gyeongnam
):
    # given: a template row for 2025 H1 and one for a period of another region
    template = login(client, regional).get(
        reverse("results:entry-template", args=["48", "2025-01-01"])
    )
    header, row = template.content.decode("utf-8-sig").splitlines()
    assert header == "보고 기간 번호,목표,실적값,분자,분모,기준일,설명"
    p1 = period(target, H1_2025)
    assert row == f"{p1.pk},맞춤형 AI 솔루션 지원 중소기업,,,,2025-06-30,"
    csv_text = f"{header}\n{p1.pk},,7,,,2025-06-30,상반기 실적\n{p1.pk + 999},,3,,,2025-06-30,\n"

    # when: the check (dry run)
    job = imports.import_job_create(
        user=regional,
        kind="results",
        upload=SimpleUploadedFile("results.csv", csv_text.encode("utf-8")),
    )
    job = imports.import_job_run(job_id=job.pk)

    # then: refused with the row's reason, nothing written
    assert job.status == ImportJob.Status.REFUSED
    assert [(e["row"], e["column"], e["message"]) for e in job.errors] == [
        (3, "보고 기간 번호", f"보고 기간 {p1.pk + 999}번이 없습니다.")
    ]
    assert ResultUpdate.objects.count() == 0

    # when: the good row alone, checked then confirmed
    job = imports.import_job_create(
        user=regional,
        kind="results",
        upload=SimpleUploadedFile(
            "results.csv", f"{header}\n{p1.pk},,7,,,2025-06-30,상반기 실적\n".encode()
        ),
    )
    job = imports.import_job_run(job_id=job.pk)
    assert job.status == ImportJob.Status.CHECKED
    assert ResultUpdate.objects.count() == 0
    assert imports.import_job_confirm(job_id=job.pk)
    assert imports.import_job_run(job_id=job.pk).status == ImportJob.Status.DONE

    # then: a draft by the importer; the 부산 editor's import of it is refused like the form
    assert list(ResultUpdate.objects.values_list("status", "value", "comment", "created_by")) == [
        ("draft", Decimal("7.00"), "상반기 실적", regional.pk)
    ]
    job = imports.import_job_create(
        user=busan_editor,
        kind="results",
        upload=SimpleUploadedFile("results.csv", f"{header}\n{p1.pk},,8,,,2025-06-30,\n".encode()),
    )
    job = imports.import_job_run(job_id=job.pk)
    assert [(e["column"], e["message"]) for e in job.errors] == [
        (
            "보고 기간 번호",
            "이 목표의 실적을 보고할 권한이 없습니다 (담당 지역의 목표만 보고할 수 있습니다).",
        )
    ]


@time_machine.travel(datetime.datetime(2026, 2, 1, 9, 0), tick=False)
def test_overdue_reports_and_follow_ups_are_on_the_data_quality_page(
    client, target, regional, ministry
):
    # given: 2025 H1 submitted; 2025 H2 (due 2026-01-20) not; a follow-up due 2025-04-30
    update = services.update_save(user=regional, period=period(target, H1_2025), value=Decimal("3"))
    services.update_transition(update=update, action="submit", user=regional)
    item = f.FollowUpFactory(title="후속 라운드테이블", due_end=D(2025, 4, 30))
    f.FollowUpFactory(title="완료된 일", status="done", fulfilled_by_source=item.source)

    # when
    page = login(client, ministry).get(reverse("staff:data-quality"))
    by_key = {r.check.key: r for r in selectors.summary(ministry)}

    # then
    assert page.status_code == 200
    assert [row["label"] for row in by_key["reports-overdue"].rows] == [
        f"맞춤형 AI 솔루션 지원 중소기업 · 2025 하반기 (제출 기한 2026-01-20) — {target.regional_participation}"
    ]
    assert by_key["follow-ups-overdue"].count == 1
    assert "후속 라운드테이블" in by_key["follow-ups-overdue"].rows[0]["label"]


def test_program_results_workbook_public_and_staff(client, target, regional, ministry, program):
    # given: 5 approved with a breakdown; a draft of 9 elsewhere
    update = services.update_save(
        user=regional,
        period=period(target, H1_2025),
        value=Decimal("5"),
        dimension="company_size",
        parts=[services.Part("중기업", Decimal("2")), services.Part("소기업", Decimal("3"))],
    )
    services.update_transition(update=update, action="submit", user=regional)
    services.update_transition(update=update, action="approve", user=ministry)
    services.update_save(user=regional, period=period(target, H2_2025), value=Decimal("9"))

    # when
    public = client.get(f"/programs/{program.slug}/results.xlsx")
    staff = login(client, ministry).get(reverse("results:workbook-staff", args=[program.slug]))

    # then
    book = openpyxl.load_workbook(io.BytesIO(public.content))
    assert book.sheetnames == ["목표", "기간별 실적", "세부"]
    assert [c.value for c in book["기간별 실적"][2]][3:10] == [
        "2025 상반기",
        datetime.datetime(2025, 1, 1),
        datetime.datetime(2025, 6, 30),
        datetime.datetime(2025, 7, 20),
        None,
        None,
        5,
    ]
    assert [[c.value for c in row][5:8] for row in book["세부"].iter_rows(min_row=2)] == [
        ["기업 규모", "중기업", 2],
        ["기업 규모", "소기업", 3],
    ]
    staff_book = openpyxl.load_workbook(io.BytesIO(staff.content))
    assert staff_book.sheetnames == ["목표", "기간별 실적", "세부", "보고 (직원용)"]
    assert [
        (row[3].value, row[4].value, row[5].value)
        for row in staff_book["보고 (직원용)"].iter_rows(min_row=2)
    ] == [("2025 상반기", "승인됨", 5), ("2025 하반기", "작성 중", 9)]


def test_admin_refuses_an_update_of_a_locked_period_with_a_form_error(
    client, target, regional, ministry
):
    p = period(target, H1_2025)
    services.period_lock(period=p, user=ministry, reason="확정")
    response = login(client, regional).post(
        reverse("admin:results_resultupdate_add"),
        {
            "period": p.pk,
            "value": "5",
            "as_of": "2025-06-30",
            "comment": "",
            "breakdown_dimension": "",
            "parts-TOTAL_FORMS": "0",
            "parts-INITIAL_FORMS": "0",
            "evidence-TOTAL_FORMS": "0",
            "evidence-INITIAL_FORMS": "0",
            "transitions-TOTAL_FORMS": "0",
            "transitions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert (
        "보고 기간 2025 상반기은(는) 잠겨 있어 실적을 보고하거나 바꿀 수 없습니다."
        in response.content.decode()
    )
    assert ResultUpdate.objects.count() == 0


def test_admin_creates_a_draft_through_the_service(client, target, regional):
    p = period(target, H1_2025)
    response = login(client, regional).post(
        reverse("admin:results_resultupdate_add"),
        {
            "period": p.pk,
            "value": "5",
            "as_of": "2025-06-30",
            "comment": "",
            "breakdown_dimension": "",
            "parts-TOTAL_FORMS": "1",
            "parts-INITIAL_FORMS": "0",
            "parts-0-category": "중기업",
            "parts-0-value": "5",
            "evidence-TOTAL_FORMS": "0",
            "evidence-INITIAL_FORMS": "0",
            "transitions-TOTAL_FORMS": "0",
            "transitions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    update = ResultUpdate.objects.get()
    assert (update.status, update.created_by, update.value) == ("draft", regional, Decimal("5.00"))
    assert list(update.parts.values_list("category", "value")) == [("중기업", Decimal("5.00"))]


def test_ministry_editors_lock_and_unlock_a_period_from_the_bulk_entry_page(
    client, target, ministry
):
    p = period(target, H1_2025)
    url = reverse("results:entry", args=["48", "2025-01-01"])
    login(client, ministry)
    assert reverse("results:period-lock", args=[p.pk]) in client.get(url).content.decode()
    lock = reverse("results:period-lock", args=[p.pk])
    refused = client.post(lock, {"locked": "1", "reason": " ", "next": url}, follow=True)
    assert [str(m) for m in refused.context["messages"]] == ["잠그거나 푸는 사유를 적어 주세요."]
    client.post(lock, {"locked": "1", "reason": "결산 확정", "next": url})
    p.refresh_from_db()
    assert (p.locked, p.lock_reason) == (True, "결산 확정")
