"""Events with their agendas and participants, and the awards presented at them."""

import datetime
import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from companies.models import Company
from core.models import Organization, Person, Region, Source, TrackedModel, TrackedQuerySet
from core.publication import EmbargoQuerySet, Publication, PublishedQuerySet, embargo_q
from core.search import SearchSpec
from programs.models import Outcome, Program

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")


class EventQuerySet(EmbargoQuerySet, TrackedQuerySet):
    """Events are public once their press embargo, and their main event's, have passed."""

    def upcoming(self, now: datetime.datetime):
        return self.filter(starts_at__gte=now).order_by("starts_at", "id")

    def past(self, now: datetime.datetime):
        return self.filter(starts_at__lt=now).order_by("-starts_at", "-id")


class Event(TrackedModel):
    """A ceremony, conference, roundtable, council meeting, debate, IR session, exhibition..."""

    class Kind(models.TextChoices):
        CEREMONY = "ceremony", _("선포식·기념식")
        CONFERENCE = "conference", _("컨퍼런스")
        ROUNDTABLE = "roundtable", _("라운드테이블")
        COUNCIL_MEETING = "council_meeting", _("협의체 회의")
        DEBATE = "debate", _("토론회")
        IR = "ir", _("IR")
        EXHIBITION = "exhibition", _("전시")
        AWARD_CEREMONY = "award_ceremony", _("시상식")
        MEETING = "meeting", _("간담회")
        TRAINING = "training", _("교육")

    slug = models.SlugField(_("슬러그"), max_length=80, unique=True)
    name = models.CharField(_("이름"), max_length=200)
    name_en = models.CharField(_("영문 이름"), max_length=200, blank=True)
    kind = models.CharField(_("종류"), max_length=20, choices=Kind.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("본 행사"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="side_events",
        help_text=_("같은 날 함께 열린 부대행사이면 본 행사를 고릅니다."),
    )
    starts_at = models.DateTimeField(_("시작"), db_index=True)
    ends_at = models.DateTimeField(_("종료"), null=True, blank=True)
    time_is_known = models.BooleanField(
        _("시각 확인됨"), default=True, help_text=_("날짜만 알려진 경우 해제합니다.")
    )
    date_note = models.CharField(_("일자 비고"), max_length=200, blank=True)
    date_note_en = models.CharField(_("영문 일자 비고"), max_length=200, blank=True)
    venue_name = models.CharField(_("장소"), max_length=200, blank=True)
    venue_name_en = models.CharField(_("영문 장소"), max_length=200, blank=True)
    venue_address = models.CharField(_("장소 주소"), max_length=200, blank=True)
    venue_address_en = models.CharField(_("영문 장소 주소"), max_length=200, blank=True)
    city = models.CharField(_("도시"), max_length=60, blank=True)
    city_en = models.CharField(_("영문 도시"), max_length=60, blank=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("지역"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    alternative_venue_name = models.CharField(_("다른 장소 표기"), max_length=200, blank=True)
    alternative_venue_name_en = models.CharField(
        _("영문 다른 장소 표기"), max_length=200, blank=True
    )
    alternative_venue_note = models.CharField(
        _("다른 장소 비고"), max_length=300, blank=True, help_text=_("출처마다 장소가 다를 때")
    )
    alternative_venue_note_en = models.CharField(
        _("영문 다른 장소 비고"), max_length=300, blank=True
    )
    attendee_count_approx = models.PositiveIntegerField(_("참석 인원 (약)"), null=True, blank=True)
    summary = models.TextField(_("개요"), blank=True)
    summary_en = models.TextField(_("영문 개요"), blank=True)
    release_at = models.DateTimeField(_("보도자료 배포"), null=True, blank=True)
    embargo_until = models.DateTimeField(_("보도 엠바고"), null=True, blank=True)
    embargo_note = models.CharField(_("엠바고 비고"), max_length=200, blank=True)
    embargo_note_en = models.CharField(_("영문 엠바고 비고"), max_length=200, blank=True)
    open_to_press = models.BooleanField(_("언론 공개"), default=True)
    organizations = models.ManyToManyField(
        Organization,
        verbose_name=_("주최·주관 기관"),
        through="EventOrganization",
        related_name="events",
        blank=True,
    )
    programs = models.ManyToManyField(
        Program, verbose_name=_("관련 사업"), blank=True, related_name="events"
    )
    sources = models.ManyToManyField(Source, verbose_name=_("출처"), blank=True)
    history = HistoricalRecords()

    objects = EventQuerySet.as_manager()

    search = SearchSpec(
        type="event",
        label=_("행사"),
        title=("name", "name_en"),
        snippet=("summary", "summary_en"),
        texts=(
            "venue_name",
            "venue_name_en",
            "venue_address",
            "city",
            "alternative_venue_name",
            "programs__name",
            "organizations__name",
        ),
        kind="kind",
        regions=("region__code",),
        years=("starts_at", "ends_at"),
        url=("event-detail", {"slug": "slug"}),
        priority=3,
    )
    publication = Publication(
        public=(
            "slug",
            "name",
            "name_en",
            "kind",
            "parent",
            "starts_at",
            "ends_at",
            "time_is_known",
            "date_note",
            "date_note_en",
            "venue_name",
            "venue_name_en",
            "venue_address",
            "venue_address_en",
            "city",
            "city_en",
            "region",
            "alternative_venue_name",
            "alternative_venue_name_en",
            "alternative_venue_note",
            "alternative_venue_note_en",
            "attendee_count_approx",
            "summary",
            "summary_en",
            "release_at",
            "embargo_until",
            "embargo_note",
            "embargo_note_en",
            "open_to_press",
            "organizations",
            "programs",
            "sources",
        )
    )

    class Meta:
        verbose_name = _("행사")
        verbose_name_plural = _("행사")
        ordering = ["-starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=F("starts_at")),
                name="event_end_not_before_start",
                violation_error_message=_("종료 시각은 시작 시각보다 빠를 수 없습니다."),
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("id")),
                name="event_not_own_parent",
                violation_error_message=_("행사는 자기 자신의 부대행사가 될 수 없습니다."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.local_date:%Y-%m-%d})"

    @property
    def local_date(self) -> datetime.date:
        return self.starts_at.astimezone(SEOUL).date()

    def clean(self):
        super().clean()
        if self.parent_id and self.starts_at:
            if self.parent.parent_id:
                raise ValidationError({"parent": _("부대행사의 부대행사는 만들 수 없습니다.")})
            if self.parent.local_date != self.local_date:
                raise ValidationError(
                    {"starts_at": _("부대행사는 본 행사와 같은 날에 열려야 합니다.")}
                )


class EventRowQuerySet(PublishedQuerySet):
    """Rows that belong to an event (its hosts, agenda, participants) share its embargo."""

    def published_q(self, at, prefix=""):
        return embargo_q(at, f"{prefix}event__")


class EventOrganization(models.Model):
    """An organization hosting (주최) or organizing (주관) an event."""

    class Role(models.TextChoices):
        HOST = "host", _("주최")
        ORGANIZER = "organizer", _("주관")
        SPONSOR = "sponsor", _("후원")
        PARTNER = "partner", _("협력")

    event = models.ForeignKey(
        Event, verbose_name=_("행사"), on_delete=models.CASCADE, related_name="event_roles"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("기관"), on_delete=models.PROTECT, related_name="event_roles"
    )
    role = models.CharField(_("역할"), max_length=20, choices=Role.choices)
    history = HistoricalRecords()

    objects = EventRowQuerySet.as_manager()
    publication = Publication(public=("event", "organization", "role"))

    class Meta:
        verbose_name = _("행사 주최·주관")
        verbose_name_plural = _("행사 주최·주관")
        ordering = ["event", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "organization", "role"],
                name="event_organization_unique_role",
                violation_error_message=_("이 기관은 이미 같은 역할로 등록되어 있습니다."),
            )
        ]

    def __str__(self):
        return f"{self.organization} · {self.get_role_display()}"


