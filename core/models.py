"""Bottom layer: regions, organizations, people and sources, plus the shared abstract base."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class TrackedModel(models.Model):
    """Abstract base: timestamps and an edit version used to refuse stale saves."""

    created_at = models.DateTimeField(_("생성 시각"), auto_now_add=True)
    updated_at = models.DateTimeField(_("수정 시각"), auto_now=True, db_index=True)
    version = models.PositiveIntegerField(
        _("버전"), default=1, editable=False, help_text=_("저장할 때마다 1씩 올라갑니다.")
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self.version += 1
        super().save(*args, **kwargs)


class Region(models.Model):
    """One of the 17 metropolitan/provincial governments (광역자치단체); reference data."""

    code = models.CharField(_("지역 코드"), max_length=2, unique=True)
    name = models.CharField(_("이름"), max_length=30, unique=True)
    short_name = models.CharField(_("약칭"), max_length=10, unique=True)
    name_en = models.CharField(_("영문 이름"), max_length=60)
    is_capital_area = models.BooleanField(_("수도권"), default=False)

    class Meta:
        verbose_name = _("지역")
        verbose_name_plural = _("지역")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{2}$"),
                name="region_code_two_digits",
                violation_error_message=_("지역 코드는 두 자리 숫자여야 합니다."),
            )
        ]

    def __str__(self):
        return self.short_name


class Source(TrackedModel):
    """A press release, news article, report or presentation that states facts we record."""

    class Kind(models.TextChoices):
        PRESS_RELEASE = "press_release", _("보도자료")
        NEWS = "news", _("뉴스 기사")
        REPORT = "report", _("보고서")
        PRESENTATION = "presentation", _("발표 자료")
        OTHER = "other", _("기타")

    class Precision(models.TextChoices):
        MINUTE = "minute", _("분 단위")
        DAY = "day", _("일 단위")
        MONTH = "month", _("월 단위")
        YEAR = "year", _("연 단위")
        UNKNOWN = "unknown", _("미상")

    key = models.SlugField(_("식별자"), max_length=40, unique=True)
    kind = models.CharField(_("종류"), max_length=20, choices=Kind.choices)
    publisher = models.CharField(_("발행처"), max_length=120)
    author = models.CharField(_("작성자"), max_length=120, blank=True)
    title = models.CharField(_("제목"), max_length=300)
    url = models.URLField(_("URL"), max_length=500, blank=True)
    published_at = models.DateTimeField(_("발행 시각"), null=True, blank=True)
    published_precision = models.CharField(
        _("발행 시각 정밀도"), max_length=10, choices=Precision.choices, default=Precision.UNKNOWN
    )
    note = models.TextField(_("비고"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("출처")
        verbose_name_plural = _("출처")
        ordering = ["-published_at", "key"]
        constraints = [
            models.CheckConstraint(
                condition=Q(published_precision="unknown") | Q(published_at__isnull=False),
                name="source_precision_needs_date",
                violation_error_message=_(
                    "발행 시각 정밀도를 지정하려면 발행 시각이 있어야 합니다."
                ),
            )
        ]

    def __str__(self):
        return f"{self.publisher} — {self.title}"


class Organization(TrackedModel):
    """A ministry, agency, local government, university, association, court or company."""

    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("중앙부처")
        MINISTRY_UNIT = "ministry_unit", _("부처 내 조직")
        AGENCY = "agency", _("공공기관")
        AGENCY_UNIT = "agency_unit", _("기관 부설 조직")
        LOCAL_GOVERNMENT = "local_government", _("지방자치단체")
        UNIVERSITY = "university", _("대학")
        RESEARCH_INSTITUTE = "research_institute", _("연구기관")
        ASSOCIATION = "association", _("협회·단체")
        COMMITTEE = "committee", _("위원회")
        COURT = "court", _("법원")
        INVESTOR = "investor", _("투자기관")
        LEGISLATURE = "legislature", _("국회")
        COMPANY = "company", _("기업")
        OTHER = "other", _("기타")

    name = models.CharField(_("이름"), max_length=200, db_index=True)
    name_en = models.CharField(_("영문 이름"), max_length=200, blank=True)
    short_name = models.CharField(_("약칭"), max_length=60, blank=True)
    kind = models.CharField(_("종류"), max_length=20, choices=Kind.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("상위 기관"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
    )
    region = models.ForeignKey(
        Region, verbose_name=_("지역"), null=True, blank=True, on_delete=models.PROTECT
    )
    website = models.URLField(_("웹사이트"), blank=True)
    history = HistoricalRecords(inherit=True)

    class Meta:
        verbose_name = _("기관")
        verbose_name_plural = _("기관")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "kind"],
                name="organization_unique_name_kind",
                violation_error_message=_("같은 종류에 같은 이름의 기관이 이미 있습니다."),
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")),
                name="organization_not_own_parent",
                violation_error_message=_("기관은 자기 자신의 상위 기관이 될 수 없습니다."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        # A direct self-reference is left to the named constraint and its message.
        ancestor, seen = self.parent, set()
        while ancestor is not None and self.pk and self.parent_id != self.pk:
            if ancestor.pk == self.pk or ancestor.pk in seen:
                raise ValidationError({"parent": _("상위 기관 관계가 순환합니다.")})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent

    @property
    def display_name(self):
        return f"{self.name} ({self.short_name})" if self.short_name else self.name


class Person(TrackedModel):
    """A named person; the phone number and e-mail are private (staff only)."""

    name = models.CharField(_("이름"), max_length=60, db_index=True)
    name_en = models.CharField(_("영문 이름"), max_length=120, blank=True)
    position = models.CharField(_("직위"), max_length=120, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("소속"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    phone = models.CharField(_("전화번호 (비공개)"), max_length=30, blank=True)
    email = models.EmailField(_("이메일 (비공개)"), blank=True)
    note = models.TextField(_("비고"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("인물")
        verbose_name_plural = _("인물")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "organization"],
                name="person_unique_name_organization",
                violation_error_message=_("같은 소속에 같은 이름의 인물이 이미 있습니다."),
            ),
            models.CheckConstraint(
                condition=Q(phone="") | Q(phone__regex=r"^[0-9+][0-9 -]{6,28}$"),
                name="person_phone_format",
                violation_error_message=_("전화번호는 숫자, 공백, 하이픈만 쓸 수 있습니다."),
            ),
        ]

    def __str__(self):
        if self.organization_id:
            return f"{self.name} ({self.organization})"
        return self.name
