"""Viewsets of events (agenda, public participants) and awards."""

from core.api.viewsets import ApiViewSet, ApiWriteMixin
from events.api.serializers import (
    AWARD,
    EVENT,
    EVENT_DETAIL,
    EventWriteSerializer,
)
from events.filters import AwardFilterSet, EventFilterSet
from events.models import Award, Event


class EventViewSet(ApiWriteMixin, ApiViewSet):
    """Ceremonies, conferences, roundtables, council meetings...; by id or slug.

    Until its press embargo has passed, an event (with its side events, agenda, participants
    and awards) is shown to staff only: the rule is ``Event.objects.published``.
    """

    queryset = Event.objects.all()
    shape = EVENT
    detail_shape = EVENT_DETAIL
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


class AwardViewSet(ApiViewSet):
    """Awards and citations: recipient, rank, prize, the program behind it, the event."""

    queryset = Award.objects.all()
    shape = AWARD
    filterset_class = AwardFilterSet
    search_fields = ("name", "name_en", "recipient_note", "recipient_company__name")
    ordering = ("-year", "name")
    ordering_public = ("-year", "name")
    ordering_fields = {"year": "year", "name": "name", "updated_at": "updated_at", "id": "id"}
