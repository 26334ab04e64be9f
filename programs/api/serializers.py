"""Programs, their dashboard summary, and company participations: shapes, summary, writes.

A program detail nests budget lines (with their sources), regional participations (with hubs,
targets and linked programs), program targets (with approved value, achievement and status), related
and child programs and sources — one query per list, whatever the sizes of those lists.
"""

from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from rest_framework import serializers

from companies.api.serializers import COMPANY_REF  # noqa: F401  (registers the reference shape)
from core.api import compiled
from core.api.serializers import (
    REGION_REF,
    SOURCE_REF,
    RegionRefSerializer,
    SourceRefSerializer,
)
from core.api.shapes import Children, Computed, Shape, Through, iso, num, reference
from core.api.writing import shape_write_serializer
from programs import cofinancing
from programs.budget import headline_subquery, program_budget
from programs.models import (
    BudgetLine,
    CofinancingRule,
    Hub,
    Outcome,
    Participation,
    Program,
    ProgramOrganization,
    RegionalParticipation,
    Target,
)

# --- shapes -----------------------------------------------------------------------------------

PROGRAM_REF = reference(
    Shape(
        Program,
        "ProgramRef",
        "A program by id, slug and names.",
        only=("id", "slug", "name", "name_en"),
    )
)


def region_codes(ctx, ids) -> dict:
    """Codes of the regions taking part in each program (its regional participations)."""
    rows = compiled.caller_rows(
        ctx,
        "program region codes",
        lambda ids, at: (
            ctx.visible(RegionalParticipation.objects.filter(program_id__any=ids), at)
            .order_by("region__code")
            .values_list("program_id", "region__code")
        ),
        ids,
    )
    codes: dict = {}
    for program_id, code in rows:
        codes.setdefault(program_id, []).append(code)
    return codes


REGIONS = Computed(
    "regions",
    loader=region_codes,
    field_factory=lambda: serializers.ListField(
        child=serializers.CharField(), help_text="Codes of the regions taking part."
    ),
)


def linked_region_codes(ctx, ids) -> dict:
    """Codes of the regions a program is linked to (연계 사업): regions whose participation in
    another program names it among its linked programs (``RegionalParticipation.
    linked_programs``), without a regional participation of its own."""
    taking_part = RegionalParticipation.objects.filter(
        program_id=OuterRef("program_id"), region_id=OuterRef("regionalparticipation__region_id")
    )

    def links(ids, at):
        return (
            RegionalParticipation.linked_programs.through.objects.filter(
                ~Exists(taking_part),
                program_id__any=ids,
                regionalparticipation__in=ctx.visible(RegionalParticipation.objects.all(), at),
            )
            .order_by("regionalparticipation__region__code")
            .values_list("program_id", "regionalparticipation__region__code")
        )

    codes: dict = {}
    rows = compiled.caller_rows(ctx, "program linked region codes", links, ids)
    for program_id, code in rows:
        if code not in codes.setdefault(program_id, []):
            codes[program_id].append(code)
    return codes


LINKED_REGIONS = Computed(
    "linked_regions",
    loader=linked_region_codes,
    field_factory=lambda: serializers.ListField(
        child=serializers.CharField(),
        help_text="Codes of the regions the program is linked to (연계 사업) without taking "
        "part there: a region's participation in another program names it. `region=` "
        "includes them.",
    ),
)


def headline_budgets(ctx, ids) -> dict:
    """The headline budget of each program of the page (``programs.budget``: one source's
    figure, the largest), in SQL: one query for the page."""
    return dict(
        compiled.caller_rows(
            ctx,
            "program headline budgets",
            lambda ids, at: (
                Program.objects.filter(id__any=ids)
                .annotate(headline=headline_subquery(ctx.visible(BudgetLine.objects.all(), at)))
                .values_list("id", "headline")
            ),
            ids,
        )
    )


