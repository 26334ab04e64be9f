"""Staff see embargoed events in the admin with a clear 엠바고 badge and the release time."""

import datetime

import pytest
from django.urls import reverse
from django.utils import formats, timezone

from tests import factories as f

pytestmark = pytest.mark.django_db


def test_changelist_and_change_form_show_the_embargo_with_its_release_time(admin_client):
    release = (timezone.now() + datetime.timedelta(days=1)).replace(second=0, microsecond=0)
    embargoed = f.EventFactory(name="엠바고 중인 간담회", embargo_until=release)
    side = f.EventFactory(
        name="그 부대행사", parent=embargoed, starts_at=embargoed.starts_at, embargo_until=None
    )
    f.EventFactory(name="공개된 행사")
    local = timezone.localtime(release)

    # when
    changelist = admin_client.get(reverse("admin:events_event_changelist")).content.decode()
    form = admin_client.get(reverse("admin:events_event_change", args=[side.pk])).content.decode()

    # then
    assert changelist.count('class="badge badge-embargo"') == 2  # the event and its side event
    assert changelist.count('class="badge badge-public"') == 1
    assert formats.localize(local) in changelist
    assert 'class="badge badge-embargo"' in form  # the side event waits for its main event
