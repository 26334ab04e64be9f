"""Results services: periods from a schedule, locking, updates and their review.

Who does what (``can_*`` below; the admin, the staff pages, the API and the import all call
these functions, so the rules hold on every path):

* a **regional editor** drafts, edits and submits updates for its own regions' targets (region
  scope, ``core.scoping``); a **ministry editor** (permission ``results.approve_resultupdate``)
  also drafts for program-level targets, and approves or returns updates — never one it
  submitted itself; **viewers** read;
* a locked period accepts no new update, no edit and no transition;
* transitions lock the update row (``SELECT ... FOR UPDATE``) and check the version the caller
  read, so of two reviewers approving at once one wins and the other is told who was first.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.celery import enqueue_on_commit
from core.scoping import can_change
from programs.models import Target

from . import progress
from .models import ReportingPeriod, ResultBreakdown, ResultTransition, ResultUpdate
from .schedule import deadline_days, period_spans, schedule_of, window_of

S = ResultUpdate.Status

#: action → (statuses it may start from, status it leads to)
TRANSITIONS = {
    "submit": ((S.DRAFT,), S.SUBMITTED),
    "resubmit": ((S.RETURNED,), S.RESUBMITTED),
    "approve": ((S.SUBMITTED, S.RESUBMITTED), S.APPROVED),
    "return": ((S.SUBMITTED, S.RESUBMITTED), S.RETURNED),
}
EDITABLE = (S.DRAFT, S.RETURNED)


class WorkflowError(Exception):
    """A refused results action: ``code`` for the API, ``status`` its HTTP status."""

    def __init__(self, message: str, code: str, status: int = 409, **extra):
        super().__init__(message)
        self.message, self.code, self.status, self.extra = message, code, status, extra


# --- roles ------------------------------------------------------------------------------------


def can_review(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm("results.approve_resultupdate"))


def can_report(user, target: Target) -> bool:
    """Whether ``user`` may draft and submit updates of ``target``: a regional editor for its
    own regions' targets, a ministry editor (reviewer) for any."""
    if not (user and user.is_authenticated and user.has_perm("results.add_resultupdate")):
        return False
    if target.regional_participation_id is None:
        return can_review(user)
    return can_change(user, target)


def _check_reporter(user, target: Target) -> None:
    if not can_report(user, target):
        raise WorkflowError(
            _("이 목표의 실적을 보고할 권한이 없습니다 (담당 지역의 목표만 보고할 수 있습니다)."),
            "permission_denied",
            403,
        )


def _check_open(period: ReportingPeriod) -> None:
    if period.locked:
        raise WorkflowError(
            _("보고 기간 %(period)s은(는) 잠겨 있어 실적을 보고하거나 바꿀 수 없습니다.")
            % {"period": period.label},
            "period_locked",
        )


# --- periods ----------------------------------------------------------------------------------


def periods_generate(*, target: Target, user=None) -> list[ReportingPeriod]:
    """Create the periods of ``target``'s schedule that do not exist yet (by start date);
    returns the created ones. A custom schedule or a target without dates creates none."""
    start, end = window_of(target)
    spans = period_spans(schedule_of(target), start, end)
    existing = set(target.periods.values_list("start", flat=True))
    created = []
    with transaction.atomic():
        for span_start, span_end in spans:
            if span_start in existing:
                continue
            period = ReportingPeriod(
                target=target,
                start=span_start,
                end=span_end,
                deadline=span_end + datetime.timedelta(days=deadline_days()),
            )
            period.full_clean()
            period._history_user = user
            period.save()
            created.append(period)
        if created:
            progress.target_refresh(target)
    return created


