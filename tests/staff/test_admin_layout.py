"""The change pages' inlines fit a 1280 px window: the targets inline keeps few columns (the
rest is on the target's own page) and every tracked admin page loads the inline styles.
Checked by eye in headless Chromium at 1280 px (see the report); here the parts that make it so.
"""

import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db


def test_targets_inline_keeps_the_short_columns_and_links_to_the_target(
    client, superuser, own_region
):
    rp = f.RegionalParticipationFactory(region=own_region)
    target = f.TargetFactory(program=None, regional_participation=rp)
    client.force_login(superuser)
    # when
    response = client.get(reverse("admin:programs_regionalparticipation_change", args=[rp.pk]))
    # then
    (inline,) = response.context["inline_admin_formsets"]
    assert list(inline.formset.form.base_fields) == [
        "metric",
        "unit",
        "direction",
        "comparator",
        "target_value",
        "period_end",
        "base_version",
    ]
    html = response.content.decode()
    assert reverse("admin:programs_target_change", args=[target.pk]) in html
    assert "core/admin-inlines.css" in html


@pytest.mark.parametrize(
    "url_name, factory",
    [
        ("admin:programs_program_change", f.ProgramFactory),
        ("admin:events_event_change", f.EventFactory),
        ("admin:companies_company_change", f.CompanyFactory),
    ],
)
def test_change_pages_load_the_inline_styles(client, superuser, url_name, factory):
    obj = factory()
    client.force_login(superuser)
    response = client.get(reverse(url_name, args=[obj.pk]))
    assert response.status_code == 200
    assert "core/admin-inlines.css" in response.content.decode()