HEADLINE_BUDGET = Computed(
    "headline_budget_krw",
    loader=headline_budgets,
    field_factory=lambda: serializers.IntegerField(
        allow_null=True,
        help_text="The headline budget in KRW: one source's figure, the largest; figures of "
        "different sources are never added (the summary's budget.headline_krw). Null without "
        "budget lines.",
    ),
    empty=lambda: None,
)
PROGRAM_HELP = {
    "slug": "Stable identifier (also a lookup).",
    "link": "Official page of the program (may be empty).",
}
PROGRAM = Shape(
    Program,
    "Program",
    "A program, call, policy, strategy, plan, system or law.",
    basename="program",
    exclude=("description", "description_en"),
    rename={"url": "link"},
    help=PROGRAM_HELP,
    nested=(REGIONS, LINKED_REGIONS, HEADLINE_BUDGET),
)

PROGRAM_ROLE = Shape(
    ProgramOrganization,
    "ProgramRole",
    "An organization's role in a program (주최, 주관, 수행...).",
    exclude=("program",),
)
BUDGET_LINE = Shape(
    BudgetLine,
    "BudgetLine",
    "An amount as one source states it.",
    exclude=("program", "regional_participation"),
    help={"amount_krw": "Amount in KRW.", "quoted_text": "The figure as the source printed it."},
    paths={
        "region": (
            "regional_participation__region__code",
            lambda: serializers.CharField(
                allow_null=True,
                help_text="Region code when the line belongs to a regional participation.",
            ),
        )
    },
)
TARGET_REF = reference(
    Shape(Target, "TargetRef", "A target by id and metric.", only=("id", "metric", "metric_en"))
)
TARGET = Shape(
    Target,
    "Target",
    "A target with its approved value, achievement and status (periods: /targets/{id}/).",
    exclude=("program", "regional_participation"),
    help={
        "current_value": "The approved value: approved updates only, combined by aggregation.",
        "achievement_pct": "Percent of the way from baseline to target (approved value).",
        "status": "no_period (기간 미정), no_data (실적 없음), achieved, on_track, at_risk, "
        "off_track: the approved value against the expected trajectory.",
    },
)
HUB = Shape(Hub, "Hub", "An infrastructure site (e.g. a manufacturing AI data centre).")
COFINANCING_RULE = Shape(
    CofinancingRule,
    "CofinancingRule",
    "How the program's money must be shared (공동 재원 규칙): a share of a regional budget "
    "(국비, 지방비, 민간·자부담) or a company's self-funding (자부담), at most or at least a "
    "percentage of the total (or of the support).",
    exclude=("program",),
    help={"percent": "The bound in percent, e.g. 70 for 국비 at most 70 %."},
)
REGIONAL_PARTICIPATION = Shape(
    RegionalParticipation,
    "RegionalParticipation",
    "The program as carried out in one region.",
    exclude=("program",),
    nested=(
        Through(
            "hubs",
            model=RegionalParticipation,
            field="hubs",
            target_shape=HUB,
            order=("hub__name", "hub_id"),
        ),
        Children("targets", shape=TARGET, fk="regional_participation"),
        Through(
            "linked_programs",
            model=RegionalParticipation,
            field="linked_programs",
            order=("program__name", "program_id"),
        ),
    ),
)
PROGRAM_DETAIL = PROGRAM.variant(
    name="ProgramDetail",
    doc="A program with budget lines, regional participations, targets, related programs and "
    "sources.",
    exclude=(),
    m2m=("related", "sources"),
    nested=(
        REGIONS,
        LINKED_REGIONS,
        HEADLINE_BUDGET,
        Through(
            "organizations",
            model=Program,
            field="organizations",
            through_shape=PROGRAM_ROLE,
            order=("role", "id"),
        ),
        Children("budget_lines", shape=BUDGET_LINE, fk="program", order=("-amount_krw", "id")),
        Children(
            "regional_participations",
            shape=REGIONAL_PARTICIPATION,
            fk="program",
            order=("region__code",),
        ),
        Children("targets", shape=TARGET, fk="program", help="Targets of the program as a whole."),
        Children("children", shape=PROGRAM_REF, fk="parent", order=("name", "id")),
    ),
)