def period_lock(*, period: ReportingPeriod, user, reason: str, locked: bool = True):
    """Lock (no updates) or unlock a period; a reason is required and kept in the history."""
    if not can_review(user):
        raise WorkflowError(
            _("보고 기간은 중기부 편집자만 잠그거나 풀 수 있습니다."), "permission_denied", 403
        )
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(_("잠그거나 푸는 사유를 적어 주세요."), "reason_required", 400)
    if period.locked == locked:
        raise WorkflowError(
            _("이미 잠긴 기간입니다.") if locked else _("잠기지 않은 기간입니다."),
            "transition_not_allowed",
        )
    period.locked = locked
    period.lock_reason = reason
    period._history_user = user
    period._change_reason = (_("잠금: %s") if locked else _("잠금 해제: %s")) % reason
    period.save()
    return period


# --- updates ----------------------------------------------------------------------------------


def update_check_writable(*, user, period: ReportingPeriod, update: ResultUpdate | None) -> None:
    """The rules of writing an update's values (the forms, the API and the import)."""
    _check_reporter(user, period.target)
    _check_open(period)
    if update is not None and update.pk and update.status not in EDITABLE:
        raise WorkflowError(
            _("%(status)s 상태의 보고는 고칠 수 없습니다 (작성 중이거나 반려된 보고만).")
            % {"status": update.get_status_display()},
            "transition_not_allowed",
        )


@dataclass
class Part:
    category: str
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None


def _breakdown_incomplete(update: ResultUpdate, parts: list[Part]) -> bool:
    if not parts:
        return False
    if update.numerator is not None:
        num = sum((p.numerator or 0 for p in parts), Decimal(0))
        den = sum((p.denominator or 0 for p in parts), Decimal(0))
        return (num, den) != (Decimal(update.numerator), Decimal(update.denominator))
    total = sum((p.value or 0 for p in parts), Decimal(0))
    return total != Decimal(update.value)


def update_save(
    *,
    user,
    period: ReportingPeriod,
    update: ResultUpdate | None = None,
    value=None,
    numerator=None,
    denominator=None,
    as_of: datetime.date | None = None,
    comment: str = "",
    source=None,
    dimension: str = "",
    parts: list[Part] | None = None,
    version: int | None = None,
) -> ResultUpdate:
    """Create a draft or change a draft/returned update (values, breakdown). Validation errors
    (``ValidationError``) name the field; nothing is written then."""
    target = period.target
    update_check_writable(user=user, period=period, update=update)
    update = update if update is not None else ResultUpdate(period=period)
    if update.pk is None and update.created_by_id is None:
        update.created_by = user
    if version is not None:
        update.version = version
    update.value = None if target.measure == Target.Measure.PERCENTAGE else value
    update.numerator, update.denominator = numerator, denominator
    update.as_of = as_of or min(period.end, timezone.localdate())
    update.comment, update.source = comment, source
    parts = list(parts or [])
    update.breakdown_dimension = dimension if parts else ""
    if parts and not dimension:
        raise ValidationError(
            {"breakdown_dimension": _("세부 값의 구분(기업 규모, 업종...)을 골라 주세요.")}
        )
    with transaction.atomic():
        update.full_clean()
        update.breakdown_incomplete = _breakdown_incomplete(update, parts)
        update._history_user = user
        update.save()
        if parts is not None:
            update.parts.all().delete()
            for part in parts:
                row = ResultBreakdown(
                    update=update,
                    category=part.category,
                    value=part.value,
                    numerator=part.numerator,
                    denominator=part.denominator,
                )
                row.full_clean()
                row.save()
    return update


def _locked_row(update_id: int) -> ResultUpdate:
    return (
        ResultUpdate.objects.select_for_update(of=("self",))
        .select_related("period__target__regional_participation")
        .get(pk=update_id)
    )


