"""Viewsets of programs (with the dashboard summary) and company participations."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import compiled
from core.api.viewsets import ApiViewSet, ApiWriteMixin
from programs.api.serializers import (
    PARTICIPATION,
    PROGRAM,
    PROGRAM_DETAIL,
    PROGRAM_REF,
    ParticipationWriteSerializer,
    ProgramSummarySerializer,
    ProgramWriteSerializer,
    program_summary,
)
from programs.filters import ParticipationFilterSet, ProgramFilterSet
from programs.models import Participation, Program


class ProgramViewSet(ApiWriteMixin, ApiViewSet):
    """Programs, calls, policies, strategies and laws; by id or slug."""

    queryset = Program.objects.all()
    shape = PROGRAM
    detail_shape = PROGRAM_DETAIL
    write_serializer_class = ProgramWriteSerializer
    filterset_class = ProgramFilterSet
    search_fields = ("name", "name_en", "short_name", "summary")
    ordering = ("name",)
    ordering_fields = {
        "name": "name",
        "kind": "kind",
        "status": "status",
        "planned_start": "planned_start",
        "updated_at": "updated_at",
        "id": "id",
    }
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    lookup_description = "Numeric id or the program slug."
    slug_field = "slug"

    @extend_schema(
        responses=ProgramSummarySerializer,
        description="Dashboard aggregates: budget totals by funding source, vehicle, year and "
        "source; participating regions; company counts by status; target progress; awards. "
        "Computed in the database with a fixed number of queries.",
    )
    @action(detail=True, methods=["get"])
    def summary(self, request, *args, **kwargs):
        ctx = self.read_context()
        columns = PROGRAM_REF.columns(staff=ctx.is_staff)
        rows = compiled.record_rows(
            self.request_key(),
            lambda at: self.lookup_filter(self.get_queryset(at)).values_list(*columns),
            ctx.at,
        )
        if not rows:
            raise Http404
        return Response(program_summary(ctx, PROGRAM_REF.build_page(ctx, rows)[0]))


class ParticipationViewSet(ApiWriteMixin, ApiViewSet):
    """Companies taking part in programs; outcomes only where the company consented."""

    queryset = Participation.objects.all()
    shape = PARTICIPATION
    write_serializer_class = ParticipationWriteSerializer
    filterset_class = ParticipationFilterSet
    search_fields = ("company__name", "solution_name")
    ordering = ("program_id", "company__name")
    ordering_public = ("program", "company")
    ordering_fields = {
        "program": "program_id",
        "company": "company__name",
        "status": "status",
        "selected_on": "selected_on",
        "support_amount_krw": "support_amount_krw",
        "updated_at": "updated_at",
        "id": "id",
    }
