"""AI-adoption statistics: series (what is measured, by whom) and their observations."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import Organization, Source, TrackedModel
from core.publication import Publication
from core.search import SearchSpec


class StatisticSeries(TrackedModel):
    """A measured quantity, e.g. the AI utilisation rate of firms, with its survey and method."""

    slug = models.SlugField(_("슬러그"), max_length=80, unique=True)
    name = models.CharField(_("이름"), max_length=200)
    name_en = models.CharField(_("영문 이름"), max_length=200, blank=True)
    unit = models.CharField(_("단위"), max_length=20)
    source_organization = models.ForeignKey(
        Organization,
        verbose_name=_("작성 기관"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="statistic_series",
    )
    source = models.ForeignKey(
        Source,
        verbose_name=_("출처"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="statistic_series",
    )
    survey = models.CharField(_("조사"), max_length=200, blank=True)
    survey_en = models.CharField(_("영문 조사"), max_length=200, blank=True)
    methodology_note = models.TextField(_("방법 비고"), blank=True)
    methodology_note_en = models.TextField(_("영문 방법 비고"), blank=True)
    description = models.TextField(_("설명"), blank=True)
    description_en = models.TextField(_("영문 설명"), blank=True)
    history = HistoricalRecords()

    search = SearchSpec(
        type="statistic",
        label=_("통계"),
        title=("name", "name_en"),
        snippet=("description", "description_en"),
        texts=("survey", "source_organization__name"),
        url=("statistics", {}),
        fragment="slug",
        priority=7,
    )
    publication = Publication(
        public=(
            "slug",
            "name",
            "name_en",
            "unit",
            "source_organization",
            "source",
            "survey",
            "survey_en",
            "methodology_note",
            "methodology_note_en",
            "description",
            "description_en",
        )
    )

    class Meta:
        verbose_name = _("통계 계열")
        verbose_name_plural = _("통계 계열")
        ordering = ["name", "id"]

    def __str__(self):
        return f"{self.name} ({self.unit})"


class Observation(TrackedModel):
    """One value of a series for a segment (firm size, industry, area...) and a period."""

    class Dimension(models.TextChoices):
        TOTAL = "total", _("전체")
        FIRM_SIZE = "firm_size", _("기업 규모")
        INDUSTRY = "industry", _("업종")
        AREA = "area", _("권역")
        REGION = "region", _("지역")
        COMPARISON = "comparison", _("비교")

    series = models.ForeignKey(
        StatisticSeries,
        verbose_name=_("통계 계열"),
        on_delete=models.CASCADE,
        related_name="observations",
    )
    dimension = models.CharField(_("구분 기준"), max_length=20, choices=Dimension.choices)
    segment = models.CharField(_("구분"), max_length=100)
    segment_en = models.CharField(_("영문 구분"), max_length=100, blank=True)
    period = models.CharField(
        _("기간"), max_length=10, blank=True, help_text=_("YYYY, YYYY-MM 또는 YYYY-Qn. 모르면 비움")
    )
    value = models.DecimalField(_("값"), max_digits=14, decimal_places=3)
    printed_value = models.CharField(
        _("인쇄된 값"), max_length=30, blank=True, help_text=_("출처에 인쇄된 값이 다를 때 그대로")
    )
    note = models.CharField(
        _("공개 비고"),
        max_length=300,
        blank=True,
        help_text=_(
            "읽는 사람에게 보이는 설명입니다: 공개 페이지와 API에 나옵니다. 내부 메모는 적지 마세요."
        ),
    )
    note_en = models.CharField(_("영문 공개 비고"), max_length=300, blank=True)
    history = HistoricalRecords()

    publication = Publication(
        public=(
            "series",
            "dimension",
            "segment",
            "segment_en",
            "period",
            "value",
            "printed_value",
            "note",
            "note_en",
        )
    )

    class Meta:
        verbose_name = _("통계값")
        verbose_name_plural = _("통계값")
        ordering = ["series", "dimension", "segment", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "segment", "period"],
                name="observation_unique_segment_period",
                violation_error_message=_("같은 계열·구분·기간의 값이 이미 있습니다."),
            ),
            models.CheckConstraint(
                condition=Q(period="") | Q(period__regex=r"^[0-9]{4}(-(0[1-9]|1[0-2]|Q[1-4]))?$"),
                name="observation_period_format",
                violation_error_message=_("기간은 YYYY, YYYY-MM 또는 YYYY-Qn 형식이어야 합니다."),
            ),
        ]

    def __str__(self):
        return f"{self.series.name} · {self.segment} · {self.period or '-'}: {self.value}"
