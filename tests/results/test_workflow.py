"""The review workflow: every transition allowed and refused by role, self-approval, locked
periods, breakdown and evidence checks, concurrent approval, reminders sent once."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection

from programs.models import Target
from results import notices, services
from results.models import ReportingPeriod, ResultNotice, ResultUpdate, check_evidence
from results.services import Part, WorkflowError
from tests import factories as f

from .conftest import H1_2025, H2_2025, period

D = datetime.date


def draft(user, target, start=H1_2025, value="5", **kwargs):
    return services.update_save(
        user=user, period=period(target, start), value=Decimal(value), **kwargs
    )


def refused(call) -> tuple[str, int, str]:
    with pytest.raises(WorkflowError) as exc:
        call()
    return exc.value.code, exc.value.status, exc.value.message


def move(update, action, user, **kwargs):
    return services.update_transition(update=update, action=action, user=user, **kwargs)


# --- who does what -------------------------------------------------------------------------------


def test_the_full_path_records_who_and_when_and_only_approval_counts(target, regional, ministry):
    # given: a draft by the 경남 editor
    update = draft(regional, target, value="7")
    assert (update.status, update.created_by) == ("draft", regional)

    # when: submitted, returned with a reason, resubmitted, approved
    move(update, "submit", regional)
    target.refresh_from_db()
    assert target.current_value is None  # a submitted value does not count
    move(update, "return", ministry, reason="증빙이 없습니다")
    update.refresh_from_db()
    assert (update.status, update.return_reason, update.reviewed_by) == (
        "returned",
        "증빙이 없습니다",
        ministry,
    )
    services.update_save(user=regional, period=update.period, update=update, value=Decimal("6"))
    move(update, "submit", regional)  # submitting a returned update is its resubmission
    move(update, "approve", ministry)

    # then
    update.refresh_from_db()
    target.refresh_from_db()
    assert (update.status, update.value, update.reviewed_by) == (
        "approved",
        Decimal("6.00"),
        ministry,
    )
    assert [
        (t.from_status, t.to_status, t.user.username, t.reason)
        for t in update.transitions.order_by("id")
    ] == [
        ("draft", "submitted", "gyeongnam", ""),
        ("submitted", "returned", "ministry", "증빙이 없습니다"),
        ("returned", "resubmitted", "gyeongnam", ""),
        ("resubmitted", "approved", "ministry", ""),
    ]
    assert all(t.at is not None for t in update.transitions.all())
    history = list(
        update.history.order_by("history_id").values_list("status", "history_user__username")
    )
    assert history == [
        ("draft", "gyeongnam"),
        ("submitted", "gyeongnam"),
        ("returned", "ministry"),
        ("returned", "gyeongnam"),
        ("resubmitted", "gyeongnam"),
        ("approved", "ministry"),
    ]
    assert target.current_value == Decimal("6.00")


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("regional", True), ("busan_editor", False), ("ministry", True), ("viewer", False)],
)
def test_who_may_draft_and_submit_a_regional_target(request, target, who, allowed):
    user = request.getfixturevalue(who)
    if allowed:
        update = draft(user, target)
        assert move(update, "submit", user).status == "submitted"
    else:
        assert refused(lambda: draft(user, target))[:2] == ("permission_denied", 403)
        assert ResultUpdate.objects.count() == 0


def test_a_regional_editor_may_not_report_a_program_level_target(program, regional, ministry):
    national = f.TargetFactory(program=program)
    services.periods_generate(target=national)
    assert refused(lambda: draft(regional, national))[:2] == ("permission_denied", 403)
    assert draft(ministry, national).status == "draft"


@pytest.mark.parametrize("who", ["regional", "busan_editor", "viewer"])
def test_only_ministry_editors_approve_or_return(request, target, regional, who):
    user = request.getfixturevalue(who)
    update = move(draft(regional, target), "submit", regional)
    for action in ("approve", "return"):
        assert refused(lambda a=action: move(update, a, user, reason="x")) == (
            "permission_denied",
            403,
            "실적 보고는 중기부 편집자만 승인하거나 반려할 수 있습니다.",
        )
    update.refresh_from_db()
    assert (update.status, update.version) == ("submitted", 2)


def test_nobody_approves_an_update_they_submitted(target, ministry, ministry2):
    update = move(draft(ministry, target), "submit", ministry)
    assert refused(lambda: move(update, "approve", ministry)) == (
        "self_approval",
        403,
        "자신이 제출한 보고는 승인하거나 반려할 수 없습니다. 다른 검토자에게 맡겨 주세요.",
    )
    assert refused(lambda: move(update, "return", ministry, reason="x"))[0] == "self_approval"
    assert move(update, "approve", ministry2).status == "approved"


@pytest.mark.parametrize(
    ("status", "action", "message"),
    [
        ("draft", "approve", "'작성 중' 상태의 보고는 승인할 수 없습니다."),
        ("draft", "return", "'작성 중' 상태의 보고는 반려할 수 없습니다."),
        ("draft", "resubmit", "'작성 중' 상태의 보고는 재제출할 수 없습니다."),
        ("submitted", "submit", "'제출됨' 상태의 보고는 제출할 수 없습니다."),
        ("returned", "approve", "'반려됨' 상태의 보고는 승인할 수 없습니다."),
        ("approved", "approve", "'승인됨' 상태의 보고는 승인할 수 없습니다."),
        ("approved", "return", "'승인됨' 상태의 보고는 반려할 수 없습니다."),
        ("approved", "submit", "'승인됨' 상태의 보고는 제출할 수 없습니다."),
    ],
)
def test_transitions_not_allowed_from_the_current_status(
    target, ministry2, status, action, message
):
    update = f.ResultUpdateFactory(period=period(target, H1_2025), status=status)
    assert refused(lambda: move(update, action, ministry2, reason="x")) == (
        "transition_not_allowed",
        409,
        message,
    )
    update.refresh_from_db()
    assert (update.status, update.version) == (status, 1)


def test_a_return_needs_a_reason(target, regional, ministry):
    update = move(draft(regional, target), "submit", regional)
    assert refused(lambda: move(update, "return", ministry, reason="  ")) == (
        "reason_required",
        400,
        "반려 사유를 적어 주세요.",
    )


def test_only_drafts_and_returned_updates_can_be_edited(target, regional):
    update = move(draft(regional, target), "submit", regional)
    assert refused(
        lambda: services.update_save(
            user=regional, period=update.period, update=update, value=Decimal("9")
        )
    ) == (
        "transition_not_allowed",
        409,
        "제출됨 상태의 보고는 고칠 수 없습니다 (작성 중이거나 반려된 보고만).",
    )


# --- locked periods ------------------------------------------------------------------------------


def test_a_locked_period_refuses_updates_until_unlocked_with_a_reason(target, regional, ministry):
    # given
    p = period(target, H1_2025)
    update = draft(regional, target)
    services.period_lock(period=p, user=ministry, reason="상반기 결산 확정")

    # then: no new update, no edit, no transition
    message = "보고 기간 2025 상반기은(는) 잠겨 있어 실적을 보고하거나 바꿀 수 없습니다."
    assert refused(lambda: draft(regional, target)) == ("period_locked", 409, message)
    assert refused(lambda: move(update, "submit", regional)) == ("period_locked", 409, message)
    assert ResultUpdate.objects.count() == 1

    # only the ministry locks and unlocks, and always says why
    assert refused(lambda: services.period_lock(period=p, user=regional, reason="x", locked=False))[
        :2
    ] == ("permission_denied", 403)
    assert refused(lambda: services.period_lock(period=p, user=ministry, reason="", locked=False))[
        :2
    ] == ("reason_required", 400)
    services.period_lock(period=p, user=ministry, reason="정정 보고 허용", locked=False)
    assert move(update, "submit", regional).status == "submitted"
    assert list(
        ReportingPeriod.history.filter(id=p.pk)
        .order_by("history_id")
        .values_list("locked", "lock_reason", "history_change_reason")
    )[-2:] == [
        (True, "상반기 결산 확정", "잠금: 상반기 결산 확정"),
        (False, "정정 보고 허용", "잠금 해제: 정정 보고 허용"),
    ]


# --- values: breakdown, percentages, evidence ----------------------------------------------------


def test_a_breakdown_that_does_not_add_up_is_flagged_incomplete(target, regional):
    parts = [Part("중기업", Decimal("3")), Part("소기업", Decimal("4"))]
    complete = draft(regional, target, value="7", dimension="company_size", parts=parts)
    short = draft(regional, target, start=H2_2025, value="9", dimension="company_size", parts=parts)
    assert (complete.breakdown_incomplete, short.breakdown_incomplete) == (False, True)
    assert list(complete.parts.values_list("category", "value")) == [
        ("중기업", Decimal("3.00")),
        ("소기업", Decimal("4.00")),
    ]
    with pytest.raises(ValidationError) as exc:
        draft(regional, target, value="7", parts=parts)
    assert exc.value.message_dict == {
        "breakdown_dimension": ["세부 값의 구분(기업 규모, 업종...)을 골라 주세요."]
    }


def test_percentage_updates_need_numerator_and_denominator(target, regional):
    target.measure = Target.Measure.PERCENTAGE
    target.save()
    with pytest.raises(ValidationError) as exc:
        draft(regional, target, value="90")
    assert exc.value.message_dict == {
        "numerator": ["비율 지표는 분자와 분모를 함께 입력해야 합니다."]
    }
    update = services.update_save(
        user=regional,
        period=period(target, H1_2025),
        numerator=Decimal("19"),
        denominator=Decimal("20"),
    )
    assert update.value == Decimal("95.00")


@pytest.mark.parametrize(
    ("name", "size", "head", "message"),
    [
        ("보고.pdf", 1000, b"%PDF-1.7", None),
        ("사진.png", 1000, b"\x89PNG\r\n", None),
        ("실적.xlsx", 1000, b"PK\x03\x04", None),
        (
            "실행.exe",
            1000,
            b"MZ",
            "증빙 파일은 csv, docx, hwp, hwpx, jpeg, jpg, pdf, png, xlsx 형식만 올릴 수 있습니다.",
        ),
        ("가짜.pdf", 1000, b"MZ\x90\x00", "파일 내용이 확장자(.pdf)와 맞지 않습니다."),
        ("큰파일.pdf", 10 * 1024 * 1024 + 1, b"%PDF", "증빙 파일은 10 MB까지 올릴 수 있습니다."),
        ("빈.csv", 0, b"", "빈 파일은 증빙으로 올릴 수 없습니다."),
    ],
)
def test_evidence_type_and_size_are_checked(name, size, head, message):
    if message is None:
        check_evidence(name, size, head)
        return
    with pytest.raises(ValidationError) as exc:
        check_evidence(name, size, head)
    assert exc.value.messages == [message]


# --- two reviewers at once -----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_ministry_editors_approving_at_once_one_wins_the_other_is_told(
    target, regional, ministry, ministry2
):
    # given: a submitted update both reviewers opened at version 2
    update = move(draft(regional, target), "submit", regional)
    assert update.version == 2
    barrier = threading.Barrier(2)
    outcomes = {}

    def approve(user):
        try:
            barrier.wait()
            move(ResultUpdate.objects.get(pk=update.pk), "approve", user, version=2)
            outcomes[user.username] = "approved"
        except WorkflowError as exc:
            outcomes[user.username] = (exc.code, exc.status, exc.message)
        finally:
            connection.close()

    # when
    threads = [threading.Thread(target=approve, args=(u,)) for u in (ministry, ministry2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then: exactly one approval; the other is told who was first, and nothing changed twice
    winner = next(name for name, result in outcomes.items() if result == "approved")
    loser = next(name for name in outcomes if name != winner)
    assert outcomes[loser] == (
        "stale_version",
        412,
        f"다른 사용자({winner})가 먼저 이 보고를 '승인됨'(으)로 바꿨습니다 (버전 2 → 3). "
        "아무것도 바꾸지 않았습니다. 새로 불러와 확인해 주세요.",
    )
    update.refresh_from_db()
    assert (update.status, update.version, update.reviewed_by.username) == ("approved", 3, winner)
    assert update.transitions.filter(to_status="approved").count() == 1
    # without a version, the late one is told the update is approved already
    late = next(u for u in (ministry, ministry2) if u.username == loser)
    assert refused(lambda: move(update, "approve", late)) == (
        "transition_not_allowed",
        409,
        "'승인됨' 상태의 보고는 승인할 수 없습니다.",
    )


# --- reminders -----------------------------------------------------------------------------------


def test_deadline_reminders_are_sent_once_to_the_regions_editors(target, regional, busan_editor):
    # given: 2025 H1 is due on 20 July; one week before, nothing reported yet
    busan_editor.email = "busan@example.go.kr"
    busan_editor.save()

    # when: the daily job runs twice
    first = notices.deadline_reminders_send(today=D(2025, 7, 13))
    second = notices.deadline_reminders_send(today=D(2025, 7, 14))

    # then
    assert (first, second) == (1, 0)
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (
            ["gyeongnam@example.go.kr"],
            "[AI 전환 트래커] 실적 보고 기한 07월 20일: 맞춤형 AI 솔루션 지원 중소기업",
        )
    ]
    assert ResultNotice.objects.count() == 1


def test_no_reminder_for_a_period_already_submitted_or_too_far_ahead(target, regional):
    move(draft(regional, target), "submit", regional)
    assert notices.deadline_reminders_send(today=D(2025, 7, 13)) == 0  # H1 submitted
    assert notices.deadline_reminders_send(today=D(2025, 12, 1)) == 0  # H2 due 2026-01-20
    assert mail.outbox == []


def test_return_and_approval_notices_are_sent_once(
    target, regional, ministry, django_capture_on_commit_callbacks
):
    # given
    update = move(draft(regional, target), "submit", regional)

    # when: returned (the notice is queued after commit), then the daily job catches up
    with django_capture_on_commit_callbacks(execute=True):
        move(update, "return", ministry, reason="증빙 부족")
    again = notices.result_reminders_send(today=D(2025, 7, 1))

    # then
    assert again == 0
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (
            ["gyeongnam@example.go.kr"],
            "[AI 전환 트래커] 실적 보고 반려: 맞춤형 AI 솔루션 지원 중소기업",
        )
    ]
    assert "사유: 증빙 부족" in mail.outbox[0].body

    # when: resubmitted and approved
    move(update, "submit", regional)
    with django_capture_on_commit_callbacks(execute=True):
        move(update, "approve", ministry)
    notices.result_reminders_send(today=D(2025, 7, 1))

    # then
    assert [m.subject for m in mail.outbox][1:] == [
        "[AI 전환 트래커] 실적 보고 승인: 맞춤형 AI 솔루션 지원 중소기업"
    ]
