"""What a webhook may carry: an explicit list of public fields for every public record type.

Nothing here is derived from the models: a field travels only when it is named below, so a
new private field never leaks by default. Person's phone and e-mail, free-text staff notes, and
event participants marked not public are never sent. Foreign keys travel as ``<name>_id`` (the
id of the record in the API), a region additionally as its two-digit ``region_code``.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models

#: Fields every payload carries when the model has them; they change on every save, so they are
#: ignored when deciding whether a public field changed.
BOOKKEEPING_FIELDS = ("version", "created_at", "updated_at")


def _always(instance) -> bool:
    return True


def _participant_is_public(instance) -> bool:
    return bool(instance.is_public)


def _outcome_is_public(instance) -> bool:
    """Company-level outcomes are public when published outside a participation (e.g. cited by
    an award) or when the participating company consented to publication."""
    if instance.participation_id is None:
        return True
    from programs.models import Participation

    return Participation.objects.filter(
        pk=instance.participation_id, consent_to_publish=True
    ).exists()


@dataclass(frozen=True)
class PublicRecord:
    """The public shape of one record type."""

    label: str
    verbose_name: str
    fields: tuple[str, ...]
    is_public: Callable[[models.Model], bool] = field(default=_always)


ORGANIZATION_FIELDS = (
    "name",
    "name_en",
    "short_name",
    "kind",
    "parent_id",
    "region_id",
    "website",
)

PUBLIC_RECORDS: dict[str, PublicRecord] = {
    record.label: record
    for record in (
        PublicRecord(
            "core.source",
            "출처",
            (
                "key",
                "kind",
                "publisher",
                "author",
                "title",
                "url",
                "published_at",
                "published_precision",
            ),
        ),
        PublicRecord("core.organization", "기관", ORGANIZATION_FIELDS),
        PublicRecord("core.person", "인물", ("name", "name_en", "position", "organization_id")),
        PublicRecord(
            "companies.company",
            "기업",
            (
                *ORGANIZATION_FIELDS,
                "business_number",
                "ksic_code",
                "industry",
                "size",
                "is_ai_supplier",
                "is_ai_demand",
            ),
        ),
        PublicRecord(
            "programs.program",
            "사업·정책",
            (
                "slug",
                "name",
                "name_en",
                "short_name",
                "kind",
                "status",
                "parent_id",
                "lead_ministry_id",
                "summary",
                "summary_en",
                "description",
                "description_en",
                "planned_start",
                "planned_end",
                "actual_start",
                "actual_end",
                "application_start",
                "application_end",
                "date_note",
                "url",
            ),
        ),
        PublicRecord(
            "programs.programorganization",
            "사업 참여 기관",
            ("program_id", "organization_id", "role"),
        ),
        PublicRecord(
            "programs.hub",
            "거점",
            (
                "name",
                "name_en",
                "region_id",
                "operator_id",
                "site_name",
                "address",
                "city",
                "capabilities",
                "capabilities_en",
                "has_gpu",
                "has_testbed",
                "opening_hours",
            ),
        ),
        PublicRecord(
            "programs.regionalparticipation",
            "지역 참여",
            (
                "program_id",
                "region_id",
                "status",
                "selected_on",
                "strategy_title",
                "strategy_title_en",
                "plan_title",
                "executing_organization_id",
                "official_id",
                "budget_krw",
                "summary",
                "summary_en",
            ),
        ),
        PublicRecord(
            "programs.budgetline",
            "예산",
            (
                "program_id",
                "regional_participation_id",
                "amount_krw",
                "funding_source",
                "vehicle",
                "fiscal_year",
                "period_start_year",
                "period_end_year",
                "status",
                "purpose",
                "purpose_en",
                "quoted_text",
                "source_id",
            ),
        ),
        PublicRecord(
            "programs.target",
            "목표",
            (
                "program_id",
                "regional_participation_id",
                "metric",
                "metric_en",
                "unit",
                "direction",
                "comparator",
                "baseline_value",
                "target_value",
                "period_start",
                "period_end",
                "applies_to",
                "source_id",
                "achievement_pct",
                "status",
            ),
        ),
        PublicRecord(
            "programs.targetactual", "목표 실적", ("target_id", "period_end", "value", "source_id")
        ),
        PublicRecord(
            "programs.participation",
            "기업 참여",
            (
                "company_id",
                "program_id",
                "region_id",
                "status",
                "applied_on",
                "selected_on",
                "support_amount_krw",
                "self_funding_krw",
                "solution_name",
                "supplier_id",
                "consent_to_publish",
            ),
        ),
        PublicRecord(
            "programs.outcome",
            "성과",
            (
                "company_id",
                "participation_id",
                "metric",
                "metric_en",
                "unit",
                "direction",
                "baseline_value",
                "result_value",
                "change_pct",
                "verification",
                "measured_on",
                "source_id",
            ),
            is_public=_outcome_is_public,
        ),
        PublicRecord(
            "events.event",
            "행사",
            (
                "slug",
                "name",
                "name_en",
                "kind",
                "parent_id",
                "starts_at",
                "ends_at",
                "time_is_known",
                "date_note",
                "venue_name",
                "venue_name_en",
                "venue_address",
                "city",
                "region_id",
                "alternative_venue_name",
                "alternative_venue_note",
                "attendee_count_approx",
                "summary",
                "summary_en",
                "release_at",
                "embargo_until",
                "open_to_press",
            ),
        ),
        PublicRecord(
            "events.eventorganization", "행사 주최·주관", ("event_id", "organization_id", "role")
        ),
        PublicRecord(
            "events.agendaitem",
            "행사 일정",
            (
                "event_id",
                "order",
                "starts_at",
                "ends_at",
                "title",
                "title_en",
                "kind",
                "presenter_organization_id",
                "presenter_person_id",
                "presenter_note",
                "presenter_note_en",
                "open_to_press",
            ),
        ),
        PublicRecord(
            "events.eventparticipant",
            "행사 참여자",
            ("event_id", "person_id", "organization_id", "role", "title_at_event", "order"),
            is_public=_participant_is_public,
        ),
        PublicRecord(
            "events.award",
            "포상",
            (
                "name",
                "name_en",
                "year",
                "program_id",
                "event_id",
                "selection_stages",
                "selected_count",
                "rank",
                "prize",
                "recipient_company_id",
                "recipient_person_id",
                "recipient_note",
                "citation",
                "citation_en",
            ),
        ),
        PublicRecord(
            "indicators.statisticseries",
            "통계 계열",
            (
                "slug",
                "name",
                "name_en",
                "unit",
                "source_organization_id",
                "source_id",
                "survey",
                "methodology_note",
                "description",
                "description_en",
            ),
        ),
        PublicRecord(
            "indicators.observation",
            "통계 값",
            (
                "series_id",
                "dimension",
                "segment",
                "segment_en",
                "period",
                "value",
                "printed_value",
                "note",
            ),
        ),
    )
}


def record_type_choices() -> list[tuple[str, str]]:
    return [(label, f"{record.verbose_name} ({label})") for label, record in PUBLIC_RECORDS.items()]


def _json_value(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return value


def region_codes() -> dict[int, str]:
    from core.models import Region

    return dict(Region.objects.values_list("id", "code"))


def serialize_public(instance: models.Model, *, regions: dict[int, str] | None = None):
    """The public JSON of ``instance`` (a model or a history instance), or None when the record
    is not public (e.g. an event participant marked not public)."""
    record = PUBLIC_RECORDS[instance._meta.label_lower]
    if not record.is_public(instance):
        return None
    data = {"id": instance.pk}
    for name in record.fields:
        data[name] = _json_value(getattr(instance, name))
        if name == "region_id":
            regions = regions if regions is not None else region_codes()
            data["region_code"] = regions.get(data["region_id"])
    for name in BOOKKEEPING_FIELDS:
        if hasattr(instance, name):
            data[name] = _json_value(getattr(instance, name))
    return data


def public_part(data: dict | None) -> dict | None:
    """``data`` without the fields that change on every save."""
    if data is None:
        return None
    return {key: value for key, value in data.items() if key not in BOOKKEEPING_FIELDS}