ProgramRefSerializer = PROGRAM_REF.serializer()
ProgramSerializer = PROGRAM.serializer()
ProgramDetailSerializer = PROGRAM_DETAIL.serializer()

# --- summary ----------------------------------------------------------------------------------


def _amount_group(name: str, key_field) -> type[serializers.Serializer]:
    return type(
        name,
        (serializers.Serializer,),
        {
            "__doc__": "A budget total for one group of one source's lines.",
            "__module__": __name__,
            "key": key_field,
            "amount_krw": serializers.IntegerField(),
            "lines": serializers.IntegerField(help_text="Number of budget lines summed."),
        },
    )


AmountByFundingSourceSerializer = _amount_group(
    "AmountByFundingSourceSerializer",
    serializers.ChoiceField(choices=BudgetLine.FundingSource.choices, help_text="재원."),
)
AmountByVehicleSerializer = _amount_group(
    "AmountByVehicleSerializer",
    serializers.ChoiceField(choices=BudgetLine.Vehicle.choices, help_text="예산 구분."),
)
AmountByYearSerializer = _amount_group(
    "AmountByYearSerializer",
    serializers.IntegerField(
        allow_null=True, help_text="Fiscal year (null: a line for a period of years)."
    ),
)


class SourceAmountSerializer(serializers.Serializer):
    """The budget as one source states it: its figure and breakdowns (never mixed with another
    source's figures, which may describe the same money)."""

    source = SourceRefSerializer()
    amount_krw = serializers.IntegerField(
        help_text="This source's figure: the total of its lines for the program as a whole "
        "(of its regional lines when it states no overall figure)."
    )
    lines = serializers.IntegerField(help_text="Lines making up the figure.")
    regional_only = serializers.BooleanField(
        help_text="True when the source states only regional parts."
    )
    by_funding_source = AmountByFundingSourceSerializer(many=True)
    by_vehicle = AmountByVehicleSerializer(many=True)
    by_year = AmountByYearSerializer(many=True)


class BudgetSummarySerializer(serializers.Serializer):
    """Budget figures per source, and the one headline figure."""

    headline_krw = serializers.IntegerField(
        allow_null=True,
        help_text="One source's figure: the largest. Figures of different sources are never "
        "added. Null without budget lines.",
    )
    headline_source = SourceRefSerializer(
        allow_null=True, help_text="The source whose figure is the headline."
    )
    figures = serializers.IntegerField(help_text="Number of sources stating a figure.")
    lines = serializers.IntegerField(help_text="Budget lines of all sources.")
    by_source = SourceAmountSerializer(many=True)


class RegionSummarySerializer(serializers.Serializer):
    """A participating region, or a region the program is linked to (연계 사업)."""

    region = RegionRefSerializer()
    linked = serializers.BooleanField(
        help_text="True for a region the program is linked to without taking part there (연계 "
        "사업): the region's participation in `linked_via` names it. Status, budget, hubs and "
        "targets then belong to that participation, not to this program, and are null / 0."
    )
    linked_via = ProgramRefSerializer(
        allow_null=True, help_text="For a linked region: the program whose participation links it."
    )
    status = serializers.ChoiceField(choices=RegionalParticipation.Status.choices, allow_null=True)
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


class CofinancingCheckSerializer(serializers.Serializer):
    """One regional-budget rule applied to one source's statement of a region's budget."""

    rule = serializers.IntegerField(help_text="The rule's id (in `cofinancing.rules`).")
    source = SourceRefSerializer(
        allow_null=True, help_text="The source whose budget lines were judged."
    )
    status = serializers.ChoiceField(choices=cofinancing.STATUS_CHOICES)
    share_pct = serializers.FloatField(
        allow_null=True,
        help_text="The rule's share in percent of the statement's total (null: not judged).",
    )
    reason = serializers.CharField(help_text="Why it could not be judged (empty otherwise).")


class CompanyComplianceSerializer(serializers.Serializer):
    """Company participations of the region by their standing against the 자부담 rules."""

    compliant = serializers.IntegerField()
    violation = serializers.IntegerField()
    unknown = serializers.IntegerField(help_text="Support or self-funding not recorded.")


