"""The CLI, the API (staff only, same answer, large files as a job) and the admin review."""

import io
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from events.models import Event
from intake import services
from intake.models import IntakeDocument
from tests.staff.conftest import make_staff

from .conftest import TEXTS, text_of


@pytest.fixture
def editor(db):
    return make_staff("intake-editor", "ministry-editor")


def test_cli_prints_the_documented_json(db):
    out = io.StringIO()
    call_command(
        "intake",
        str(TEXTS / "01_press_release_forum.txt"),
        "--published",
        "2026-03-12",
        "--format",
        "json",
        stdout=out,
    )
    answer = json.loads(out.getvalue())
    assert set(answer) == {"source", "articles"}
    assert answer["source"]["published_at"] == "2026-03-12T00:00:00+09:00"
    event = next(p for p in answer["articles"][0]["proposals"] if p["kind"] == "event")
    assert (event["fields"]["starts_at"], event["fields"]["attendee_count_approx"]) == (
        "2026-03-12T14:00:00+09:00",
        120,
    )
    assert IntakeDocument.objects.count() == 0  # the CLI writes nothing


def test_cli_refuses_hwp_in_korean(db, tmp_path):
    path = tmp_path / "release.hwp"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="HWPX 또는 PDF로 저장해 올려 주세요"):
        call_command("intake", str(path))


def test_api_answers_the_same_as_the_cli(client, editor):
    client.force_login(editor)
    response = client.post(
        "/api/v1/intake/",
        {"text": text_of("01_press_release_forum.txt"), "published": "2026-03-12"},
        content_type="application/json",
    )
    assert response.status_code == 200
    out = io.StringIO()
    call_command(
        "intake",
        str(TEXTS / "01_press_release_forum.txt"),
        "--published",
        "2026-03-12",
        "--format",
        "json",
        stdout=out,
    )
    assert response.json() == json.loads(out.getvalue())
    intake = IntakeDocument.objects.get()
    assert response["Location"].endswith(f"/api/v1/intake/{intake.pk}/")


def test_api_refuses_hwp_with_a_code_and_saves_nothing(client, editor):
    client.force_login(editor)
    response = client.post("/api/v1/intake/", {"file": SimpleUploadedFile("a.hwp", b"\xd0\xcf")})
    assert response.status_code == 400
    assert response.json()["code"] == "hwp_unsupported"
    assert IntakeDocument.objects.count() == 0


def test_api_is_staff_only(client, db):
    response = client.post("/api/v1/intake/", {"text": "AI"}, content_type="application/json")
    assert response.status_code in (401, 403)
    viewer = make_staff("intake-viewer", "viewer")
    client.force_login(viewer)
    response = client.post("/api/v1/intake/", {"text": "AI"}, content_type="application/json")
    assert response.status_code == 403
    assert IntakeDocument.objects.count() == 0


def test_api_large_file_runs_as_a_job_with_progress(
    client, editor, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "BACKGROUND_BYTES", 100)
    client.force_login(editor)
    upload = SimpleUploadedFile("release.txt", text_of("01_press_release_forum.txt").encode())
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post("/api/v1/intake/", {"file": upload, "published": "2026-03-12"})
    assert response.status_code == 202
    job = response.json()
    assert (job["status"], job["progress"], job["result"]) == ("queued", 0, None)
    intake = IntakeDocument.objects.get()
    assert intake.file.storage.base_url == "/no-public-url/"  # the private storage
    for callback in callbacks:  # the Celery job (eager in tests)
        callback()
    response = client.get(f"/api/v1/intake/{intake.pk}/")
    body = response.json()
    assert (body["status"], body["progress"]) == ("ready", 100)
    assert set(body["result"]) == {"source", "articles"}
    intake.file.delete(save=False)


