"""Bottom layer: regions, organizations, people and sources, plus the shared abstract base."""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.signals import post_create_historical_record

from .publication import Publication, PublishedQuerySet
from .search import SearchDocument, SearchSpec, SearchWord  # noqa: F401  (models of the index)

# Rows per statement when bulk paths write history (keeps ``pk IN (...)`` under SQLite's limit).
HISTORY_BATCH_SIZE = 500


class StaleVersionError(Exception):
    """A save based on a version that another writer has already replaced; nothing was written."""

    def __init__(self, instance, expected_version):
        self.model = type(instance)
        self.pk = instance.pk
        self.expected_version = expected_version
        super().__init__(
            _(
                "%(name)s(#%(pk)s)은(는) 버전 %(version)s을(를) 불러온 뒤 다른 사용자가 먼저 "
                "저장했습니다. 변경 내용을 저장하지 않았습니다. 최신 내용을 다시 불러와 주세요."
            )
            % {
                "name": self.model._meta.verbose_name,
                "pk": instance.pk,
                "version": expected_version,
            }
        )


def _history_manager(model):
    attribute = getattr(model._meta, "simple_history_manager_attribute", None)
    return getattr(model, attribute) if attribute else None


def _write_history(model, objs, *, update: bool, using, history_user=None, change_reason=""):
    """One historical row per object, announced like a save's (``post_create_historical_record``,
    which the webhooks listen to)."""
    history = _history_manager(model)
    if history is None or not objs:
        return
    rows = history.bulk_history_create(
        objs,
        update=update,
        default_user=history_user,
        default_change_reason=change_reason,
        batch_size=HISTORY_BATCH_SIZE,
    )
    for obj, row in zip(objs, rows or [], strict=False):
        post_create_historical_record.send(
            sender=type(row),
            instance=obj,
            history_instance=row,
            history_date=row.history_date,
            history_user=row.history_user,
            history_change_reason=row.history_change_reason,
            using=using,
        )


class TrackedQuerySet(PublishedQuerySet):
    """A QuerySet whose bulk writes keep the change history and the edit version.

    django-simple-history records ``save()`` and ``delete()`` through signals, but not
    ``update()``, ``bulk_create()`` or ``bulk_update()``. These overrides write one historical
    row per changed object (who: the request user from simple-history's middleware, or
    ``user=``) and bump ``version`` when an editable field changes, so an admin form opened
    before a bulk action is refused instead of silently overwriting it.
    """

    def update(self, **kwargs):
        return self.update_with_history(**kwargs)

    def update_with_history(self, *, history_user=None, change_reason="", **kwargs):
        """``update()`` plus one historical row per updated object; returns the row count."""
        fields = {self.model._meta.get_field(name) for name in kwargs}
        if "version" not in kwargs and any(field.editable for field in fields):
            kwargs["version"] = F("version") + 1
        kwargs.setdefault("updated_at", timezone.now())
        plain = models.QuerySet(self.model, using=self.db)
        with transaction.atomic(using=self.db, savepoint=False):
            pks = list(self.order_by().values_list("pk", flat=True))
            updated = 0
            for start in range(0, len(pks), HISTORY_BATCH_SIZE):
                batch = pks[start : start + HISTORY_BATCH_SIZE]
                updated += plain.filter(pk__in=batch).update(**kwargs)
                _write_history(
                    self.model,
                    list(plain.filter(pk__in=batch)),
                    update=True,
                    using=self.db,
                    history_user=history_user,
                    change_reason=change_reason,
                )
        return updated

    def bulk_create(self, objs, *args, **kwargs):
        with transaction.atomic(using=self.db, savepoint=False):
            objs = super().bulk_create(objs, *args, **kwargs)
            saved = [obj for obj in objs if obj.pk is not None]
            _write_history(self.model, saved, update=False, using=self.db)
        return objs

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        fields = list(fields)
        if any(self.model._meta.get_field(name).editable for name in fields):
            for obj in objs:
                obj.version += 1
            fields.append("version")
        now = timezone.now()
        for obj in objs:
            obj.updated_at = now
        fields.append("updated_at")
        with transaction.atomic(using=self.db, savepoint=False):
            # Django's bulk_update() calls update(): on a plain QuerySet, so history is written once
            plain = models.QuerySet(self.model, using=self.db)
            updated = plain.bulk_update(objs, fields, *args, **kwargs)
            _write_history(self.model, objs, update=True, using=self.db)
        return updated


TrackedManager = models.Manager.from_queryset(TrackedQuerySet)


