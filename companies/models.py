"""Companies: organizations with business facts (사업자등록번호, industry, size, AI-market roles)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import Organization
from core.publication import Publication
from core.search import SearchSpec

from .validators import normalize_business_number, validate_business_number, validate_ksic_code


class Company(Organization):
    """A company taking part in programs as an AI supplier, a demand company, or both."""

    class Size(models.TextChoices):
        MICRO = "micro", _("소상공인")
        SMALL = "small", _("소기업")
        MEDIUM = "medium", _("중기업")
        MIDSIZE = "midsize", _("중견기업")
        LARGE = "large", _("대기업")

    business_number = models.CharField(
        _("사업자등록번호"),
        max_length=12,
        blank=True,
        validators=[validate_business_number],
        help_text=_("숫자 10자리. 하이픈은 저장할 때 제거됩니다."),
    )
    ksic_code = models.CharField(
        _("표준산업분류 코드"), max_length=6, blank=True, validators=[validate_ksic_code]
    )
    industry = models.CharField(_("업종"), max_length=120, blank=True)
    industry_en = models.CharField(_("영문 업종"), max_length=120, blank=True)
    size = models.CharField(_("기업 규모"), max_length=10, choices=Size.choices, blank=True)
    is_ai_supplier = models.BooleanField(_("AI 공급기업"), default=False)
    is_ai_demand = models.BooleanField(_("AI 수요기업"), default=False)
    ceo_name = models.CharField(_("대표자"), max_length=60, blank=True)
    ceo_name_en = models.CharField(_("영문 대표자"), max_length=120, blank=True)
    address = models.CharField(_("주소"), max_length=200, blank=True)
    address_en = models.CharField(_("영문 주소"), max_length=200, blank=True)

    search = SearchSpec(
        type="company",
        label=_("기업"),
        title=("name", "name_en"),
        names=("short_name",),
        snippet=("industry",),
        texts=("address",),
        kind="size",
        regions=("region__code",),
        url=("company-detail", {"pk": "id"}),
        priority=4,
    )
    publication = Publication(
        public=(
            "business_number",
            "ksic_code",
            "industry",
            "industry_en",
            "size",
            "is_ai_supplier",
            "is_ai_demand",
            "ceo_name",
            "ceo_name_en",
            "address",
            "address_en",
        )
    )

    class Meta:
        verbose_name = _("기업")
        verbose_name_plural = _("기업")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["business_number"],
                condition=~Q(business_number=""),
                name="company_unique_business_number",
                violation_error_message=_("같은 사업자등록번호의 기업이 이미 있습니다."),
            ),
            models.CheckConstraint(
                condition=Q(business_number="") | Q(business_number__regex=r"^[0-9]{10}$"),
                name="company_business_number_digits",
                violation_error_message=_("사업자등록번호는 숫자 10자리여야 합니다."),
            ),
        ]

    def clean_fields(self, exclude=None):
        self.kind = self.kind or Organization.Kind.COMPANY
        self.business_number = normalize_business_number(self.business_number)
        super().clean_fields(exclude=exclude)

    def save(self, *args, **kwargs):
        self.business_number = normalize_business_number(self.business_number)
        self.kind = self.kind or Organization.Kind.COMPANY
        super().save(*args, **kwargs)

    @property
    def formatted_business_number(self) -> str:
        n = self.business_number
        return f"{n[:3]}-{n[3:5]}-{n[5:]}" if len(n) == 10 else n

    @property
    def roles_display(self) -> str:
        roles = [
            str(label)
            for flag, label in (
                (self.is_ai_supplier, _("AI 공급기업")),
                (self.is_ai_demand, _("AI 수요기업")),
            )
            if flag
        ]
        return ", ".join(roles)
