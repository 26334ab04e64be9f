"""Reporting e-mails: deadline reminders and notices of a returned or approved update.

Each (subject, recipient) is sent once: a ``ResultNotice`` row and the e-mail commit together
(the row's unique key refuses a second one), so a rerun or a redelivered task sends nothing
twice. Regional targets' reminders go to the regional editors of the region; program-level
targets' to the ministry editors. Console e-mail backend by default (``EMAIL_BACKEND``).
"""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.scoping import MINISTRY_EDITOR, REGIONAL_EDITOR, ROLE_GROUPS

from .models import ReportingPeriod, ResultNotice, ResultTransition, ResultUpdate

logger = logging.getLogger(__name__)


def reminder_days() -> int:
    return int(getattr(settings, "RESULTS_REMINDER_DAYS", 7))


def period_recipients(period: ReportingPeriod):
    users = get_user_model().objects.filter(is_active=True, is_staff=True).exclude(email="")
    target = period.target
    if target.regional_participation_id:
        users = users.filter(
            groups__name=ROLE_GROUPS[REGIONAL_EDITOR],
            staff_profile__regions=target.regional_participation.region_id,
        )
    else:
        users = users.filter(groups__name=ROLE_GROUPS[MINISTRY_EDITOR])
    return list(users.distinct().order_by("pk"))


def _send_once(kind: str, key: str, user, subject: str, body: str) -> int:
    try:
        with transaction.atomic():
            ResultNotice.objects.create(kind=kind, key=key, recipient=user)
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    except IntegrityError:
        return 0  # sent already
    return 1


def deadline_reminders_send(*, today: datetime.date | None = None) -> int:
    """Remind the reporters of every open period due within ``RESULTS_REMINDER_DAYS`` that has
    no submitted or approved update yet. Returns how many e-mails were sent."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=reminder_days())
    periods = (
        ReportingPeriod.objects.filter(locked=False, deadline__gte=today, deadline__lte=horizon)
        .exclude(updates__status__in=ResultUpdate.Status.values[1:])
        .select_related("target__regional_participation__region", "target__program")
        .distinct()
        .order_by("deadline", "pk")
    )
    sent = 0
    for period in periods:
        target = period.target
        for user in period_recipients(period):
            sent += _send_once(
                ResultNotice.Kind.DEADLINE,
                f"deadline:{period.pk}:{period.deadline:%Y-%m-%d}",
                user,
                f"[AI 전환 트래커] 실적 보고 기한 {period.deadline:%m월 %d일}: {target.metric}",
                (
                    f"{target.metric} ({period.label})의 실적 보고 기한은 "
                    f"{period.deadline:%Y-%m-%d}입니다.\n'내 보고 할 일'에서 보고해 주세요.\n"
                ),
            )
    return sent


def transition_notice_send(*, transition_id: int) -> int:
    """Tell the reporter that an update was returned (with the reason) or approved."""
    transition = (
        ResultTransition.objects.select_related("update__period__target", "user")
        .filter(pk=transition_id, to_status__in=("returned", "approved"))
        .first()
    )
    if transition is None:
        return 0
    update = transition.update
    reporter = update.submitted_by or update.created_by
    if reporter is None or not reporter.email:
        return 0
    target = update.period.target
    if transition.to_status == "returned":
        kind = ResultNotice.Kind.RETURNED
        subject = f"[AI 전환 트래커] 실적 보고 반려: {target.metric}"
        body = (
            f"{target.metric} ({update.period.label}) 보고가 반려되었습니다.\n"
            f"사유: {transition.reason}\n고쳐서 다시 제출해 주세요.\n"
        )
    else:
        kind = ResultNotice.Kind.APPROVED
        subject = f"[AI 전환 트래커] 실적 보고 승인: {target.metric}"
        body = f"{target.metric} ({update.period.label}) 보고가 승인되었습니다.\n"
    return _send_once(kind, f"{kind}:{transition.pk}", reporter, subject, body)


def result_reminders_send(*, today: datetime.date | None = None) -> int:
    """Daily: deadline reminders, plus any return/approval notice of the last week that was
    not sent (a broker outage when the review happened)."""
    today = today or timezone.localdate()
    sent = deadline_reminders_send(today=today)
    since = timezone.now() - datetime.timedelta(days=7)
    for pk in ResultTransition.objects.filter(
        to_status__in=("returned", "approved"), at__gte=since
    ).values_list("pk", flat=True):
        sent += transition_notice_send(transition_id=pk)
    return sent