def test_admin_add_then_review_then_accept(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("admin:intake_intakedocument_add"),
        {"text": text_of("01_press_release_forum.txt"), "published_on": "2026-03-12"},
    )
    intake = IntakeDocument.objects.get()
    assert response.status_code == 302
    page = client.get(reverse("admin:intake_intakedocument_change", args=[intake.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert '<mark class="intake-evidence"' in html
    assert "근거" in html or "신뢰도" in html
    event = next(p for p in intake.proposals() if p["kind"] == "event")
    response = client.post(
        reverse("admin:intake_intakedocument_change", args=[intake.pk]),
        {f"decision:{event['id']}": "accept", f"field:{event['id']}:name": "AX 포럼 창원"},
    )
    assert response.status_code == 302
    assert Event.objects.get().name == "AX 포럼 창원"


def test_admin_add_refuses_hwp_in_korean(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("admin:intake_intakedocument_add"),
        {"upload": SimpleUploadedFile("a.hwp", b"\xd0\xcf")},
    )
    assert response.status_code == 200
    assert "HWPX 또는 PDF로 저장해 올려 주세요" in response.content.decode()
    assert IntakeDocument.objects.count() == 0


def test_admin_refused_acceptance_shows_the_message_and_writes_nothing(client, editor):
    client.force_login(editor)
    intake = services.intake_document_create(
        user=editor, text=text_of("01_press_release_forum.txt")
    )
    line = next(p for p in intake.proposals() if p["kind"] == "budget_line")
    response = client.post(
        reverse("admin:intake_intakedocument_change", args=[intake.pk]),
        {f"decision:{line['id']}": "accept", f"field:{line['id']}:program": "없는 사업"},
    )
    assert response.status_code == 200
    assert "아무것도 저장하지 않았습니다" in response.content.decode()
    assert IntakeDocument.objects.get().status == "ready"


def test_the_evaluation_meets_its_goals(db):
    from intake.eval.run import evaluate

    report = evaluate()
    assert report["noise_proposals"] == 0
    assert report["figures"]["precision"] >= 0.9
    assert report["figures"]["recall"] >= 0.9
    assert report["items_right"] == report["items_total"]


def _intake_rows(user, count):
    for n in range(count):
        IntakeDocument.objects.create(title=f"입수 {n}", user=user, status="ready", result={})


def test_the_changelist_query_count_does_not_grow_with_rows(client, editor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(editor)
    url = reverse("admin:intake_intakedocument_changelist")
    _intake_rows(editor, 2)
    with CaptureQueriesContext(connection) as two:
        assert client.get(url).status_code == 200
    _intake_rows(editor, 18)
    with CaptureQueriesContext(connection) as twenty:
        assert client.get(url).status_code == 200
    assert len(twenty) == len(two)


def test_a_regional_editor_sees_only_its_own_intakes(client, editor):
    gyeongnam = make_staff("intake-gyeongnam", "regional-editor", ["48"])
    _intake_rows(editor, 1)
    _intake_rows(gyeongnam, 1)
    client.force_login(gyeongnam)
    page = client.get(reverse("admin:intake_intakedocument_changelist"))
    assert page.status_code == 200
    assert page.context["cl"].result_count == 1
    others = IntakeDocument.objects.get(user=editor)
    assert (
        client.get(reverse("admin:intake_intakedocument_change", args=[others.pk])).status_code
        == 404
    )


def test_a_viewer_cannot_hand_in_or_accept(client, editor):
    viewer = make_staff("intake-viewer-2", "viewer")
    client.force_login(viewer)
    assert client.get(reverse("admin:intake_intakedocument_add")).status_code == 403
    assert IntakeDocument.objects.count() == 0


def test_admin_accepts_a_whole_item_at_once_and_overrides_relevance(client, editor):
    client.force_login(editor)
    intake = services.intake_document_create(user=editor, text=text_of("03_several_items.txt"))
    url = reverse("admin:intake_intakedocument_change", args=[intake.pk])
    # the art exhibition is judged not relevant; staff say it is, and proposals are made for it
    response = client.post(
        url, {"override": "1", "relevant:0": "1", "relevant:1": "1", "relevant:2": "1"}
    )
    assert response.status_code == 302
    intake.refresh_from_db()
    assert intake.result["articles"][1]["reason"].startswith("직원이 관련 있음으로 정함")
    # accept every proposal of the third item (statistics) at once, each in its own series
    stats = intake.result["articles"][2]["proposals"]
    fields = {f"field:{p['id']}:series": f"AI 도입 계열 {n}" for n, p in enumerate(stats)}
    response = client.post(url, {"item:2": "accept", **fields})
    assert response.status_code == 302
    intake.refresh_from_db()
    from indicators.models import Observation

    assert intake.status == "done"
    assert sorted(Observation.objects.values_list("series__name", "value")) == sorted(
        (f"AI 도입 계열 {n}", Decimal(str(p["fields"]["value"]))) for n, p in enumerate(stats)
    )
    assert {p["state"] for p in intake.result["articles"][2]["proposals"]} == {"accepted"}
    assert {p.get("state") for p in intake.result["articles"][0]["proposals"]} == {None}


def test_a_long_pasted_text_also_runs_as_a_job(
    editor, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "BACKGROUND_BYTES", 100)
    with django_capture_on_commit_callbacks(execute=True):
        intake = services.intake_document_create(user=editor, text=text_of("03_several_items.txt"))
    intake.refresh_from_db()
    assert (intake.status, intake.progress, intake.file.name) == ("ready", 100, "")
    assert [a["relevant"] for a in intake.result["articles"]] == [True, False, True]