class RegionComplianceSerializer(serializers.Serializer):
    """A region's standing against the program's co-financing rules."""

    region = RegionRefSerializer()
    status = serializers.ChoiceField(
        choices=cofinancing.STATUS_CHOICES,
        allow_null=True,
        help_text="violation when any check fails, compliant when every check holds, unknown "
        "otherwise; null when no rule applies.",
    )
    budget_status = serializers.ChoiceField(
        choices=cofinancing.STATUS_CHOICES,
        allow_null=True,
        help_text="The regional budget's checks together (null without a budget rule).",
    )
    budget_checks = CofinancingCheckSerializer(many=True)
    companies = CompanyComplianceSerializer()


class CofinancingSummarySerializer(serializers.Serializer):
    """The program's co-financing rules and each region's compliance (programs.cofinancing):
    regional budgets are judged per source (figures of different sources are never added),
    company participations one by one. Empty lists when the program states no rule."""

    rules = COFINANCING_RULE.serializer()(many=True)
    regions = RegionComplianceSerializer(many=True)


class ProgramSummarySerializer(serializers.Serializer):
    """Dashboard aggregates of one program."""

    program = ProgramRefSerializer()
    url = serializers.URLField()
    budget = BudgetSummarySerializer()
    regions = RegionSummarySerializer(many=True)
    companies = CompanySummarySerializer()
    targets = TargetSummarySerializer()
    awards = serializers.IntegerField(help_text="Number of awards linked to the program.")
    cofinancing = CofinancingSummarySerializer()


def _groups(lines, key: str) -> list[dict]:
    """Sums of ``lines`` by ``key``, in key order (null last)."""
    sums: dict = {}
    for line in lines:
        group = sums.setdefault(line[key], {"key": line[key], "amount_krw": 0, "lines": 0})
        group["amount_krw"] += line["amount_krw"]
        group["lines"] += 1
    return sorted(sums.values(), key=lambda g: (g["key"] is None, g["key"] or 0))


BUDGET_COLUMNS = (
    "amount_krw",
    "funding_source",
    "vehicle",
    "fiscal_year",
    "regional_participation_id",
    "source_id",
    *SOURCE_REF.columns(prefix="source__"),
)


def budget_summary(ctx, program_id: int) -> dict:
    """The program's budget by the one rule (``programs.budget``): per source, its figure and
    breakdowns; the headline is one source's figure. One query."""
    build_source = SOURCE_REF.builder(False, prefix="source__")
    rows = summary_rows(
        ctx,
        "budget",
        lambda ids, at: (
            ctx.visible(BudgetLine.objects.filter(program_id__any=ids), at)
            .order_by("source__published_at", "source_id", "id")
            .values_list(*BUDGET_COLUMNS)
        ),
        program_id,
    )
    lines = []
    for r in rows:
        line = dict(zip(BUDGET_COLUMNS[:6], r[:6], strict=True))
        line["source"] = build_source(r[6:], ctx)
        lines.append(line)
    budget = program_budget(lines)
    headline = budget.headline
    return {
        "headline_krw": budget.headline_krw,
        "headline_source": headline.source if headline else None,
        "figures": budget.figure_count,
        "lines": len(lines),
        "by_source": [
            {
                "source": figure.source,
                "amount_krw": figure.amount_krw,
                "lines": len(figure.lines),
                "regional_only": figure.regional_only,
                "by_funding_source": _groups(figure.lines, "funding_source"),
                "by_vehicle": _groups(figure.lines, "vehicle"),
                "by_year": _groups(figure.lines, "fiscal_year"),
            }
            for figure in budget.figures
        ],
    }


def _status_counts(rows, choices) -> list[dict]:
    """``rows`` of (status, count, ...) as a count for every status, in the choices' order."""
    counts = {r[0]: r[1] for r in rows}
    return [{"status": value, "count": counts.get(value, 0)} for value, _label in choices]


