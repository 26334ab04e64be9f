"""Results API: targets with periods and approved values (public), updates with their
workflow (staff), transitions as POST actions (409, 412, 428), follow-ups."""

import datetime
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from results import services
from results.models import ResultUpdate
from tests import factories as f

from .conftest import H1_2025, H2_2025, period

D = datetime.date


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def reported(target, regional, ministry):
    """2025 H1: 5 approved; 2025 H2: 9 submitted (not public)."""
    first = services.update_save(
        user=regional, period=period(target, H1_2025), value=Decimal("5"), comment="내부 설명"
    )
    services.update_transition(update=first, action="submit", user=regional)
    services.update_transition(update=first, action="approve", user=ministry)
    second = services.update_save(user=regional, period=period(target, H2_2025), value=Decimal("9"))
    services.update_transition(update=second, action="submit", user=regional)
    return first, second


def test_public_targets_carry_periods_with_approved_values_only(reported, target, program):
    # when
    body = APIClient().get("/api/v1/targets/", {"program": program.slug}).json()

    # then
    [row] = body["results"]
    assert (row["id"], row["region"], row["current_value"], row["status"]) == (
        target.pk,
        "48",
        5,
        "off_track",  # 5 by 30 June 2025 against 7.44 expected (181 of 730 days of 30)
    )
    assert [(p["start"], p["deadline"], p["approved_value"]) for p in row["periods"]] == [
        ("2025-01-01", "2025-07-20", 5),
        ("2025-07-01", "2026-01-20", None),
        ("2026-01-01", "2026-07-20", None),
        ("2026-07-01", "2027-01-20", None),
    ]
    assert "lock_reason" not in row["periods"][0]
    assert (row["rollup_total"], row["outcome_figure"]) == (None, None)


def test_updates_are_staff_only_with_their_workflow(reported, regional, viewer):
    assert APIClient().get("/api/v1/result-updates/").status_code == 401
    body = client_for(viewer).get("/api/v1/result-updates/").json()
    first = body["results"][0]
    assert [(u["status"], u["value"], u["submitted_by"]) for u in body["results"]] == [
        ("approved", 5, "gyeongnam"),
        ("submitted", 9, "gyeongnam"),
    ]
    assert (first["comment"], first["reviewed_by"]) == ("내부 설명", "ministry")
    assert [(t["from_status"], t["to_status"], t["user"]) for t in first["transitions"]] == [
        ("draft", "submitted", "gyeongnam"),
        ("submitted", "approved", "ministry"),
    ]


