"""Events (with agenda and public participants) and awards: read shapes, readers, writes."""

from rest_framework import serializers

from companies.api.serializers import CompanyRefSerializer
from core.api.reading import (
    COMPANY_REF,
    EVENT_REF,
    ORGANIZATION_REF,
    PERSON_REF,
    PROGRAM_REF,
    Reader,
    dict_rows,
    group,
    iso,
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
from core.api.writing import RegionCodeField, StrictPrimaryKeyRelatedField, ValidatedModelSerializer
from core.models import Source
from events.models import AgendaItem, Award, Event, EventOrganization, EventParticipant
from programs.api.serializers import (
    OUTCOME_COLUMNS,
    OutcomeSerializer,
    ProgramRefSerializer,
    outcome_out,
)
from programs.models import Program

# --- shapes -----------------------------------------------------------------------------------


class EventRefSerializer(serializers.Serializer):
    """An event by id, slug and names."""

    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField()


class EventRoleSerializer(serializers.Serializer):
    """An organization hosting or organizing an event."""

    organization = OrganizationRefSerializer()
    role = serializers.ChoiceField(choices=EventOrganization.Role.choices)


class EventSerializer(RecordSerializer, VersionedSerializer):
    """An event: ceremony, conference, roundtable, council meeting..."""

    slug = serializers.CharField(help_text="Stable identifier (also a lookup).")
    name = serializers.CharField()
    name_en = serializers.CharField()
    kind = serializers.ChoiceField(choices=Event.Kind.choices)
    parent = EventRefSerializer(allow_null=True, help_text="The main event of a side event.")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField(allow_null=True)
    time_is_known = serializers.BooleanField(help_text="False when only the date is known.")
    date_note = serializers.CharField()
    venue_name = serializers.CharField()
    venue_name_en = serializers.CharField()
    venue_address = serializers.CharField()
    city = serializers.CharField()
    region = RegionRefSerializer(allow_null=True)
    alternative_venue_name = serializers.CharField(
        help_text="Another venue name, where sources disagree."
    )
    alternative_venue_note = serializers.CharField()
    attendee_count_approx = serializers.IntegerField(allow_null=True)
    summary = serializers.CharField()
    summary_en = serializers.CharField()
    release_at = serializers.DateTimeField(allow_null=True)
    embargo_until = serializers.DateTimeField(allow_null=True)
    embargo_note = serializers.CharField()
    open_to_press = serializers.BooleanField()
    organizations = EventRoleSerializer(many=True, help_text="Hosts and organizers.")
    programs = ProgramRefSerializer(many=True)


class AgendaItemSerializer(serializers.Serializer):
    """A slot of the programme."""

    id = serializers.IntegerField()
    order = serializers.IntegerField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    title = serializers.CharField()
    title_en = serializers.CharField()
    kind = serializers.ChoiceField(choices=AgendaItem.Kind.choices)
    presenter_organization = OrganizationRefSerializer(allow_null=True)
    presenter_person = PersonRefSerializer(allow_null=True)
    presenter_note = serializers.CharField()
    presenter_note_en = serializers.CharField()
    open_to_press = serializers.BooleanField()


class EventParticipantSerializer(serializers.Serializer):
    """A person or organization at the event, in a role."""

    id = serializers.IntegerField()
    role = serializers.ChoiceField(choices=EventParticipant.Role.choices)
    order = serializers.IntegerField()
    title_at_event = serializers.CharField()
    person = PersonRefSerializer(allow_null=True)
    organization = OrganizationRefSerializer(allow_null=True)
    is_public = serializers.BooleanField(help_text="Anonymous callers only see public ones.")


class EventDetailSerializer(EventSerializer):
    """An event with its agenda, public participants, side events and sources."""

    agenda_items = AgendaItemSerializer(many=True)
    participants = EventParticipantSerializer(many=True)
    side_events = EventRefSerializer(many=True)
    sources = SourceRefSerializer(many=True)


# --- readers ----------------------------------------------------------------------------------


class EventReader(Reader):
    basename = "event"
    columns = (
        "id",
        "slug",
        "name",
        "name_en",
        "kind",
        *ref_columns("parent", EVENT_REF),
        "starts_at",
        "ends_at",
        "time_is_known",
        "date_note",
        "venue_name",
        "venue_name_en",
        "venue_address",
        "city",
        *region_columns("region"),
        "alternative_venue_name",
        "alternative_venue_note",
        "attendee_count_approx",
        "summary",
        "summary_en",
        "release_at",
        "embargo_until",
        "embargo_note",
        "open_to_press",
        "updated_at",
        "version",
    )

    def build(self, rows):
        if not rows:
            return []
        url = self.url
        ids = [r["id"] for r in rows]
        roles = group(
            dict_rows(
                EventOrganization.objects.filter(event_id__any=ids).order_by(
                    "event_id", "role", "id"
                ),
                "event_id",
                "role",
                *ref_columns("organization", ORGANIZATION_REF),
            ),
            "event_id",
        )
        programs = group(
            dict_rows(
                Event.programs.through.objects.filter(event_id__any=ids).order_by(
                    "event_id", "program__name", "program_id"
                ),
                "event_id",
                *ref_columns("program", PROGRAM_REF),
            ),
            "event_id",
        )
        return [
            {
                "id": r["id"],
                "url": f"{url}{r['id']}/",
                "slug": r["slug"],
                "name": r["name"],
                "name_en": r["name_en"],
                "kind": r["kind"],
                "parent": ref_from_columns(r, "parent", EVENT_REF),
                "starts_at": iso(r["starts_at"]),
                "ends_at": iso(r["ends_at"]),
                "time_is_known": r["time_is_known"],
                "date_note": r["date_note"],
                "venue_name": r["venue_name"],
                "venue_name_en": r["venue_name_en"],
                "venue_address": r["venue_address"],
                "city": r["city"],
                "region": region_from(r, "region"),
                "alternative_venue_name": r["alternative_venue_name"],
                "alternative_venue_note": r["alternative_venue_note"],
                "attendee_count_approx": r["attendee_count_approx"],
                "summary": r["summary"],
                "summary_en": r["summary_en"],
                "release_at": iso(r["release_at"]),
                "embargo_until": iso(r["embargo_until"]),
                "embargo_note": r["embargo_note"],
                "open_to_press": r["open_to_press"],
                "organizations": [
                    {
                        "organization": ref_from_columns(o, "organization", ORGANIZATION_REF),
                        "role": o["role"],
                    }
                    for o in roles.get(r["id"], [])
                ],
                "programs": [
                    ref_from_columns(p, "program", PROGRAM_REF) for p in programs.get(r["id"], [])
                ],
                "updated_at": iso(r["updated_at"]),
                "version": r["version"],
            }
            for r in rows
        ]


class EventDetailReader(EventReader):
    def build(self, rows):
        out = super().build(rows)
        if not out:
            return out
        ids = [r["id"] for r in out]
        agenda = group(
            dict_rows(
                AgendaItem.objects.filter(event_id__any=ids).order_by("event_id", "order", "id"),
                "event_id",
                "id",
                "order",
                "starts_at",
                "ends_at",
                "title",
                "title_en",
                "kind",
                *ref_columns("presenter_organization", ORGANIZATION_REF),
                *ref_columns("presenter_person", PERSON_REF),
                "presenter_note",
                "presenter_note_en",
                "open_to_press",
            ),
            "event_id",
        )
        participants = EventParticipant.objects.filter(event_id__any=ids)
        if not self.ctx.is_staff:
            participants = participants.filter(is_public=True)
        people = group(
            dict_rows(
                participants.order_by("event_id", "order", "id"),
                "event_id",
                "id",
                "role",
                "order",
                "title_at_event",
                *ref_columns("person", PERSON_REF),
                *ref_columns("organization", ORGANIZATION_REF),
                "is_public",
            ),
            "event_id",
        )
        side_events = group(
            dict_rows(
                self.ctx.scoped(Event.objects.filter(parent_id__any=ids)).order_by(
                    "parent_id", "starts_at", "id"
                ),
                "parent_id",
                *EVENT_REF,
            ),
            "parent_id",
        )
        sources = group(
            dict_rows(
                Event.sources.through.objects.filter(event_id__any=ids).order_by(
                    "event_id", "source__published_at", "source_id"
                ),
                "event_id",
                *source_ref_columns("source"),
            ),
            "event_id",
        )
        for item in out:
            pk = item["id"]
            item["agenda_items"] = [
                {
                    "id": a["id"],
                    "order": a["order"],
                    "starts_at": iso(a["starts_at"]),
                    "ends_at": iso(a["ends_at"]),
                    "title": a["title"],
                    "title_en": a["title_en"],
                    "kind": a["kind"],
                    "presenter_organization": ref_from_columns(
                        a, "presenter_organization", ORGANIZATION_REF
                    ),
                    "presenter_person": ref_from_columns(a, "presenter_person", PERSON_REF),
                    "presenter_note": a["presenter_note"],
                    "presenter_note_en": a["presenter_note_en"],
                    "open_to_press": a["open_to_press"],
                }
                for a in agenda.get(pk, [])
            ]
            item["participants"] = [
                {
                    "id": p["id"],
                    "role": p["role"],
                    "order": p["order"],
                    "title_at_event": p["title_at_event"],
                    "person": ref_from_columns(p, "person", PERSON_REF),
                    "organization": ref_from_columns(p, "organization", ORGANIZATION_REF),
                    "is_public": p["is_public"],
                }
                for p in people.get(pk, [])
            ]
            item["side_events"] = side_events.get(pk, [])
            item["sources"] = [source_from(s, "source") for s in sources.get(pk, [])]
        return out


# --- awards -----------------------------------------------------------------------------------


class AwardSerializer(RecordSerializer, VersionedSerializer):
    """An award or citation and its recipient."""

    name = serializers.CharField()
    name_en = serializers.CharField()
    year = serializers.IntegerField()
    program = ProgramRefSerializer(allow_null=True)
    event = EventRefSerializer(allow_null=True, help_text="Where it was presented.")
    selection_stages = serializers.CharField()
    selected_count = serializers.IntegerField(allow_null=True)
    rank = serializers.CharField(help_text="e.g. 대상 (grand prize).")
    prize = serializers.CharField(help_text="e.g. 장관상 (minister's award).")
    recipient_company = CompanyRefSerializer(allow_null=True)
    recipient_person = PersonRefSerializer(allow_null=True)
    recipient_note = serializers.CharField()
    citation = serializers.CharField()
    citation_en = serializers.CharField()
    outcomes = OutcomeSerializer(many=True, help_text="Outcomes cited for the award.")
    sources = SourceRefSerializer(many=True)


class AwardReader(Reader):
    basename = "award"
    columns = (
        "id",
        "name",
        "name_en",
        "year",
        *ref_columns("program", PROGRAM_REF),
        *ref_columns("event", EVENT_REF),
        "selection_stages",
        "selected_count",
        "rank",
        "prize",
        *ref_columns("recipient_company", COMPANY_REF),
        *ref_columns("recipient_person", PERSON_REF),
        "recipient_note",
        "citation",
        "citation_en",
        "updated_at",
        "version",
    )

    def build(self, rows):
        if not rows:
            return []
        url = self.url
        ids = [r["id"] for r in rows]
        outcomes = group(
            dict_rows(
                Award.outcomes.through.objects.filter(award_id__any=ids).order_by(
                    "award_id", "outcome_id"
                ),
                "award_id",
                *(f"outcome__{c}" for c in OUTCOME_COLUMNS),
            ),
            "award_id",
        )
        sources = group(
            dict_rows(
                Award.sources.through.objects.filter(award_id__any=ids).order_by(
                    "award_id", "source__published_at", "source_id"
                ),
                "award_id",
                *source_ref_columns("source"),
            ),
            "award_id",
        )
        return [
            {
                "id": r["id"],
                "url": f"{url}{r['id']}/",
                "name": r["name"],
                "name_en": r["name_en"],
                "year": r["year"],
                "program": ref_from_columns(r, "program", PROGRAM_REF),
                "event": ref_from_columns(r, "event", EVENT_REF),
                "selection_stages": r["selection_stages"],
                "selected_count": r["selected_count"],
                "rank": r["rank"],
                "prize": r["prize"],
                "recipient_company": ref_from_columns(r, "recipient_company", COMPANY_REF),
                "recipient_person": ref_from_columns(r, "recipient_person", PERSON_REF),
                "recipient_note": r["recipient_note"],
                "citation": r["citation"],
                "citation_en": r["citation_en"],
                "outcomes": [
                    outcome_out({k.removeprefix("outcome__"): v for k, v in o.items()})
                    for o in outcomes.get(r["id"], [])
                ],
                "sources": [source_from(s, "source") for s in sources.get(r["id"], [])],
                "updated_at": iso(r["updated_at"]),
                "version": r["version"],
            }
            for r in rows
        ]


# --- writes -----------------------------------------------------------------------------------


class EventWriteSerializer(ValidatedModelSerializer):
    parent = StrictPrimaryKeyRelatedField(
        queryset=Event.objects.all(), required=False, allow_null=True
    )
    region = RegionCodeField(required=False, allow_null=True)
    programs = StrictPrimaryKeyRelatedField(
        queryset=Program.objects.all(), many=True, required=False
    )
    sources = StrictPrimaryKeyRelatedField(queryset=Source.objects.all(), many=True, required=False)

    class Meta:
        model = Event
        fields = (
            "id",
            "version",
            "slug",
            "name",
            "name_en",
            "kind",
            "parent",
            "starts_at",
            "ends_at",
            "time_is_known",
            "date_note",
            "venue_name",
            "venue_name_en",
            "venue_address",
            "city",
            "region",
            "alternative_venue_name",
            "alternative_venue_note",
            "attendee_count_approx",
            "summary",
            "summary_en",
            "release_at",
            "embargo_until",
            "embargo_note",
            "open_to_press",
            "programs",
            "sources",
        )
        read_only_fields = ("id", "version")
