"""Viewsets of events (agenda, public participants) and awards."""

from django.db.models import Q
from django.utils import timezone

from core.api.viewsets import ApiViewSet, ApiWriteMixin
from events.api.serializers import (
    AwardReader,
    AwardSerializer,
    EventDetailReader,
    EventDetailSerializer,
    EventReader,
    EventSerializer,
    EventWriteSerializer,
)
from events.filters import AwardFilterSet, EventFilterSet
from events.models import Award, Event


class EventViewSet(ApiWriteMixin, ApiViewSet):
    """Ceremonies, conferences, roundtables, council meetings...; by id or slug.

    Until its press embargo has passed, an event is shown to staff only.
    """

    queryset = Event.objects.all()
    reader_class = EventReader
    detail_reader_class = EventDetailReader
    serializer_class = EventSerializer
    detail_serializer_class = EventDetailSerializer
    write_serializer_class = EventWriteSerializer
    filterset_class = EventFilterSet
    search_fields = ("name", "name_en", "venue_name", "city")
    ordering = ("-starts_at",)
    ordering_fields = {
        "starts_at": "starts_at",
        "name": "name",
        "kind": "kind",
        "updated_at": "updated_at",
        "id": "id",
    }
    ordering_public = ("-starts_at",)
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    lookup_description = "Numeric id or the event slug."
    slug_field = "slug"

    def get_queryset(self):
        queryset = super().get_queryset()
        user = self.request.user
        if not (user and user.is_authenticated and user.is_staff):
            queryset = queryset.filter(
                Q(embargo_until__isnull=True) | Q(embargo_until__lte=timezone.now())
            )
        return queryset


class AwardViewSet(ApiViewSet):
    """Awards and citations: recipient, rank, prize, the program behind it, the event."""

    queryset = Award.objects.all()
    reader_class = AwardReader
    serializer_class = AwardSerializer
    filterset_class = AwardFilterSet
    search_fields = ("name", "name_en", "recipient_note", "recipient_company__name")
    ordering = ("-year", "name")
    ordering_public = ("-year", "name")
    ordering_fields = {"year": "year", "name": "name", "updated_at": "updated_at", "id": "id"}