def summary_rows(ctx, name: str, make, program_id: int) -> list[tuple]:
    """The rows of ``make(ids, at)`` (a ``values_list`` of the program ``ids`` at ``at``) from
    SQL compiled once per process (``core.api.compiled``): the summary's queries differ from
    one request to the next only by the program and the moment. Built every time for a caller
    reading their own regions only (``?scope=mine``: the query depends on who asks)."""
    return compiled.caller_rows(ctx, f"program summary {name}", make, [program_id])


def program_summary(ctx, program: dict) -> dict:
    """Dashboard aggregates of one program: 7 queries (and the co-financing rules' checks when
    the program has rules), each compiled once per process."""
    pid = program["id"]
    build_region = REGION_REF.builder(False, prefix="region__")
    region_columns = REGION_REF.columns(prefix="region__")
    n = len(region_columns)
    regions = [
        {
            "region": build_region(r[:n], ctx),
            "linked": False,
            "linked_via": None,
            "status": r[n],
            "selected_on": iso(r[n + 1]),
            "budget_krw": r[n + 2],
            "hubs": r[n + 3],
            "targets": r[n + 4],
        }
        for r in summary_rows(
            ctx,
            "regions",
            lambda ids, at: (
                ctx.visible(RegionalParticipation.objects.filter(program_id__any=ids), at)
                .order_by("region__code")
                .annotate(
                    hub_count=Count("hubs", distinct=True),
                    target_count=Count("targets", distinct=True),
                )
                .values_list(
                    *region_columns,
                    "status",
                    "selected_on",
                    "budget_krw",
                    "hub_count",
                    "target_count",
                )
            ),
            pid,
        )
    ]
    regions += linked_regions(ctx, pid, {r["region"]["code"] for r in regions})
    company_rows = summary_rows(
        ctx,
        "companies",
        lambda ids, at: (
            ctx.visible(Participation.objects.filter(program_id__any=ids), at)
            .order_by()
            .values_list("status")
            .annotate(n=Count("id"), support=Sum("support_amount_krw"))
        ),
        pid,
    )

    def targets(ids, at):
        return ctx.visible(
            Target.objects.filter(
                Q(program_id__any=ids) | Q(regional_participation__program_id__any=ids)
            ),
            at,
        )

    target_items = [
        {
            "id": t[0],
            "region": t[1],
            "metric": t[2],
            "metric_en": t[3],
            "unit": t[4],
            "comparator": t[5],
            "baseline_value": num(t[6]),
            "target_value": num(t[7]),
            "latest_value": num(t[8]),
            "achievement_pct": num(t[9]),
            "status": t[10],
        }
        for t in summary_rows(
            ctx,
            "targets",
            lambda ids, at: (
                targets(ids, at)
                .order_by(F("regional_participation__region__code").asc(nulls_first=True), "id")
                .values_list(
                    "id",
                    "regional_participation__region__code",
                    "metric",
                    "metric_en",
                    "unit",
                    "comparator",
                    "baseline_value",
                    "target_value",
                    "current_value",
                    "achievement_pct",
                    "status",
                )
            ),
            pid,
        )
    ]
    target_status = summary_rows(
        ctx,
        "target status",
        lambda ids, at: targets(ids, at).order_by().values_list("status").annotate(n=Count("id")),
        pid,
    )
    return {
        "program": program,
        "url": f"{ctx.url_prefix('program')}{pid}/summary/",
        "budget": budget_summary(ctx, pid),
        "regions": regions,
        "companies": {
            "total": sum(r[1] for r in company_rows),
            "support_total_krw": sum(r[2] or 0 for r in company_rows),
            "by_status": _status_counts(company_rows, Participation.Status.choices),
        },
        "targets": {
            "total": len(target_items),
            "by_status": _status_counts(target_status, Target.Status.choices),
            "items": target_items,
        },
        "awards": program_award_count(ctx, pid),
        "cofinancing": cofinancing_summary(ctx, pid),
    }


def _ref(shape, obj, ctx) -> dict | None:
    """A reference shape's JSON built from a loaded model instance (no query)."""
    if obj is None:
        return None
    return shape.builder(False)(tuple(getattr(obj, c) for c in shape.columns()), ctx)