def test_create_patch_and_transitions_over_the_api(target, regional, ministry, ministry2):
    editor = client_for(regional)
    p = period(target, H1_2025)

    # create a draft
    created = editor.post(
        "/api/v1/result-updates/",
        {"period": p.pk, "value": "6", "as_of": "2025-06-30"},
        format="json",
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    url = f"/api/v1/result-updates/{pk}/"

    # a change needs the version it is based on: 428 without, 412 stale, 200 current
    assert editor.patch(url, {"value": "7"}, format="json").status_code == 428
    stale = editor.patch(url, {"value": "7"}, format="json", HTTP_IF_MATCH='"9"')
    assert (stale.status_code, stale.json()["code"]) == (412, "stale_version")
    assert (
        editor.patch(url, {"value": "7"}, format="json", HTTP_IF_MATCH='"1"').json()["value"] == 7
    )

    # approving a draft: 409; submitting: 200
    reviewer = client_for(ministry)
    draft_approve = reviewer.post(f"{url}approve/", {}, format="json", HTTP_IF_MATCH='"2"')
    assert (draft_approve.status_code, draft_approve.json()) == (
        409,
        {
            "detail": "'작성 중' 상태의 보고는 승인할 수 없습니다.",
            "code": "transition_not_allowed",
            "current_status": "draft",
        },
    )
    submitted = editor.post(f"{url}submit/", {"version": 2}, format="json")
    assert (submitted.status_code, submitted.json()["status"]) == (200, "submitted")

    # the regional editor may not approve; a return needs a reason; a stale version is 412
    denied = editor.post(f"{url}approve/", {"version": 3}, format="json")
    assert (denied.status_code, denied.json()["code"]) == (403, "permission_denied")
    no_reason = reviewer.post(f"{url}return/", {"version": 3}, format="json")
    assert (no_reason.status_code, no_reason.json()["code"]) == (400, "reason_required")
    late = reviewer.post(f"{url}approve/", {"version": 2}, format="json")
    assert (late.status_code, late.json()["code"], late.json()["current_version"]) == (
        412,
        "stale_version",
        3,
    )
    approved = reviewer.post(f"{url}approve/", {"version": 3}, format="json")
    assert (approved.status_code, approved.json()["status"], approved.json()["reviewed_by"]) == (
        200,
        "approved",
        "ministry",
    )
    again = client_for(ministry2).post(f"{url}approve/", {"version": 4}, format="json")
    assert (again.status_code, again.json()["code"]) == (409, "transition_not_allowed")
    assert ResultUpdate.objects.get(pk=pk).status == "approved"


def test_self_approval_is_refused_over_the_api(target, ministry):
    reviewer = client_for(ministry)
    created = reviewer.post(
        "/api/v1/result-updates/",
        {"period": period(target, H1_2025).pk, "value": "3"},
        format="json",
    ).json()
    url = f"/api/v1/result-updates/{created['id']}/"
    reviewer.post(f"{url}submit/", {"version": 1}, format="json")
    refused = reviewer.post(f"{url}approve/", {"version": 2}, format="json")
    assert (refused.status_code, refused.json()["code"]) == (403, "self_approval")


def test_a_regional_editor_may_not_create_in_another_region(target, busan_editor):
    response = client_for(busan_editor).post(
        "/api/v1/result-updates/",
        {"period": period(target, H1_2025).pk, "value": "3"},
        format="json",
    )
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
    assert ResultUpdate.objects.count() == 0


def test_roll_up_in_the_api(program, gyeongnam, busan):
    national = f.TargetFactory(
        program=program, target_value=Decimal("30"), unit="개사", rollup="sum"
    )
    for region, value in ((gyeongnam, "8"), (busan, "4")):
        rp = f.RegionalParticipationFactory(program=program, region=region)
        child = f.TargetFactory(
            program=None,
            regional_participation=rp,
            unit="개사",
            contributes_to=national,
            target_value=Decimal("15"),
        )
        f.approved_result(child, D(2025, 12, 31), Decimal(value), start=D(2025, 1, 1))

    row = APIClient().get(f"/api/v1/targets/{national.pk}/").json()

    assert row["rollup_total"] == {
        "total": 12,
        "reported_total": None,
        "parts_target_value": 30,
        "mismatch": False,
        "contributions": [
            {
                "target": row["rollup_total"]["contributions"][0]["target"],
                "region": "26",
                "value": 4,
                "target_value": 15,
                "share_pct": 33.33,
            },
            {
                "target": row["rollup_total"]["contributions"][1]["target"],
                "region": "48",
                "value": 8,
                "target_value": 15,
                "share_pct": 66.67,
            },
        ],
    }


def test_follow_ups_are_public(db):
    item = f.FollowUpFactory(title="후속 라운드테이블", due_end=D(2025, 4, 30))
    body = APIClient().get("/api/v1/follow-ups/", {"status": "announced"}).json()
    assert [(r["id"], r["title"], r["due_end"], r["status"]) for r in body["results"]] == [
        (item.pk, "후속 라운드테이블", "2025-04-30", "announced")
    ]


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, {"page_size": 50}).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url", ["/api/v1/targets/", "/api/v1/result-updates/", "/api/v1/follow-ups/"]
)
def test_list_query_count_is_the_same_for_2_and_20_rows(url, program, ministry):
    def add(n):
        for _ in range(n):
            target = f.TargetFactory(program=program)
            p = f.ReportingPeriodFactory(target=target)
            f.ResultBreakdownFactory(update=f.ResultUpdateFactory(period=p))
            f.FollowUpFactory()

    client = client_for(ministry)
    add(2)
    few = _queries(client, url)
    add(18)
    assert _queries(client, url) == few


def test_review_queue_query_count_is_the_same_for_2_and_20_updates(client, target, ministry):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    added = []

    def add(n):
        # periods of their own, two days each, after any the target's schedule made (a factory
        # sequence could land on one of those and break the one-start-per-target rule)
        for _ in range(n):
            day = datetime.date(2031, 1, 1) + datetime.timedelta(days=2 * len(added))
            p = f.ReportingPeriodFactory(target=target, start=day, end=day)
            f.ResultUpdateFactory(period=p, status="submitted")
            added.append(p)

    client.force_login(ministry)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/admin/results/review/").status_code == 200
        return len(ctx.captured_queries)

    add(2)
    few = count()
    add(18)
    assert count() == few