def update_transition(
    *, update: ResultUpdate, action: str, user, version: int | None = None, reason: str = ""
) -> ResultUpdate:
    """Move ``update`` along the review workflow (``TRANSITIONS``).

    ``version`` is the version the caller read: when someone changed the update since, nothing
    happens and ``WorkflowError(code="stale_version", status=412)`` says who did what. A
    transition not allowed from the current status is 409 (``transition_not_allowed``)."""
    if action not in TRANSITIONS:
        raise WorkflowError(_("알 수 없는 처리입니다: %s") % action, "unknown_action", 400)
    with transaction.atomic():
        row = _locked_row(update.pk)
        if action == "submit" and row.status == S.RETURNED:
            action = "resubmit"  # submitting a returned update again is its resubmission
        sources, target_status = TRANSITIONS[action]
        if version is not None and row.version != version:
            last = row.transitions.select_related("user").order_by("-at", "-id").first()
            who = last.user.get_username() if last and last.user else _("다른 사용자")
            raise WorkflowError(
                _(
                    "다른 사용자(%(who)s)가 먼저 이 보고를 '%(status)s'(으)로 바꿨습니다 "
                    "(버전 %(read)s → %(now)s). 아무것도 바꾸지 않았습니다. 새로 불러와 확인해 주세요."
                )
                % {
                    "who": who,
                    "status": row.get_status_display(),
                    "read": version,
                    "now": row.version,
                },
                "stale_version",
                412,
                current_version=row.version,
                current_status=row.status,
            )
        if row.status not in sources:
            raise WorkflowError(
                _("'%(status)s' 상태의 보고는 %(action)s할 수 없습니다.")
                % {"status": row.get_status_display(), "action": ACTION_LABELS[action]},
                "transition_not_allowed",
                current_status=row.status,
            )
        period = row.period
        _check_open(period)
        if action in ("submit", "resubmit"):
            _check_reporter(user, period.target)
        else:
            if not can_review(user):
                raise WorkflowError(
                    _("실적 보고는 중기부 편집자만 승인하거나 반려할 수 있습니다."),
                    "permission_denied",
                    403,
                )
            submitters = set(
                row.transitions.filter(to_status__in=(S.SUBMITTED, S.RESUBMITTED)).values_list(
                    "user_id", flat=True
                )
            )
            if user.pk in submitters or row.submitted_by_id == user.pk:
                raise WorkflowError(
                    _(
                        "자신이 제출한 보고는 승인하거나 반려할 수 없습니다. 다른 검토자에게 맡겨 주세요."
                    ),
                    "self_approval",
                    403,
                )
        reason = (reason or "").strip()
        if action == "return" and not reason:
            raise WorkflowError(_("반려 사유를 적어 주세요."), "reason_required", 400)
        now = timezone.now()
        previous = row.status
        row.status = target_status
        if action in ("submit", "resubmit"):
            row.submitted_by, row.submitted_at = user, now
        else:
            row.reviewed_by, row.reviewed_at = user, now
            row.return_reason = reason if action == "return" else ""
        row._history_user = user
        row._change_reason = f"{previous} → {target_status}" + (f": {reason}" if reason else "")
        row.save()
        transition = ResultTransition.objects.create(
            update=row, from_status=previous, to_status=target_status, user=user, reason=reason
        )
        if action == "approve" or previous == S.APPROVED:
            progress.period_refresh(period)
            progress.target_refresh(period.target)
        if action in ("approve", "return"):
            from .tasks import result_notice_send

            enqueue_on_commit(result_notice_send, transition.pk)
    return row


ACTION_LABELS = {
    "submit": gettext_lazy("제출"),
    "resubmit": gettext_lazy("재제출"),
    "approve": gettext_lazy("승인"),
    "return": gettext_lazy("반려"),
}


def next_actions(update: ResultUpdate, user) -> list[str]:
    """The transitions ``user`` may take on ``update`` now (for the buttons)."""
    if update.period.locked:
        return []
    actions = []
    for action, (sources, _to) in TRANSITIONS.items():
        if update.status not in sources:
            continue
        if action in ("submit", "resubmit"):
            if can_report(user, update.period.target):
                actions.append(action)
        elif can_review(user) and update.submitted_by_id != user.pk:
            actions.append(action)
    return actions