def cofinancing_summary(ctx, program_id: int) -> dict:
    """The program's rules and each region's compliance, within what the caller may read
    (``programs.cofinancing.program_compliance``). One query for a program without rules, at
    most five however many rows the program holds."""
    columns = COFINANCING_RULE.columns(staff=ctx.is_staff)
    rules = COFINANCING_RULE.build_page(
        ctx,
        summary_rows(
            ctx,
            "cofinancing rules",
            lambda ids, at: (
                ctx.visible(CofinancingRule.objects.filter(program_id__any=ids), at)
                .order_by("scope", "share", "bound", "id")
                .values_list(*columns)
            ),
            program_id,
        ),
    )
    if not rules:
        return {"rules": [], "regions": []}
    compliance = cofinancing.program_compliance(Program(pk=program_id), visible=ctx.visible)
    return {
        "rules": rules,
        "regions": [
            {
                "region": _ref(REGION_REF, entry.region, ctx),
                "status": entry.status,
                "budget_status": entry.budget_status,
                "budget_checks": [
                    {
                        "rule": check.rule.pk,
                        "source": _ref(SOURCE_REF, check.source, ctx),
                        "status": check.status,
                        "share_pct": num(check.share_pct),
                        "reason": str(check.reason),
                    }
                    for check in entry.budget_checks
                ],
                "companies": dict(entry.companies),
            }
            for entry in compliance["regions"]
        ],
    }


def linked_regions(ctx, program_id: int, taking_part: set) -> list[dict]:
    """The regions the program is linked to (연계 사업) and does not take part in, each with
    the program whose regional participation links it. One query."""
    region_columns = REGION_REF.columns(prefix="region__")
    program_columns = PROGRAM_REF.columns(prefix="program__")
    build_region = REGION_REF.builder(False, prefix="region__")
    build_program = PROGRAM_REF.builder(False, prefix="program__")
    n = len(region_columns)
    rows = summary_rows(
        ctx,
        "linked regions",
        lambda ids, at: (
            ctx.visible(RegionalParticipation.objects.filter(linked_programs__id__any=ids), at)
            .order_by("region__code", "program__name", "program_id")
            .values_list(*region_columns, *program_columns)
        ),
        program_id,
    )
    out = []
    for r in rows:
        region = build_region(r[:n], ctx)
        if region["code"] in taking_part:
            continue
        out.append(
            {
                "region": region,
                "linked": True,
                "linked_via": build_program(r[n:], ctx),
                "status": None,
                "selected_on": None,
                "budget_krw": None,
                "hubs": 0,
                "targets": 0,
            }
        )
    return out


def program_award_count(ctx, program_id: int) -> int:
    """Public awards behind the program. Awards live in the events app (above this one), so
    the model is reached through the relation rather than imported."""
    award = Program._meta.get_field("awards").related_model
    return compiled.count(
        ("program summary awards", ctx.is_staff),
        lambda ids, at: (
            ctx.visible(award.objects.filter(program_id__any=ids), at).order_by().values_list("pk")
        ),
        [program_id],
        ctx.at,
        cache=not ctx.mine,
    )


# --- participations ---------------------------------------------------------------------------

OUTCOME = Shape(
    Outcome,
    "Outcome",
    "A measured result: baseline, result and change.",
    exclude=("company", "participation"),
    help={"change_pct": "Change in percent."},
)
PARTICIPATION = Shape(
    Participation,
    "Participation",
    "A company in a program, with support and (published) outcomes.",
    basename="participation",
    m2m=("sources",),
    help={
        "consent_to_publish": "The company agreed to publish its outcomes; without it outcomes "
        "is empty.",
        "note": "Internal staff note.",
    },
    nested=(Children("outcomes", shape=OUTCOME, fk="participation"),),
)

OutcomeSerializer = OUTCOME.serializer()
ParticipationSerializer = PARTICIPATION.serializer()


# --- writes -----------------------------------------------------------------------------------

ProgramWriteSerializer = shape_write_serializer(PROGRAM_DETAIL)
ParticipationWriteSerializer = shape_write_serializer(PARTICIPATION)
