"""Events (with agenda and public participants) and awards: shapes and writes."""

from core.api.shapes import Children, Shape, Through, reference
from core.api.writing import shape_write_serializer
from events.models import AgendaItem, Award, Event, EventOrganization, EventParticipant
from programs.api.serializers import OUTCOME, PROGRAM_REF  # noqa: F401  (reference shapes)

# --- shapes -----------------------------------------------------------------------------------

EVENT_REF = reference(
    Shape(
        Event, "EventRef", "An event by id, slug and names.", only=("id", "slug", "name", "name_en")
    )
)
EVENT_ROLE = Shape(
    EventOrganization,
    "EventRole",
    "An organization hosting or organizing an event.",
    exclude=("event",),
)
ORGANIZATIONS = Through(
    "organizations",
    model=Event,
    field="organizations",
    through_shape=EVENT_ROLE,
    order=("role", "id"),
    help="Hosts and organizers.",
)
EVENT_HELP = {
    "slug": "Stable identifier (also a lookup).",
    "parent": "The main event of a side event.",
    "time_is_known": "False when only the date is known.",
    "alternative_venue_name": "Another venue name, where sources disagree.",
    "embargo_until": "Press embargo: until then the event is shown to staff only.",
}
EVENT = Shape(
    Event,
    "Event",
    "An event: ceremony, conference, roundtable, council meeting...",
    basename="event",
    help=EVENT_HELP,
    m2m=("programs",),
    nested=(ORGANIZATIONS,),
)
AGENDA_ITEM = Shape(AgendaItem, "AgendaItem", "A slot of the programme.", exclude=("event",))
PARTICIPANT = Shape(
    EventParticipant,
    "EventParticipant",
    "A person or organization at the event, in a role.",
    exclude=("event",),
    help={"is_public": "Anonymous callers only see public ones."},
)
EVENT_DETAIL = EVENT.variant(
    name="EventDetail",
    doc="An event with its agenda, public participants, side events and sources.",
    m2m=("programs", "sources"),
    nested=(
        ORGANIZATIONS,
        Children("agenda_items", shape=AGENDA_ITEM, fk="event", order=("order", "id")),
        Children("participants", shape=PARTICIPANT, fk="event", order=("order", "id")),
        Children("side_events", shape=EVENT_REF, fk="parent", order=("starts_at", "id")),
    ),
)
AWARD = Shape(
    Award,
    "Award",
    "An award or citation and its recipient.",
    basename="award",
    help={
        "event": "Where it was presented.",
        "rank": "e.g. 대상 (grand prize).",
        "prize": "e.g. 장관상 (minister's award).",
    },
    m2m=("sources",),
    nested=(
        Through(
            "outcomes",
            model=Award,
            field="outcomes",
            target_shape=OUTCOME,
            help="Outcomes cited for the award (those the public may see).",
        ),
    ),
)

EventRefSerializer = EVENT_REF.serializer()
EventSerializer = EVENT.serializer()
EventDetailSerializer = EVENT_DETAIL.serializer()
AwardSerializer = AWARD.serializer()

# --- writes -----------------------------------------------------------------------------------

EventWriteSerializer = shape_write_serializer(EVENT_DETAIL)
