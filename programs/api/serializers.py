"""Programs, their dashboard summary, and company participations: read shapes, readers, writes.

A program detail nests budget lines (with their sources), regional participations (with hubs,
targets and linked programs), program targets (with actuals, achievement and status), related
and child programs and sources — 12 queries whatever the sizes of those lists.
"""

from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from rest_framework import serializers

from companies.api.serializers import CompanyRefSerializer
from companies.models import Company
from core.api.reading import (
    COMPANY_REF,
    ORGANIZATION_REF,
    PERSON_REF,
    PROGRAM_REF,
    Reader,
    dict_rows,
    group,
    iso,
    num,
    ref_columns,
    ref_from_columns,
    region_columns,
    region_from,
    source_from,
    source_ref_columns,
)
from core.api.serializers import (
    OrganizationRefSerializer,
    PersonRefSerializer,
    RecordSerializer,
    RegionRefSerializer,
    SourceRefSerializer,
    VersionedSerializer,
)
from core.api.writing import (
    RegionCodeField,
    StrictPrimaryKeyRelatedField,
    StrictURLField,
    ValidatedModelSerializer,
)
from core.models import Organization, Source
from programs.budget import largest_figure_subquery
from programs.models import (
    BudgetLine,
    Outcome,
    Participation,
    Program,
    ProgramOrganization,
    RegionalParticipation,
    Target,
    TargetActual,
)

# --- shapes -----------------------------------------------------------------------------------


class ProgramRefSerializer(serializers.Serializer):
    """A program by id, slug and names."""

    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField()


class ProgramSerializer(RecordSerializer, VersionedSerializer):
    """A program, call, policy, strategy, plan, system or law."""

    slug = serializers.CharField(help_text="Stable identifier (also a lookup).")
    name = serializers.CharField()
    name_en = serializers.CharField()
    short_name = serializers.CharField()
    kind = serializers.ChoiceField(choices=Program.Kind.choices)
    status = serializers.ChoiceField(choices=Program.Status.choices)
    parent = ProgramRefSerializer(allow_null=True)
    lead_ministry = OrganizationRefSerializer(allow_null=True)
    summary = serializers.CharField()
    summary_en = serializers.CharField()
    planned_start = serializers.DateField(allow_null=True)
    planned_end = serializers.DateField(allow_null=True)
    actual_start = serializers.DateField(allow_null=True)
    actual_end = serializers.DateField(allow_null=True)
    application_start = serializers.DateField(allow_null=True)
    application_end = serializers.DateField(allow_null=True)
    date_note = serializers.CharField()
    link = serializers.CharField(help_text="Official page of the program (may be empty).")
    regions = serializers.ListField(
        child=serializers.CharField(), help_text="Codes of the regions taking part."
    )


class ProgramRoleSerializer(serializers.Serializer):
    """An organization's role in a program (주최, 주관, 수행...)."""

    organization = OrganizationRefSerializer()
    role = serializers.ChoiceField(choices=ProgramOrganization.Role.choices)
    note = serializers.CharField(required=False, help_text="Internal note: staff only.")


class BudgetLineSerializer(serializers.Serializer):
    """An amount as one source states it."""

    id = serializers.IntegerField()
    amount_krw = serializers.IntegerField(help_text="Amount in KRW.")
    funding_source = serializers.ChoiceField(choices=BudgetLine.FundingSource.choices)
    vehicle = serializers.ChoiceField(choices=BudgetLine.Vehicle.choices)
    fiscal_year = serializers.IntegerField(allow_null=True)
    period_start_year = serializers.IntegerField(allow_null=True)
    period_end_year = serializers.IntegerField(allow_null=True)
    status = serializers.ChoiceField(choices=BudgetLine.Status.choices)
    purpose = serializers.CharField()
    purpose_en = serializers.CharField()
    quoted_text = serializers.CharField(help_text="The figure as the source printed it.")
    region = serializers.CharField(
        allow_null=True, help_text="Region code when the line belongs to a regional participation."
    )
    source = SourceRefSerializer()
    updated_at = serializers.DateTimeField()


