"""No personal contact data (phone, e-mail) in any anonymous API response, and nothing that is
not public (hidden participants, unpublished outcomes, embargoed events)."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.models import Person
from events.models import EventParticipant
from tests import factories as f

pytestmark = pytest.mark.django_db

PHONE = re.compile(r"0\d{1,2}-\d{3,4}-\d{4}")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
DEMO_PHONES = ("044-204-7250", "044-204-7752", "044-204-7242", "044-300-0921", "044-300-0925")


@pytest.fixture
def everything(db):
    """The demo data, plus a person with an e-mail in every place a person can appear."""
    call_command("load_demo", verbosity=0)
    person = f.PersonFactory(
        name="연락처공개금지", phone="010-1234-5678", email="private@mss.go.kr"
    )
    event = f.EventFactory()
    f.EventParticipantFactory(event=event, person=person, is_public=True)
    f.AgendaItemFactory(event=event, presenter_person=person)
    f.RegionalParticipationFactory(official=person)
    f.AwardFactory(recipient_person=person, recipient_company=None)
    return person


def walk(client) -> dict[str, bytes]:
    """Every anonymous GET reachable from the API root: lists (JSON and CSV), each row's detail
    by its url, program summaries."""
    bodies: dict[str, bytes] = {}
    root = client.get("/api/v1/")
    bodies["/api/v1/"] = root.content
    for list_url in root.json().values():
        response = client.get(list_url, {"page_size": 500})
        bodies[list_url] = response.content
        if response.status_code != 200:
            continue
        bodies[f"{list_url}?format=csv"] = client.get(list_url, {"format": "csv"}).content
        for row in response.json()["results"]:
            bodies[row["url"]] = client.get(row["url"]).content
            if "/programs/" in row["url"]:
                summary = f"{row['url']}summary/"
                bodies[summary] = client.get(summary).content
    return bodies


def test_no_phone_or_email_in_any_anonymous_response(everything, anon_client):
    # when
    bodies = walk(anon_client)

    # then: the walk reached every kind of page
    assert len(bodies) > 150
    assert any("/summary/" in url for url in bodies)
    leaks = {
        url: sorted(set(PHONE.findall(text)) | set(EMAIL.findall(text)))
        for url, body in bodies.items()
        for text in [body.decode("utf-8-sig")]
        if PHONE.search(text) or EMAIL.search(text)
    }
    assert leaks == {}
    everything_at_once = b"".join(bodies.values()).decode("utf-8-sig")
    for phone in (*DEMO_PHONES, "010-1234-5678", "private@mss.go.kr"):
        assert phone not in everything_at_once
    assert "연락처공개금지" in everything_at_once  # the person's name is public, the contact is not


def test_people_with_contacts_are_staff_only(everything, anon_client, staff_client):
    # when
    anonymous = anon_client.get("/api/v1/people/")
    staff = staff_client.get("/api/v1/people/", {"search": "곽재경"})

    # then
    assert anonymous.status_code == 401
    assert PHONE.search(anonymous.content.decode()) is None
    assert staff.status_code == 200
    assert [p["phone"] for p in staff.json()["results"]] == ["044-204-7250"]


def test_hidden_participants_are_shown_to_staff_only(anon_client, staff_client):
    # given
    event = f.EventFactory()
    public = f.EventParticipantFactory(event=event, is_public=True)
    hidden = f.EventParticipantFactory(
        event=event, is_public=False, role=EventParticipant.Role.PRESS_CONTACT
    )

    # when
    anonymous = anon_client.get(f"/api/v1/events/{event.pk}/").json()
    staff = staff_client.get(f"/api/v1/events/{event.pk}/").json()

    # then
    assert [p["id"] for p in anonymous["participants"]] == [public.pk]
    assert [p["id"] for p in staff["participants"]] == [public.pk, hidden.pk]


def test_outcomes_only_with_consent_to_publish(anon_client, staff_client):
    # given
    consented = f.ParticipationFactory(consent_to_publish=True)
    outcome = f.OutcomeFactory(participation=consented)
    private = f.ParticipationFactory(consent_to_publish=False)
    f.OutcomeFactory(participation=private)

    # when
    anonymous = {p["id"]: p for p in anon_client.get("/api/v1/participations/").json()["results"]}
    staff = {p["id"]: p for p in staff_client.get("/api/v1/participations/").json()["results"]}

    # then
    assert [o["id"] for o in anonymous[consented.pk]["outcomes"]] == [outcome.pk]
    assert anonymous[private.pk]["outcomes"] == []
    assert len(staff[private.pk]["outcomes"]) == 1


def test_embargoed_event_is_hidden_until_the_embargo_passes(anon_client, staff_client):
    # given
    embargoed = f.EventFactory(embargo_until=timezone.now() + datetime.timedelta(hours=6))
    lifted = f.EventFactory(embargo_until=timezone.now() - datetime.timedelta(hours=6))

    # when
    anonymous = [e["id"] for e in anon_client.get("/api/v1/events/").json()["results"]]
    anonymous_detail = anon_client.get(f"/api/v1/events/{embargoed.pk}/")
    staff = [e["id"] for e in staff_client.get("/api/v1/events/").json()["results"]]

    # then
    assert anonymous == [lifted.pk]
    assert anonymous_detail.status_code == 404
    assert sorted(staff) == sorted([embargoed.pk, lifted.pk])


def test_person_model_still_holds_the_contact(everything):
    # the data is there (so the tests above prove filtering, not absence)
    assert Person.objects.filter(phone="044-204-7250").exists()
    assert Person.objects.filter(email="private@mss.go.kr").exists()


NOTE_MARKER = "내부메모-STAFF-ONLY-7391"


@pytest.fixture
def staff_notes(everything):
    """Free-text staff notes carrying a marker on every record that has an internal note."""
    participation = f.ParticipationFactory(consent_to_publish=True, note=NOTE_MARKER)
    f.ProgramOrganizationFactory(program=participation.program, note=NOTE_MARKER)
    target = f.TargetFactory(program=participation.program)
    f.approved_result(target, datetime.date(2025, 6, 30), 10, note=NOTE_MARKER)
    Person.objects.filter(pk=everything.pk).update(note=NOTE_MARKER)
    return participation


def test_staff_notes_never_appear_in_any_anonymous_response(staff_notes, anon_client):
    # when
    bodies = walk(anon_client)

    # then
    assert f"/api/v1/participations/{staff_notes.pk}/" in "".join(bodies)
    leaks = sorted(url for url, body in bodies.items() if NOTE_MARKER in body.decode("utf-8-sig"))
    assert leaks == []
    row = anon_client.get(f"/api/v1/participations/{staff_notes.pk}/").json()
    assert "note" not in row
    header = anon_client.get("/api/v1/participations/", {"format": "csv"}).content
    assert b"note" not in header.decode("utf-8-sig").splitlines()[0].encode()


def test_staff_see_the_staff_notes(staff_notes, staff_client):
    # when
    detail = staff_client.get(f"/api/v1/participations/{staff_notes.pk}/").json()
    exported = staff_client.get("/api/v1/participations/", {"format": "csv"})
    program = staff_client.get(f"/api/v1/programs/{staff_notes.program_id}/").json()

    # then
    assert detail["note"] == NOTE_MARKER
    assert NOTE_MARKER in exported.content.decode("utf-8-sig")
    assert [o["note"] for o in program["organizations"]] == [NOTE_MARKER]
