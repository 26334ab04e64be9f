"""Saving an admin change form without changing anything writes nothing."""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.messages import get_messages
from django.urls import reverse

from programs.models import RegionalParticipation, Target
from tests import factories as f
from tests.staff.conftest import change_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def participation(own_region):
    rp = f.RegionalParticipationFactory(region=own_region, strategy_title="경남 제조 AI")
    f.TargetFactory(program=None, regional_participation=rp, metric="AI 도입 기업 수")
    return rp


def change_url(obj):
    return reverse("admin:programs_regionalparticipation_change", args=[obj.pk])


def test_unchanged_save_keeps_the_version_and_writes_no_history(
    client, regional_editor, participation
):
    client.force_login(regional_editor)
    data = change_form_data(client.get(change_url(participation)))
    history = RegionalParticipation.history.filter(id=participation.pk).count()
    target = Target.objects.get()
    # when
    response = client.post(change_url(participation), data)
    # then: the usual redirect and success message, and nothing written
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:programs_regionalparticipation_changelist")
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["success"]
    participation.refresh_from_db()
    assert participation.version == 1
    assert RegionalParticipation.history.filter(id=participation.pk).count() == history
    assert Target.objects.get().version == target.version
    assert LogEntry.objects.count() == 0


def test_a_colleague_with_the_form_open_can_still_save_after_an_unchanged_save(
    client, regional_editor, participation
):
    client.force_login(regional_editor)
    colleague = change_form_data(client.get(change_url(participation)))
    client.post(change_url(participation), change_form_data(client.get(change_url(participation))))
    # when
    response = client.post(change_url(participation), {**colleague, "strategy_title": "새 전략"})
    # then
    assert response.status_code == 302
    participation.refresh_from_db()
    assert (participation.strategy_title, participation.version) == ("새 전략", 2)


def test_a_change_in_an_inline_only_still_saves(client, regional_editor, participation):
    client.force_login(regional_editor)
    data = change_form_data(client.get(change_url(participation)))
    history = RegionalParticipation.history.filter(id=participation.pk).count()
    # when
    response = client.post(change_url(participation), {**data, "targets-0-unit": "곳"})
    # then
    assert response.status_code == 302
    assert Target.objects.get().unit == "곳"
    participation.refresh_from_db()
    assert participation.version == 2
    assert RegionalParticipation.history.filter(id=participation.pk).count() == history + 1