class TargetActualSerializer(serializers.Serializer):
    """A measured value of a target."""

    id = serializers.IntegerField()
    period_end = serializers.DateField()
    value = serializers.FloatField()
    note = serializers.CharField(required=False, help_text="Internal note: staff only.")
    source = SourceRefSerializer(allow_null=True)


class TargetSerializer(serializers.Serializer):
    """A target with its actuals, achievement and status."""

    id = serializers.IntegerField()
    metric = serializers.CharField()
    metric_en = serializers.CharField()
    unit = serializers.CharField()
    direction = serializers.ChoiceField(choices=Target.Direction.choices)
    comparator = serializers.ChoiceField(choices=Target.Comparator.choices)
    baseline_value = serializers.FloatField(allow_null=True)
    target_value = serializers.FloatField()
    period_start = serializers.DateField(allow_null=True)
    period_end = serializers.DateField(allow_null=True)
    applies_to = serializers.CharField()
    note = serializers.CharField()
    achievement_pct = serializers.FloatField(
        allow_null=True, help_text="Percent of the way from baseline to target (latest actual)."
    )
    status = serializers.ChoiceField(choices=Target.Status.choices)
    source = SourceRefSerializer(allow_null=True)
    actuals = TargetActualSerializer(many=True)
    updated_at = serializers.DateTimeField()