class TrackedModel(models.Model):
    """Abstract base: timestamps and an edit version used to refuse stale saves.

    ``save()`` of an existing row writes ``UPDATE ... WHERE id = %s AND version = <loaded>``
    and raises :class:`StaleVersionError` when no row matched because someone else saved in
    between: the check and the write are one statement, so two writers cannot both win.
    To save on behalf of a form or API client that read version *n*, set ``obj.version = n``
    before ``save()``.
    """

    created_at = models.DateTimeField(_("생성 시각"), auto_now_add=True)
    updated_at = models.DateTimeField(_("수정 시각"), auto_now=True, db_index=True)
    version = models.PositiveIntegerField(
        _("버전"), default=1, editable=False, help_text=_("저장할 때마다 1씩 올라갑니다.")
    )

    objects = TrackedManager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self._state.adding or kwargs.get("force_insert"):
            return super().save(*args, **kwargs)
        expected = self.version
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "version", "updated_at"}
        self._expected_version = expected
        self.version = expected + 1
        try:
            super().save(*args, **kwargs)
        except BaseException:
            self.version = expected
            raise
        finally:
            del self._expected_version

    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update):
        # Django's one hook for the UPDATE of ``save()``; only the table holding ``version``
        # (the parent's, for multi-table children such as Company) gets the version condition.
        expected = getattr(self, "_expected_version", None)
        if expected is None or not any(field.name == "version" for field, _m, _v in values):
            return super()._do_update(base_qs, using, pk_val, values, update_fields, forced_update)
        if base_qs.filter(pk=pk_val, version=expected)._update(values) > 0:
            return True
        if base_qs.filter(pk=pk_val).exists():
            raise StaleVersionError(self, expected)
        return False


#: The usual order of the 17 regions (서울, 부산, 대구, 인천, 광주, 대전, 울산, 세종, 경기, 강원, 충북,
#: 충남, 전북, 전남, 경북, 경남, 제주), by code: 강원 (51) and 전북 (52) took new codes as special
#: self-governing provinces, so the code order would put them after 제주 (50).
REGION_USUAL_ORDER = (
    "11", "26", "27", "28", "29", "30", "31", "36", "41",
    "51", "43", "44", "52", "46", "47", "48", "50",
)  # fmt: skip


def region_usual_order(prefix: str = "") -> Case:
    """An ORDER BY expression putting regions (reached through ``prefix``) in the usual order."""
    return Case(
        *(
            When(**{f"{prefix}code": code}, then=Value(i))
            for i, code in enumerate(REGION_USUAL_ORDER)
        ),
        default=Value(len(REGION_USUAL_ORDER)),
        output_field=models.IntegerField(),
    )


def region_usual_position(code: str) -> int:
    """A region code's place in ``REGION_USUAL_ORDER`` (unknown codes last)."""
    return REGION_USUAL_ORDER.index(code) if code in REGION_USUAL_ORDER else len(REGION_USUAL_ORDER)


class RegionQuerySet(PublishedQuerySet):
    def in_usual_order(self):
        """서울, 부산, … 강원, 충북, … 제주 (``REGION_USUAL_ORDER``)."""
        return self.order_by(region_usual_order(), "code")


class Region(models.Model):
    """One of the 17 metropolitan/provincial governments (광역자치단체); reference data.

    Lists for people show them in the usual order (``Region.objects.in_usual_order()``,
    ``region_usual_order(prefix)`` through a relation, ``Region.usual_position`` in Python).
    """

    code = models.CharField(_("지역 코드"), max_length=2, unique=True)
    name = models.CharField(_("이름"), max_length=30, unique=True)
    short_name = models.CharField(_("약칭"), max_length=10, unique=True)
    name_en = models.CharField(_("영문 이름"), max_length=60)
    is_capital_area = models.BooleanField(_("수도권"), default=False)

    objects = RegionQuerySet.as_manager()
    search = SearchSpec(
        type="region",
        label=_("지역"),
        title=("name", "name_en"),
        names=("short_name",),
        regions=("code",),
        url=("region-detail", {"code": "code"}),
        priority=1,
    )
    publication = Publication(public=("code", "name", "short_name", "name_en", "is_capital_area"))

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

    @property
    def usual_position(self) -> int:
        """The region's place in the usual order (a sort key for lists built in Python)."""
        return region_usual_position(self.code)


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
    note = models.TextField(
        _("공개 비고"),
        blank=True,
        help_text=_(
            "읽는 사람에게 보이는 설명입니다: 공개 페이지와 API에 나옵니다. 내부 메모는 적지 마세요."
        ),
    )
    note_en = models.TextField(_("영문 공개 비고"), blank=True)
    history = HistoricalRecords()

    publication = Publication(
        public=(
            "key",
            "kind",
            "publisher",
            "author",
            "title",
            "url",
            "published_at",
            "published_precision",
            "note",
            "note_en",
        )
    )

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

    publication = Publication(
        public=("name", "name_en", "short_name", "kind", "parent", "region", "website")
    )

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
    position_en = models.CharField(_("영문 직위"), max_length=160, blank=True)
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
    note = models.TextField(
        _("내부 메모 (비공개)"), blank=True, help_text=_("직원에게만 보입니다.")
    )
    history = HistoricalRecords()

    search = SearchSpec(
        type="person",
        label=_("사람"),
        title=("name", "name_en"),
        snippet=("position", "position_en"),
        texts=("organization__name", "organization__name_en"),
        priority=6,
    )
    publication = Publication(
        public=("name", "name_en", "position", "position_en", "organization"),
        staff_only={
            "phone": "personal contact data",
            "email": "personal contact data",
            "note": "internal staff note",
        },
    )

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
