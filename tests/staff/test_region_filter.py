"""The changelists' region filter offers a regional editor only its own regions."""

import pytest
from django.urls import reverse

from core.models import Region

pytestmark = pytest.mark.django_db


def region_filter_choices(response) -> list[str] | None:
    """The region filter's choices, or None when the filter is not shown."""
    for spec in response.context["cl"].filter_specs:
        if str(spec.title) == "지역":
            return [label for _pk, label in spec.lookup_choices]
    return None


@pytest.mark.parametrize(
    "url_name, shown",
    [
        # region may be empty: the filter stays, with the own region and "(없음)"
        ("admin:companies_company_changelist", True),
        ("admin:events_event_changelist", True),
        # a single choice and no empty one: Django hides the filter
        ("admin:programs_regionalparticipation_changelist", False),
        ("admin:programs_program_changelist", False),
    ],
)
def test_regional_editor_sees_only_its_regions_in_the_filter(
    client, regional_editor, own_region, url_name, shown
):
    client.force_login(regional_editor)
    # when
    response = client.get(reverse(url_name))
    # then
    assert region_filter_choices(response) == ([str(own_region)] if shown else None)


def test_ministry_editor_sees_every_region_in_the_filter(client, ministry_editor):
    client.force_login(ministry_editor)
    response = client.get(reverse("admin:companies_company_changelist"))
    assert len(region_filter_choices(response)) == Region.objects.count() == 17


def test_ministry_editor_sees_every_region_in_the_participation_filter(client, ministry_editor):
    client.force_login(ministry_editor)
    response = client.get(reverse("admin:programs_regionalparticipation_changelist"))
    assert len(region_filter_choices(response)) == 17