class AgendaItemQuerySet(EventRowQuerySet, TrackedQuerySet):
    pass


class AgendaItem(TrackedModel):
    """A slot of an event's programme (time, order, title, presenter)."""

    class Kind(models.TextChoices):
        OPENING = "opening", _("개회")
        TALK = "talk", _("발표")
        SESSION = "session", _("세션")
        BREAK = "break", _("휴식")
        DISCUSSION = "discussion", _("토론")
        AWARD = "award", _("시상")
        OTHER = "other", _("기타")

    event = models.ForeignKey(
        Event, verbose_name=_("행사"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    order = models.PositiveSmallIntegerField(_("순서"))
    starts_at = models.DateTimeField(_("시작"))
    ends_at = models.DateTimeField(_("종료"))
    title = models.CharField(_("제목"), max_length=300)
    title_en = models.CharField(_("영문 제목"), max_length=300, blank=True)
    kind = models.CharField(_("종류"), max_length=20, choices=Kind.choices)
    presenter_organization = models.ForeignKey(
        Organization,
        verbose_name=_("발표 기관"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agenda_items",
    )
    presenter_person = models.ForeignKey(
        Person,
        verbose_name=_("발표자"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agenda_items",
    )
    presenter_note = models.CharField(_("발표 주체"), max_length=200, blank=True)
    presenter_note_en = models.CharField(_("영문 발표 주체"), max_length=200, blank=True)
    open_to_press = models.BooleanField(_("언론 공개"), default=True)
    history = HistoricalRecords()

    objects = AgendaItemQuerySet.as_manager()
    publication = Publication(
        public=(
            "event",
            "order",
            "starts_at",
            "ends_at",
            "title",
            "title_en",
            "kind",
            "presenter_organization",
            "presenter_person",
            "presenter_note",
            "presenter_note_en",
            "open_to_press",
        )
    )

    class Meta:
        verbose_name = _("행사 일정")
        verbose_name_plural = _("행사 일정")
        ordering = ["event", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "order"],
                name="agenda_item_unique_order",
                violation_error_message=_("같은 순서의 일정이 이미 있습니다."),
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="agenda_item_end_after_start",
                violation_error_message=_("일정의 종료 시각은 시작 시각보다 늦어야 합니다."),
            ),
        ]

    def __str__(self):
        return f"{self.starts_at.astimezone(SEOUL):%H:%M} {self.title}"

    def clean(self):
        super().clean()
        if not (self.event_id and self.starts_at and self.ends_at):
            return
        day = self.event.local_date
        start_day = self.starts_at.astimezone(SEOUL).date()
        end_day = self.ends_at.astimezone(SEOUL).date()
        last_day = self.event.ends_at.astimezone(SEOUL).date() if self.event.ends_at else day
        if start_day < day or end_day > last_day:
            raise ValidationError(
                {"starts_at": _("일정은 행사 날짜(%(day)s) 안에 있어야 합니다.") % {"day": day}}
            )


class EventParticipantQuerySet(EventRowQuerySet, TrackedQuerySet):
    def published_q(self, at, prefix=""):
        """Participants marked public, except press contacts (whose point is their contact
        data), once the event is public."""
        return (
            super().published_q(at, prefix)
            & Q(**{f"{prefix}is_public": True})
            & ~Q(**{f"{prefix}role": EventParticipant.Role.PRESS_CONTACT})
        )


class EventParticipant(TrackedModel):
    """A person or organization at an event in a role (host, speaker, discussant, contact...)."""

    class Role(models.TextChoices):
        HOST = "host", _("주재")
        SPEAKER = "speaker", _("연사")
        PRESENTER = "presenter", _("발표")
        DISCUSSANT = "discussant", _("토론")
        GUEST = "guest", _("내빈")
        ATTENDEE = "attendee", _("참석")
        AWARDEE = "awardee", _("수상")
        PRESS_CONTACT = "press_contact", _("보도 문의")

    event = models.ForeignKey(
        Event, verbose_name=_("행사"), on_delete=models.CASCADE, related_name="participants"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("인물"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="event_participations",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("기관"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="event_participations",
    )
    role = models.CharField(_("역할"), max_length=20, choices=Role.choices)
    title_at_event = models.CharField(_("행사 당시 직함"), max_length=200, blank=True)
    title_at_event_en = models.CharField(_("영문 행사 당시 직함"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("순서"), default=0)
    is_public = models.BooleanField(
        _("공개"), default=True, help_text=_("해제하면 공개 페이지와 API에 나오지 않습니다.")
    )
    history = HistoricalRecords()

    objects = EventParticipantQuerySet.as_manager()
    publication = Publication(
        public=(
            "event",
            "person",
            "organization",
            "role",
            "title_at_event",
            "title_at_event_en",
            "order",
            "is_public",
        )
    )

    class Meta:
        verbose_name = _("행사 참여자")
        verbose_name_plural = _("행사 참여자")
        ordering = ["event", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(organization__isnull=False),
                name="event_participant_has_someone",
                violation_error_message=_("인물이나 기관 중 하나는 지정해야 합니다."),
            )
        ]

    def __str__(self):
        who = self.person or self.organization
        return f"{who} · {self.get_role_display()}"


class AwardQuerySet(TrackedQuerySet):
    def published_q(self, at, prefix=""):
        """An award presented at an event is announced with it: public once the event is."""
        return Q(**{f"{prefix}event__isnull": True}) | embargo_q(at, f"{prefix}event__")


class Award(TrackedModel):
    """A prize of a contest or citation: who received it, for what, where it was presented."""

    name = models.CharField(_("시상명"), max_length=200)
    name_en = models.CharField(_("영문 시상명"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("연도"), db_index=True)
    program = models.ForeignKey(
        Program,
        verbose_name=_("관련 사업"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="awards",
    )
    event = models.ForeignKey(
        Event,
        verbose_name=_("시상 행사"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="awards",
    )
    selection_stages = models.CharField(_("선정 절차"), max_length=300, blank=True)
    selection_stages_en = models.CharField(_("영문 선정 절차"), max_length=300, blank=True)
    selected_count = models.PositiveSmallIntegerField(_("선정 수"), null=True, blank=True)
    rank = models.CharField(_("등급"), max_length=60, blank=True, help_text=_("예: 대상"))
    rank_en = models.CharField(_("영문 등급"), max_length=60, blank=True)
    prize = models.CharField(_("포상"), max_length=120, blank=True, help_text=_("예: 장관상"))
    prize_en = models.CharField(_("영문 포상"), max_length=120, blank=True)
    recipient_company = models.ForeignKey(
        Company,
        verbose_name=_("수상 기업"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="awards",
    )
    recipient_person = models.ForeignKey(
        Person,
        verbose_name=_("수상자"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="awards",
    )
    recipient_note = models.CharField(_("수상자 비고"), max_length=200, blank=True)
    recipient_note_en = models.CharField(_("영문 수상자 비고"), max_length=200, blank=True)
    citation = models.TextField(_("공적 요약"), blank=True)
    citation_en = models.TextField(_("영문 공적 요약"), blank=True)
    outcomes = models.ManyToManyField(
        Outcome, verbose_name=_("인용 성과"), blank=True, related_name="awards"
    )
    sources = models.ManyToManyField(Source, verbose_name=_("출처"), blank=True)
    history = HistoricalRecords()

    objects = AwardQuerySet.as_manager()
    search = SearchSpec(
        type="award",
        label=_("포상"),
        title=("name", "name_en"),
        snippet=("citation",),
        texts=("recipient_company__name", "recipient_note", "rank", "prize", "program__name"),
        years=("year",),
        url=("company-detail", {"pk": "recipient_company__id"}),
        priority=5,
    )
    publication = Publication(
        public=(
            "name",
            "name_en",
            "year",
            "program",
            "event",
            "selection_stages",
            "selection_stages_en",
            "selected_count",
            "rank",
            "rank_en",
            "prize",
            "prize_en",
            "recipient_company",
            "recipient_person",
            "recipient_note",
            "recipient_note_en",
            "citation",
            "citation_en",
            "outcomes",
            "sources",
        )
    )

    class Meta:
        verbose_name = _("포상")
        verbose_name_plural = _("포상")
        ordering = ["-year", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=1948) & Q(year__lte=2100),
                name="award_year_range",
                violation_error_message=_("연도는 1948년부터 2100년 사이여야 합니다."),
            )
        ]

    def __str__(self):
        who = self.recipient_company or self.recipient_person or self.recipient_note
        rank = f" {self.rank}" if self.rank else ""
        return f"{self.name} {self.year}{rank} — {who}" if who else f"{self.name} {self.year}"

    def clean(self):
        super().clean()
        if self.event_id and self.event.local_date.year != self.year:
            raise ValidationError({"year": _("시상 연도가 시상 행사의 연도와 다릅니다.")})
