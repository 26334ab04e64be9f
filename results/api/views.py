"""Viewsets of results: targets with periods (public), updates with their workflow (staff),
transitions as POST actions, follow-ups (public)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from core.api.exceptions import django_errors
from core.api.permissions import StaffOnly
from core.api.viewsets import ApiViewSet, ApiWriteMixin
from core.models import StaleVersionError
from programs.models import Target

from .. import services
from ..filters import FollowUpFilterSet, ResultTargetFilterSet, ResultUpdateFilterSet
from ..models import FollowUp, ResultUpdate
from .serializers import (
    FOLLOW_UP,
    RESULT_TARGET,
    UPDATE,
    ResultUpdateWriteSerializer,
    TransitionInput,
)


class ResultTargetViewSet(ApiViewSet):
    """Targets with their reporting periods and approved values (public); the roll-up of a
    program target with each region's contribution; outcome-derived figures."""

    queryset = Target.objects.all()
    shape = RESULT_TARGET
    filterset_class = ResultTargetFilterSet
    search_fields = ("metric", "metric_en")
    ordering = ("id",)
    ordering_fields = {"id": "id", "status": "status", "updated_at": "updated_at"}


def _refusal(exc: services.WorkflowError) -> Response:
    return Response({"detail": exc.message, "code": exc.code, **exc.extra}, status=exc.status)


class ResultUpdateViewSet(ApiWriteMixin, ApiViewSet):
    """Updates (실적 보고) with their review workflow — staff only. Create a draft with POST,
    change a draft or returned one with PATCH (If-Match or ``version``), and move it with the
    actions ``submit``, ``approve`` and ``return`` (a reason): 409 when the action is not
    allowed from the current status, 412 when the update changed since the version sent, 428
    without one, 403 for a role or region that may not."""

    queryset = ResultUpdate.objects.all()
    shape = UPDATE
    filterset_class = ResultUpdateFilterSet
    permission_classes = [StaffOnly]
    public_read = False
    write_serializer_class = ResultUpdateWriteSerializer
    ordering = ("id",)
    ordering_fields = {"id": "id", "as_of": "as_of", "updated_at": "updated_at"}
    http_method_names = ["get", "post", "patch", "head", "options"]

    def _save(self, request, instance=None, partial=False):
        serializer = ResultUpdateWriteSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        period = data.get("period") or instance.period
        if instance is not None and period.pk != instance.period_id:
            raise ValidationError({"period": ["보고 기간은 바꿀 수 없습니다."]})

        def pick(name, default=None):
            if name in data:
                return data[name]
            return getattr(instance, name) if instance is not None else default

        parts = data.get("parts")
        try:
            update = services.update_save(
                user=request.user,
                period=period,
                update=instance,
                value=pick("value"),
                numerator=pick("numerator"),
                denominator=pick("denominator"),
                as_of=pick("as_of"),
                comment=pick("comment", ""),
                source=instance.source if instance is not None else None,
                dimension=pick("breakdown_dimension", ""),
                parts=None
                if parts is None
                else [services.Part(p["category"], p.get("value")) for p in parts],
                version=instance.version if instance is not None else None,
            )
        except services.WorkflowError as exc:
            return _refusal(exc)
        except DjangoValidationError as exc:
            raise ValidationError(django_errors(exc)) from exc
        return update

    def create(self, request, *args, **kwargs):
        update = self._save(request)
        if isinstance(update, Response):
            return update
        data = self.read_one(update.pk)
        return Response(data, status=status.HTTP_201_CREATED, headers={"Location": data["url"]})

    def partial_update(self, request, *args, **kwargs):
        instance = self.get_object()
        refused = self.checked_precondition(request, instance)
        if refused is not None:
            return refused
        try:
            update = self._save(request, instance, partial=True)
        except StaleVersionError as exc:
            return self.precondition_failed(instance, exc.expected_version)
        if isinstance(update, Response):
            return update
        return Response(self.read_one(update.pk))

    def _transition(self, request, name):
        instance = self.get_object()
        refused = self.checked_precondition(request, instance)
        if refused is not None:
            return refused
        body = TransitionInput(data=request.data if isinstance(request.data, dict) else {})
        body.is_valid(raise_exception=True)
        try:
            services.update_transition(
                update=instance,
                action=name,
                user=request.user,
                version=instance.version,
                reason=body.validated_data.get("reason", ""),
            )
        except services.WorkflowError as exc:
            if exc.code == "stale_version":
                return self.precondition_failed(instance, instance.version)
            return _refusal(exc)
        return Response(self.read_one(instance.pk))

    @extend_schema(request=TransitionInput, responses=UPDATE.serializer())
    @action(detail=True, methods=["post"])
    def submit(self, request, *args, **kwargs):
        """Submit a draft (or resubmit a returned update) for review."""
        return self._transition(request, "submit")

    @extend_schema(request=TransitionInput, responses=UPDATE.serializer())
    @action(detail=True, methods=["post"])
    def approve(self, request, *args, **kwargs):
        """Approve a submitted update (ministry editors; never one you submitted)."""
        return self._transition(request, "approve")

    @extend_schema(request=TransitionInput, responses=UPDATE.serializer())
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, *args, **kwargs):
        """Return a submitted update for revision, with a ``reason``."""
        return self._transition(request, "return")


class FollowUpViewSet(ApiViewSet):
    """Follow-ups: commitments announced at events or in sources, with owner, due date,
    status and the record that fulfils them."""

    queryset = FollowUp.objects.all()
    shape = FOLLOW_UP
    filterset_class = FollowUpFilterSet
    search_fields = ("title", "title_en")
    ordering = ("id",)
    ordering_fields = {"id": "id", "due_end": "due_end", "updated_at": "updated_at"}
