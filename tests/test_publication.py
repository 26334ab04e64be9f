"""The publication declarations: every model field is public or staff-only, named correctly,
and the visibility rules on the QuerySets select exactly the public rows."""

import datetime

import pytest
from django.apps import apps
from django.utils import timezone

from core.publication import BOOKKEEPING, public_field_names, publication_of, release_stamp
from events.models import AgendaItem, Award, Event, EventOrganization, EventParticipant
from programs.models import Outcome
from tests import factories as f

DOMAIN_APPS = ("core", "companies", "programs", "events", "indicators", "results")


def domain_models():
    return [
        m
        for m in apps.get_models()
        if m._meta.app_label in DOMAIN_APPS and not m.__name__.startswith("Historical")
    ]


def own_field_names(model) -> set[str]:
    fields = [*model._meta.local_concrete_fields, *model._meta.local_many_to_many]
    return {
        f.name
        for f in fields
        if f.name not in BOOKKEEPING and not getattr(f.remote_field, "parent_link", False)
    }


@pytest.mark.parametrize("model", domain_models(), ids=lambda m: m._meta.label)
def test_every_field_is_declared_public_or_staff_only(model):
    declared = publication_of(model)
    own = own_field_names(model)
    named = set(declared.public) | set(declared.staff_only)
    inherited = {
        name for parent in model._meta.get_parent_list() for name in own_field_names(parent)
    }
    assert own - named == set(), f"{model._meta.label}: fields neither public nor staff-only"
    assert named - own - inherited == set(), f"{model._meta.label}: declared fields it lacks"


def test_staff_only_fields_are_the_contact_data_and_the_staff_notes():
    staff_only = {
        m._meta.label_lower: sorted(m.__dict__["publication"].staff_only) for m in domain_models()
    }
    assert {label: names for label, names in staff_only.items() if names} == {
        "core.person": ["email", "note", "phone"],
        "programs.budgetline": ["note"],
        "programs.cofinancingrule": ["note"],
        "programs.participation": ["note"],
        "programs.programorganization": ["note"],
        "results.reportingperiod": ["lock_reason"],
        "results.resultevidence": [
            "file",
            "original_name",
            "size_bytes",
            "uploaded_at",
            "uploaded_by",
        ],
        "results.resultnotice": ["key", "kind", "recipient", "sent_at"],
        "results.resulttransition": ["at", "from_status", "reason", "to_status", "update", "user"],
        "results.resultupdate": [
            "breakdown_dimension",
            "breakdown_incomplete",
            "comment",
            "created_by",
            "return_reason",
            "reviewed_at",
            "reviewed_by",
            "status",
            "submitted_at",
            "submitted_by",
        ],
    }


def test_public_field_names_follow_model_order_and_add_staff_fields_for_staff():
    from core.models import Person

    assert public_field_names(Person) == (
        "id",
        "created_at",
        "updated_at",
        "version",
        "name",
        "name_en",
        "position",
        "position_en",
        "organization",
    )
    assert public_field_names(Person, staff=True)[-3:] == ("phone", "email", "note")


def test_company_inherits_the_organization_declaration():
    from companies.models import Company

    names = public_field_names(Company)
    assert names[:4] == ("id", "created_at", "updated_at", "version")
    assert "name" in names and "business_number" in names and "organization_ptr" not in names


# --- visibility --------------------------------------------------------------------------------


def staff():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user("staff", is_staff=True)


NOW = datetime.datetime(2026, 7, 1, 3, 0, tzinfo=datetime.UTC)  # 12:00 KST
LATER = NOW + datetime.timedelta(days=1)


@pytest.mark.django_db
def test_an_embargoed_event_and_everything_of_it_is_public_only_after_the_embargo():
    event = f.EventFactory(embargo_until=LATER)
    side = f.EventFactory(parent=event, starts_at=event.starts_at, embargo_until=None)
    item = f.AgendaItemFactory(event=event)
    participant = f.EventParticipantFactory(event=event, is_public=True)
    role = f.EventOrganizationFactory(event=event)
    award = f.AwardFactory(event=event)
    open_event = f.EventFactory(embargo_until=None)

    for model, rows in (
        (Event, {event.pk, side.pk, open_event.pk}),
        (AgendaItem, {item.pk}),
        (EventParticipant, {participant.pk}),
        (EventOrganization, {role.pk}),
        (Award, {award.pk}),
    ):
        everything = set(model.objects.values_list("pk", flat=True))
        before = set(model.objects.published(NOW).values_list("pk", flat=True))
        after = set(model.objects.published(LATER).values_list("pk", flat=True))
        assert after & rows == rows, model
        assert before & rows == (rows & {open_event.pk}), model
        assert after <= everything

    assert release_stamp([Event], NOW) == ""
    assert release_stamp([Event], LATER) == LATER.isoformat()


@pytest.mark.django_db
def test_participants_not_public_and_press_contacts_are_never_published():
    hidden = f.EventParticipantFactory(is_public=False)
    contact = f.EventParticipantFactory(is_public=True, role=EventParticipant.Role.PRESS_CONTACT)
    speaker = f.EventParticipantFactory(is_public=True, role=EventParticipant.Role.SPEAKER)
    assert set(EventParticipant.objects.published().values_list("pk", flat=True)) == {speaker.pk}
    assert {hidden.pk, contact.pk} <= set(
        EventParticipant.objects.visible_to(staff()).values_list("pk", flat=True)
    )


@pytest.mark.django_db
def test_outcomes_are_public_with_consent_or_outside_any_participation():
    consented = f.OutcomeFactory(participation=f.ParticipationFactory(consent_to_publish=True))
    refused = f.OutcomeFactory(participation=f.ParticipationFactory(consent_to_publish=False))
    standalone = f.OutcomeFactory(participation=None, company=f.CompanyFactory())
    assert set(Outcome.objects.published().values_list("pk", flat=True)) == {
        consented.pk,
        standalone.pk,
    }
    assert refused.pk in Outcome.objects.visible_to(staff()).values_list("pk", flat=True)
    assert timezone.now()  # the rule does not depend on the time