class HubSerializer(serializers.Serializer):
    """An infrastructure site (e.g. a manufacturing AI data centre)."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    name_en = serializers.CharField()
    region = RegionRefSerializer()
    operator = OrganizationRefSerializer(allow_null=True)
    site_name = serializers.CharField()
    address = serializers.CharField()
    city = serializers.CharField()
    capabilities = serializers.CharField()
    capabilities_en = serializers.CharField()
    has_gpu = serializers.BooleanField()
    has_testbed = serializers.BooleanField()
    opening_hours = serializers.CharField()


class RegionalParticipationSerializer(serializers.Serializer):
    """The program as carried out in one region."""

    id = serializers.IntegerField()
    region = RegionRefSerializer()
    status = serializers.ChoiceField(choices=RegionalParticipation.Status.choices)
    selected_on = serializers.DateField(allow_null=True)
    strategy_title = serializers.CharField()
    strategy_title_en = serializers.CharField()
    plan_title = serializers.CharField()
    executing_organization = OrganizationRefSerializer(allow_null=True)
    official = PersonRefSerializer(allow_null=True)
    budget_krw = serializers.IntegerField(allow_null=True)
    summary = serializers.CharField()
    summary_en = serializers.CharField()
    hubs = HubSerializer(many=True)
    targets = TargetSerializer(many=True)
    linked_programs = ProgramRefSerializer(many=True)
    updated_at = serializers.DateTimeField()


class ProgramDetailSerializer(ProgramSerializer):
    """A program with budget lines, regional participations, targets, related programs and sources."""

    description = serializers.CharField()
    description_en = serializers.CharField()
    organizations = ProgramRoleSerializer(many=True)
    budget_lines = BudgetLineSerializer(many=True)
    regional_participations = RegionalParticipationSerializer(many=True)
    targets = TargetSerializer(many=True, help_text="Targets of the program as a whole.")
    related = ProgramRefSerializer(many=True)
    children = ProgramRefSerializer(many=True)
    sources = SourceRefSerializer(many=True)


# --- readers ----------------------------------------------------------------------------------


def program_ref(row: dict, prefix: str) -> dict | None:
    return ref_from_columns(row, prefix, PROGRAM_REF)


class ProgramReader(Reader):
    basename = "program"
    columns = (
        "id",
        "slug",
        "name",
        "name_en",
        "short_name",
        "kind",
        "status",
        *ref_columns("parent", PROGRAM_REF),
        *ref_columns("lead_ministry", ORGANIZATION_REF),
        "summary",
        "summary_en",
        "planned_start",
        "planned_end",
        "actual_start",
        "actual_end",
        "application_start",
        "application_end",
        "date_note",
        "url",
        "updated_at",
        "version",
    )

    def region_codes(self, ids) -> dict:
        rows = (
            RegionalParticipation.objects.filter(program_id__any=ids)
            .order_by("region__code")
            .values_list("program_id", "region__code")
        )
        codes: dict = {}
        for program_id, code in rows:
            codes.setdefault(program_id, []).append(code)
        return codes

    def row(self, r: dict, url: str, regions: dict) -> dict:
        return {
            "id": r["id"],
            "url": f"{url}{r['id']}/",
            "slug": r["slug"],
            "name": r["name"],
            "name_en": r["name_en"],
            "short_name": r["short_name"],
            "kind": r["kind"],
            "status": r["status"],
            "parent": program_ref(r, "parent"),
            "lead_ministry": ref_from_columns(r, "lead_ministry", ORGANIZATION_REF),
            "summary": r["summary"],
            "summary_en": r["summary_en"],
            "planned_start": iso(r["planned_start"]),
            "planned_end": iso(r["planned_end"]),
            "actual_start": iso(r["actual_start"]),
            "actual_end": iso(r["actual_end"]),
            "application_start": iso(r["application_start"]),
            "application_end": iso(r["application_end"]),
            "date_note": r["date_note"],
            "link": r["url"],
            "regions": regions.get(r["id"], []),
            "updated_at": iso(r["updated_at"]),
            "version": r["version"],
        }

    def build(self, rows):
        if not rows:
            return []
        url = self.url
        regions = self.region_codes([r["id"] for r in rows])
        return [self.row(r, url, regions) for r in rows]


TARGET_COLUMNS = (
    "id",
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
    "note",
    "achievement_pct",
    "status",
    *source_ref_columns("source"),
    "updated_at",
)


def read_targets(ctx, condition: Q) -> list[dict]:
    """Targets matching ``condition`` with their actuals: two queries."""
    rows = dict_rows(ctx.scoped(Target.objects.filter(condition)).order_by("id"), *TARGET_COLUMNS)
    actuals = group(
        dict_rows(
            TargetActual.objects.filter(target_id__any=[r["id"] for r in rows]).order_by(
                "target_id", "period_end", "id"
            ),
            "target_id",
            "id",
            "period_end",
            "value",
            "note",
            *source_ref_columns("source"),
        ),
        "target_id",
    )
    out = []
    for r in rows:
        out.append(
            {
                "id": r["id"],
                "program_id": r["program_id"],
                "regional_participation_id": r["regional_participation_id"],
                "metric": r["metric"],
                "metric_en": r["metric_en"],
                "unit": r["unit"],
                "direction": r["direction"],
                "comparator": r["comparator"],
                "baseline_value": num(r["baseline_value"]),
                "target_value": num(r["target_value"]),
                "period_start": iso(r["period_start"]),
                "period_end": iso(r["period_end"]),
                "applies_to": r["applies_to"],
                "note": r["note"],
                "achievement_pct": num(r["achievement_pct"]),
                "status": r["status"],
                "source": source_from(r, "source"),
                "actuals": [
                    {
                        "id": a["id"],
                        "period_end": iso(a["period_end"]),
                        "value": num(a["value"]),
                        **({"note": a["note"]} if ctx.is_staff else {}),
                        "source": source_from(a, "source"),
                    }
                    for a in actuals.get(r["id"], [])
                ],
                "updated_at": iso(r["updated_at"]),
            }
        )
    return out


def _strip_owner(target: dict) -> dict:
    target.pop("program_id")
    target.pop("regional_participation_id")
    return target


class ProgramDetailReader(ProgramReader):
    columns = (*ProgramReader.columns, "description", "description_en")

    def build(self, rows):
        if not rows:
            return []
        ids = [r["id"] for r in rows]
        url = self.url
        ctx = self.ctx
        regions = self.region_codes(ids)

        roles = group(
            dict_rows(
                ProgramOrganization.objects.filter(program_id__any=ids).order_by(
                    "program_id", "role", "id"
                ),
                "program_id",
                "role",
                "note",
                *ref_columns("organization", ORGANIZATION_REF),
            ),
            "program_id",
        )
        budget = group(
            dict_rows(
                ctx.scoped(BudgetLine.objects.filter(program_id__any=ids)).order_by(
                    "program_id", "-amount_krw", "id"
                ),
                "program_id",
                "id",
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
                "regional_participation__region__code",
                *source_ref_columns("source"),
                "updated_at",
            ),
            "program_id",
        )
        participations = dict_rows(
            ctx.scoped(RegionalParticipation.objects.filter(program_id__any=ids)).order_by(
                "program_id", "region__code"
            ),
            "id",
            "program_id",
            *region_columns("region"),
            "status",
            "selected_on",
            "strategy_title",
            "strategy_title_en",
            "plan_title",
            *ref_columns("executing_organization", ORGANIZATION_REF),
            *ref_columns("official", PERSON_REF),
            "budget_krw",
            "summary",
            "summary_en",
            "updated_at",
        )
        rp_ids = [p["id"] for p in participations]
        hubs = group(
            dict_rows(
                RegionalParticipation.hubs.through.objects.filter(
                    regionalparticipation_id__any=rp_ids
                ).order_by("regionalparticipation_id", "hub__name", "hub_id"),
                "regionalparticipation_id",
                "hub_id",
                "hub__name",
                "hub__name_en",
                *region_columns("hub__region"),
                *ref_columns("hub__operator", ORGANIZATION_REF),
                "hub__site_name",
                "hub__address",
                "hub__city",
                "hub__capabilities",
                "hub__capabilities_en",
                "hub__has_gpu",
                "hub__has_testbed",
                "hub__opening_hours",
            ),
            "regionalparticipation_id",
        )
        linked = group(
            dict_rows(
                RegionalParticipation.linked_programs.through.objects.filter(
                    regionalparticipation_id__any=rp_ids
                ).order_by("regionalparticipation_id", "program__name", "program_id"),
                "regionalparticipation_id",
                *ref_columns("program", PROGRAM_REF),
            ),
            "regionalparticipation_id",
        )
        targets = read_targets(
            ctx, Q(program_id__any=ids) | Q(regional_participation_id__any=rp_ids)
        )
        program_targets: dict = {}
        rp_targets: dict = {}
        for t in targets:
            if t["program_id"] is not None:
                program_targets.setdefault(t["program_id"], []).append(t)
            else:
                rp_targets.setdefault(t["regional_participation_id"], []).append(t)
            _strip_owner(t)
        related = group(
            dict_rows(
                Program.related.through.objects.filter(from_program_id__any=ids).order_by(
                    "from_program_id", "to_program__name", "to_program_id"
                ),
                "from_program_id",
                *ref_columns("to_program", PROGRAM_REF),
            ),
            "from_program_id",
        )
        children = group(
            dict_rows(
                ctx.scoped(Program.objects.filter(parent_id__any=ids)).order_by(
                    "parent_id", "name", "id"
                ),
                "parent_id",
                *PROGRAM_REF,
            ),
            "parent_id",
        )
        sources = group(
            dict_rows(
                Program.sources.through.objects.filter(program_id__any=ids).order_by(
                    "program_id", "source__published_at", "source_id"
                ),
                "program_id",
                *source_ref_columns("source"),
            ),
            "program_id",
        )

        rps: dict = {}
        for p in participations:
            rps.setdefault(p["program_id"], []).append(
                {
                    "id": p["id"],
                    "region": region_from(p, "region"),
                    "status": p["status"],
                    "selected_on": iso(p["selected_on"]),
                    "strategy_title": p["strategy_title"],
                    "strategy_title_en": p["strategy_title_en"],
                    "plan_title": p["plan_title"],
                    "executing_organization": ref_from_columns(
                        p, "executing_organization", ORGANIZATION_REF
                    ),
                    "official": ref_from_columns(p, "official", PERSON_REF),
                    "budget_krw": p["budget_krw"],
                    "summary": p["summary"],
                    "summary_en": p["summary_en"],
                    "hubs": [
                        {
                            "id": h["hub_id"],
                            "name": h["hub__name"],
                            "name_en": h["hub__name_en"],
                            "region": region_from(h, "hub__region"),
                            "operator": ref_from_columns(h, "hub__operator", ORGANIZATION_REF),
                            "site_name": h["hub__site_name"],
                            "address": h["hub__address"],
                            "city": h["hub__city"],
                            "capabilities": h["hub__capabilities"],
                            "capabilities_en": h["hub__capabilities_en"],
                            "has_gpu": h["hub__has_gpu"],
                            "has_testbed": h["hub__has_testbed"],
                            "opening_hours": h["hub__opening_hours"],
                        }
                        for h in hubs.get(p["id"], [])
                    ],
                    "targets": rp_targets.get(p["id"], []),
                    "linked_programs": [
                        program_ref(lp, "program") for lp in linked.get(p["id"], [])
                    ],
                    "updated_at": iso(p["updated_at"]),
                }
            )

        out = []
        for r in rows:
            item = self.row(r, url, regions)
            pid = r["id"]
            item["description"] = r["description"]
            item["description_en"] = r["description_en"]
            item["organizations"] = [
                {
                    "organization": ref_from_columns(o, "organization", ORGANIZATION_REF),
                    "role": o["role"],
                    **({"note": o["note"]} if self.ctx.is_staff else {}),
                }
                for o in roles.get(pid, [])
            ]
            item["budget_lines"] = [
                {
                    "id": b["id"],
                    "amount_krw": b["amount_krw"],
                    "funding_source": b["funding_source"],
                    "vehicle": b["vehicle"],
                    "fiscal_year": b["fiscal_year"],
                    "period_start_year": b["period_start_year"],
                    "period_end_year": b["period_end_year"],
                    "status": b["status"],
                    "purpose": b["purpose"],
                    "purpose_en": b["purpose_en"],
                    "quoted_text": b["quoted_text"],
                    "region": b["regional_participation__region__code"],
                    "source": source_from(b, "source"),
                    "updated_at": iso(b["updated_at"]),
                }
                for b in budget.get(pid, [])
            ]
            item["regional_participations"] = rps.get(pid, [])
            item["targets"] = program_targets.get(pid, [])
            item["related"] = [program_ref(x, "to_program") for x in related.get(pid, [])]
            item["children"] = children.get(pid, [])
            item["sources"] = [source_from(s, "source") for s in sources.get(pid, [])]
            out.append(item)
        return out


# --- summary ----------------------------------------------------------------------------------


class AmountGroupSerializer(serializers.Serializer):
    """A budget total for one group."""

    key = serializers.CharField(allow_null=True, help_text="The group's value (null: not stated).")
    amount_krw = serializers.IntegerField()
    lines = serializers.IntegerField(help_text="Number of budget lines summed.")


class SourceAmountSerializer(serializers.Serializer):
    """The budget as one source states it: its total and breakdowns (never mixed with another
    source's figures, which may describe the same money)."""

    source = SourceRefSerializer()
    amount_krw = serializers.IntegerField(help_text="Sum of this source's lines.")
    lines = serializers.IntegerField()
    by_funding_source = AmountGroupSerializer(many=True)
    by_vehicle = AmountGroupSerializer(many=True)
    by_year = AmountGroupSerializer(many=True, help_text="By fiscal year (key null: a period).")


class BudgetSummarySerializer(serializers.Serializer):
    """Budget figures per source, and the one headline figure."""

    headline_krw = serializers.IntegerField(
        allow_null=True,
        help_text="The largest figure any one source states (the public site's rule); figures "
        "of different sources are never added. Null without budget lines.",
    )
    lines = serializers.IntegerField(help_text="Budget lines of all sources.")
    by_source = SourceAmountSerializer(many=True)


class RegionSummarySerializer(serializers.Serializer):
    """A participating region."""

    region = RegionRefSerializer()
    status = serializers.ChoiceField(choices=RegionalParticipation.Status.choices)
    selected_on = serializers.DateField(allow_null=True)
    budget_krw = serializers.IntegerField(allow_null=True)
    hubs = serializers.IntegerField()
    targets = serializers.IntegerField()


class StatusCountSerializer(serializers.Serializer):
    """A count for one status."""

    status = serializers.CharField()
    count = serializers.IntegerField()


class CompanySummarySerializer(serializers.Serializer):
    """Company participations."""

    total = serializers.IntegerField()
    support_total_krw = serializers.IntegerField(help_text="Sum of support amounts.")
    by_status = StatusCountSerializer(many=True, help_text="Every status, zero included.")


class TargetProgressSerializer(serializers.Serializer):
    """Progress of one target."""

    id = serializers.IntegerField()
    region = serializers.CharField(allow_null=True, help_text="Region code for regional targets.")
    metric = serializers.CharField()
    metric_en = serializers.CharField()
    unit = serializers.CharField()
    comparator = serializers.ChoiceField(choices=Target.Comparator.choices)
    baseline_value = serializers.FloatField(allow_null=True)
    target_value = serializers.FloatField()
    latest_value = serializers.FloatField(allow_null=True)
    achievement_pct = serializers.FloatField(allow_null=True)
    status = serializers.ChoiceField(choices=Target.Status.choices)


class TargetSummarySerializer(serializers.Serializer):
    """Target progress."""

    total = serializers.IntegerField()
    by_status = StatusCountSerializer(many=True, help_text="Every status, zero included.")
    items = TargetProgressSerializer(many=True)


class ProgramSummarySerializer(serializers.Serializer):
    """Dashboard aggregates of one program."""

    program = ProgramRefSerializer()
    url = serializers.URLField()
    budget = BudgetSummarySerializer()
    regions = RegionSummarySerializer(many=True)
    companies = CompanySummarySerializer()
    targets = TargetSummarySerializer()
    awards = serializers.IntegerField(help_text="Number of awards linked to the program.")


def _amount_groups(queryset, key: str) -> dict[int, list[dict]]:
    """Sums of ``queryset`` per source and ``key``: source id → groups."""
    out: dict[int, list[dict]] = {}
    for r in (
        queryset.values("source_id", key)
        .annotate(amount=Sum("amount_krw"), lines=Count("id"))
        .order_by("source_id", F(key).asc(nulls_last=True))
    ):
        out.setdefault(r["source_id"], []).append(
            {"key": r[key], "amount_krw": r["amount"] or 0, "lines": r["lines"]}
        )
    return out


def _status_counts(rows, choices) -> list[dict]:
    counts = {r["status"]: r["n"] for r in rows}
    return [{"status": value, "count": counts.get(value, 0)} for value, _label in choices]


def program_summary(ctx, program: dict) -> dict:
    """Dashboard aggregates of one program, all computed in the database: 10 queries."""
    pid = program["id"]
    budget = ctx.scoped(BudgetLine.objects.filter(program_id=pid)).order_by()
    headline = (
        Program.objects.filter(pk=pid)
        .annotate(headline=largest_figure_subquery(budget))
        .values_list("headline", flat=True)
        .first()
    )
    groups = {
        name: _amount_groups(budget, key)
        for name, key in (
            ("by_funding_source", "funding_source"),
            ("by_vehicle", "vehicle"),
            ("by_year", "fiscal_year"),
        )
    }
    by_source = [
        {
            "source": source_from(r, "source"),
            "amount_krw": r["amount"] or 0,
            "lines": r["lines"],
            **{name: per_source.get(r["source_id"], []) for name, per_source in groups.items()},
        }
        for r in budget.values(*source_ref_columns("source"))
        .annotate(amount=Sum("amount_krw"), lines=Count("id"))
        .order_by("source__published_at", "source_id")
    ]
    regions = [
        {
            "region": region_from(r, "region"),
            "status": r["status"],
            "selected_on": iso(r["selected_on"]),
            "budget_krw": r["budget_krw"],
            "hubs": r["hub_count"],
            "targets": r["target_count"],
        }
        for r in ctx.scoped(RegionalParticipation.objects.filter(program_id=pid))
        .order_by("region__code")
        .values(*region_columns("region"), "status", "selected_on", "budget_krw")
        .annotate(
            hub_count=Count("hubs", distinct=True), target_count=Count("targets", distinct=True)
        )
    ]
    participations = ctx.scoped(Participation.objects.filter(program_id=pid)).order_by()
    company_rows = list(
        participations.values("status").annotate(n=Count("id"), support=Sum("support_amount_krw"))
    )
    latest = (
        TargetActual.objects.filter(target_id=OuterRef("pk"))
        .order_by("-period_end", "-id")
        .values("value")[:1]
    )
    targets = ctx.scoped(
        Target.objects.filter(Q(program_id=pid) | Q(regional_participation__program_id=pid))
    )
    target_items = [
        {
            "id": t["id"],
            "region": t["regional_participation__region__code"],
            "metric": t["metric"],
            "metric_en": t["metric_en"],
            "unit": t["unit"],
            "comparator": t["comparator"],
            "baseline_value": num(t["baseline_value"]),
            "target_value": num(t["target_value"]),
            "latest_value": num(t["latest_value"]),
            "achievement_pct": num(t["achievement_pct"]),
            "status": t["status"],
        }
        for t in targets.annotate(latest_value=Subquery(latest))
        .order_by(F("regional_participation__region__code").asc(nulls_first=True), "id")
        .values(
            "id",
            "regional_participation__region__code",
            "metric",
            "metric_en",
            "unit",
            "comparator",
            "baseline_value",
            "target_value",
            "latest_value",
            "achievement_pct",
            "status",
        )
    ]
    target_status = targets.order_by().values("status").annotate(n=Count("id"))
    awards = program_award_count(ctx, pid)
    return {
        "program": {k: program[k] for k in PROGRAM_REF},
        "url": f"{ctx.url_prefix('program')}{pid}/summary/",
        "budget": {
            "headline_krw": headline,
            "lines": sum(s["lines"] for s in by_source),
            "by_source": by_source,
        },
        "regions": regions,
        "companies": {
            "total": sum(r["n"] for r in company_rows),
            "support_total_krw": sum(r["support"] or 0 for r in company_rows),
            "by_status": _status_counts(company_rows, Participation.Status.choices),
        },
        "targets": {
            "total": len(target_items),
            "by_status": _status_counts(target_status, Target.Status.choices),
            "items": target_items,
        },
        "awards": awards,
    }


def program_award_count(ctx, program_id: int) -> int:
    """Awards behind the program; awards live in the events app, reached by their relation."""
    return ctx.scoped(Program.objects.filter(pk=program_id)).aggregate(n=Count("awards"))["n"]


# --- participations ---------------------------------------------------------------------------


class OutcomeSerializer(serializers.Serializer):
    """A measured result: baseline, result and change."""

    id = serializers.IntegerField()
    metric = serializers.CharField()
    metric_en = serializers.CharField()
    unit = serializers.CharField()
    direction = serializers.ChoiceField(choices=Target.Direction.choices)
    baseline_value = serializers.FloatField(allow_null=True)
    result_value = serializers.FloatField(allow_null=True)
    change_pct = serializers.FloatField(allow_null=True, help_text="Change in percent.")
    verification = serializers.ChoiceField(choices=Outcome.Verification.choices)
    measured_on = serializers.DateField(allow_null=True)
    source = SourceRefSerializer(allow_null=True)


OUTCOME_COLUMNS = (
    "id",
    "metric",
    "metric_en",
    "unit",
    "direction",
    "baseline_value",
    "result_value",
    "change_pct",
    "verification",
    "measured_on",
    *source_ref_columns("source"),
)


def outcome_out(o: dict) -> dict:
    return {
        "id": o["id"],
        "metric": o["metric"],
        "metric_en": o["metric_en"],
        "unit": o["unit"],
        "direction": o["direction"],
        "baseline_value": num(o["baseline_value"]),
        "result_value": num(o["result_value"]),
        "change_pct": num(o["change_pct"]),
        "verification": o["verification"],
        "measured_on": iso(o["measured_on"]),
        "source": source_from(o, "source"),
    }


class ParticipationSerializer(RecordSerializer, VersionedSerializer):
    """A company in a program, with support and (published) outcomes."""

    company = CompanyRefSerializer()
    program = ProgramRefSerializer()
    region = RegionRefSerializer(allow_null=True)
    status = serializers.ChoiceField(choices=Participation.Status.choices)
    applied_on = serializers.DateField(allow_null=True)
    selected_on = serializers.DateField(allow_null=True)
    support_amount_krw = serializers.IntegerField(allow_null=True)
    self_funding_krw = serializers.IntegerField(allow_null=True)
    solution_name = serializers.CharField()
    supplier = CompanyRefSerializer(allow_null=True)
    consent_to_publish = serializers.BooleanField(
        help_text="The company agreed to publish its outcomes; without it outcomes is empty."
    )
    note = serializers.CharField(
        required=False, help_text="Internal staff note: staff only (left out otherwise)."
    )
    outcomes = OutcomeSerializer(many=True)


class ParticipationReader(Reader):
    basename = "participation"
    columns = (
        "id",
        *ref_columns("company", COMPANY_REF),
        *ref_columns("program", PROGRAM_REF),
        *region_columns("region"),
        "status",
        "applied_on",
        "selected_on",
        "support_amount_krw",
        "self_funding_krw",
        "solution_name",
        *ref_columns("supplier", COMPANY_REF),
        "consent_to_publish",
        "note",
        "updated_at",
        "version",
    )

    def build(self, rows):
        if not rows:
            return []
        url = self.url
        visible = [r["id"] for r in rows if r["consent_to_publish"] or self.ctx.is_staff]
        outcomes = group(
            dict_rows(
                Outcome.objects.filter(participation_id__any=visible).order_by(
                    "participation_id", "id"
                ),
                "participation_id",
                *OUTCOME_COLUMNS,
            ),
            "participation_id",
        )
        return [
            {
                "id": r["id"],
                "url": f"{url}{r['id']}/",
                "company": ref_from_columns(r, "company", COMPANY_REF),
                "program": program_ref(r, "program"),
                "region": region_from(r, "region"),
                "status": r["status"],
                "applied_on": iso(r["applied_on"]),
                "selected_on": iso(r["selected_on"]),
                "support_amount_krw": r["support_amount_krw"],
                "self_funding_krw": r["self_funding_krw"],
                "solution_name": r["solution_name"],
                "supplier": ref_from_columns(r, "supplier", COMPANY_REF),
                "consent_to_publish": r["consent_to_publish"],
                "note": r["note"],
                "outcomes": [outcome_out(o) for o in outcomes.get(r["id"], [])],
                "updated_at": iso(r["updated_at"]),
                "version": r["version"],
            }
            for r in rows
        ]


# --- writes -----------------------------------------------------------------------------------


class ProgramWriteSerializer(ValidatedModelSerializer):
    link = StrictURLField(source="url", required=False, allow_blank=True, max_length=200)
    parent = StrictPrimaryKeyRelatedField(
        queryset=Program.objects.all(), required=False, allow_null=True
    )
    lead_ministry = StrictPrimaryKeyRelatedField(
        queryset=Organization.objects.all(), required=False, allow_null=True
    )
    related = StrictPrimaryKeyRelatedField(
        queryset=Program.objects.all(), many=True, required=False
    )
    sources = StrictPrimaryKeyRelatedField(queryset=Source.objects.all(), many=True, required=False)

    class Meta:
        model = Program
        fields = (
            "id",
            "version",
            "slug",
            "name",
            "name_en",
            "short_name",
            "kind",
            "status",
            "parent",
            "lead_ministry",
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
            "link",
            "related",
            "sources",
        )
        read_only_fields = ("id", "version")


class ParticipationWriteSerializer(ValidatedModelSerializer):
    company = StrictPrimaryKeyRelatedField(queryset=Company.objects.all())
    program = StrictPrimaryKeyRelatedField(queryset=Program.objects.all())
    region = RegionCodeField(required=False, allow_null=True)
    supplier = StrictPrimaryKeyRelatedField(
        queryset=Company.objects.all(), required=False, allow_null=True
    )
    sources = StrictPrimaryKeyRelatedField(queryset=Source.objects.all(), many=True, required=False)

    class Meta:
        model = Participation
        fields = (
            "id",
            "version",
            "company",
            "program",
            "region",
            "status",
            "applied_on",
            "selected_on",
            "support_amount_krw",
            "self_funding_krw",
            "solution_name",
            "supplier",
            "consent_to_publish",
            "note",
            "sources",
        )
        read_only_fields = ("id", "version")
