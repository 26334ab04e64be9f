"""Shapes of the results resources (``core/api/shapes.py``).

* ``targets``: every target with its reporting periods and their approved values (public), its
  roll-up contributions (a program target aggregating its regions) and, for outcome-derived
  targets, the figure with its counts;
* ``result-updates``: staff only — every update with its workflow, breakdown and review record;
* ``follow-ups``: commitments announced at events or in sources (public).
"""

from rest_framework import serializers

from core.api.shapes import Children, Computed, Shape, num
from core.api.writing import StrictCharField
from programs.api.serializers import TARGET
from programs.models import Target

from ..models import (
    FollowUp,
    ReportingPeriod,
    ResultBreakdown,
    ResultTransition,
    ResultUpdate,
)

PERIOD = Shape(
    ReportingPeriod,
    "ReportingPeriod",
    "A reporting period of a target with its approved value (approved updates only).",
    exclude=("target",),
    help={
        "approved_value": "The period's value from its approved updates (combined by the "
        "target's aggregation; numerator/denominator for percentage targets).",
        "locked": "A locked period accepts no updates.",
    },
)


def rollups(ctx, ids) -> dict:
    """Each roll-up target's contributions (one query per roll-up target; few per program)."""
    from ..rollup import rollup_total

    out = {}
    for target in Target.objects.filter(pk__in=ids).exclude(rollup="").order_by("pk"):
        rolled = rollup_total(target)
        out[target.pk] = {
            "total": num(rolled.total.value),
            "reported_total": num(rolled.reported_total),
            "parts_target_value": num(rolled.parts_target_value),
            "mismatch": rolled.mismatch,
            "contributions": [
                {
                    "target": c.target.pk,
                    "region": c.region_code,
                    "value": num(c.value),
                    "target_value": num(c.target_value),
                    "share_pct": num(c.share_pct),
                }
                for c in rolled.contributions
            ],
        }
    return out


def outcome_figures(ctx, ids) -> dict:
    """The figure of each outcome-derived target with its counts (never the companies)."""
    from ..outcomes import outcome_figure

    out = {}
    for target in Target.objects.filter(pk__in=ids).exclude(outcome_statistic="").order_by("pk"):
        figure = outcome_figure(target)
        out[target.pk] = {
            "value": num(figure.value),
            "companies": figure.companies,
            "meeting": figure.meeting,
        }
    return out


class ContributionSerializer(serializers.Serializer):
    target = serializers.IntegerField()
    region = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    target_value = serializers.FloatField()
    share_pct = serializers.FloatField(allow_null=True)


class RollupSerializer(serializers.Serializer):
    total = serializers.FloatField(allow_null=True)
    reported_total = serializers.FloatField(allow_null=True)
    parts_target_value = serializers.FloatField(allow_null=True)
    mismatch = serializers.BooleanField()
    contributions = ContributionSerializer(many=True)


class OutcomeFigureSerializer(serializers.Serializer):
    value = serializers.FloatField(allow_null=True)
    companies = serializers.IntegerField()
    meeting = serializers.IntegerField(allow_null=True)


RESULT_TARGET = TARGET.variant(
    name="ResultTarget",
    doc="A target with its periods and approved values, roll-up and outcome figure.",
    exclude=("program", "regional_participation"),
    basename="result-target",
    paths={
        "program": (
            "program_id",
            lambda: serializers.IntegerField(
                allow_null=True, help_text="Program id of a program-level target."
            ),
        ),
        "owner_program": (
            "regional_participation__program_id",
            lambda: serializers.IntegerField(
                allow_null=True, help_text="Program id of a regional target."
            ),
        ),
        "region": (
            "regional_participation__region__code",
            lambda: serializers.CharField(
                allow_null=True, help_text="Region code of a regional target."
            ),
        ),
    },
    nested=(
        Children("periods", shape=PERIOD, fk="target", order=("start", "id")),
        Computed(
            "rollup_total",
            loader=rollups,
            field_factory=lambda: RollupSerializer(
                allow_null=True,
                help_text="For a program target that aggregates its regional targets: the "
                "total, each region's contribution and whether totals equal their parts.",
            ),
            empty=lambda: None,
        ),
        Computed(
            "outcome_figure",
            loader=outcome_figures,
            field_factory=lambda: OutcomeFigureSerializer(
                allow_null=True,
                help_text="For a target computed from verified company outcomes: the figure "
                "and how many companies it rests on (companies are listed for staff only).",
            ),
            empty=lambda: None,
        ),
    ),
)

BREAKDOWN = Shape(ResultBreakdown, "ResultBreakdown", "One part of an update.", exclude=("update",))
TRANSITION = Shape(
    ResultTransition,
    "ResultTransition",
    "One review step: from which status to which, by whom, when and why.",
    exclude=("update", "user"),
    paths={
        "user": (
            "user__username",
            lambda: serializers.CharField(allow_null=True, help_text="Who took the step."),
        )
    },
)


def _user(path, text):
    return (path, lambda: serializers.CharField(allow_null=True, help_text=text))


UPDATE = Shape(
    ResultUpdate,
    "ResultUpdate",
    "A reported value under review (staff only); only approved updates count.",
    exclude=("period", "created_by", "submitted_by", "reviewed_by", "source"),
    basename="result-update",
    paths={
        "period": ("period_id", lambda: serializers.IntegerField(help_text="Reporting period id.")),
        "target": (
            "period__target_id",
            lambda: serializers.IntegerField(help_text="Target id."),
        ),
        "source": (
            "source_id",
            lambda: serializers.IntegerField(allow_null=True, help_text="Source id."),
        ),
        "created_by": _user("created_by__username", "Who drafted it."),
        "submitted_by": _user("submitted_by__username", "Who submitted it last."),
        "reviewed_by": _user("reviewed_by__username", "Who approved or returned it last."),
    },
    nested=(
        Children("parts", shape=BREAKDOWN, fk="update"),
        Children("transitions", shape=TRANSITION, fk="update", order=("at", "id")),
    ),
)

FOLLOW_UP = Shape(
    FollowUp,
    "FollowUp",
    "A commitment announced at an event or in a source: owner, due date, status, fulfilment.",
    basename="follow-up",
)


class PartInput(serializers.Serializer):
    category = StrictCharField(max_length=100)
    value = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True
    )


class ResultUpdateWriteSerializer(serializers.Serializer):
    """A draft's values (POST creates one for ``period``; PATCH changes a draft or returned one)."""

    period = serializers.PrimaryKeyRelatedField(queryset=ReportingPeriod.objects.all())
    value = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True
    )
    numerator = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True
    )
    denominator = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True
    )
    as_of = serializers.DateField(required=False, allow_null=True)
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    breakdown_dimension = serializers.ChoiceField(
        choices=ResultUpdate.Dimension.choices, required=False, default=""
    )
    parts = PartInput(many=True, required=False)
    version = serializers.IntegerField(required=False, min_value=1)


class TransitionInput(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")
    version = serializers.IntegerField(required=False, min_value=1)
