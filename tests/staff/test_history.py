"""Change history: every path — admin, API, bulk update/create, admin bulk action, delete —
records who, when and what; the admin shows a readable diff and can revert a record."""

import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from companies.models import Company
from core.models import Source
from events.models import Event
from programs.models import Participation, Target
from tests import factories as f
from tests.staff.conftest import change_form_data

pytestmark = pytest.mark.django_db


def change_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def history_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk])


def test_admin_change_of_a_company_is_recorded_with_who_and_what(
    client, ministry_editor, own_region
):
    # given
    company = f.CompanyFactory(name="한빛정밀", region=own_region)
    client.force_login(ministry_editor)
    data = change_form_data(client.get(change_url(company)))
    # when
    response = client.post(change_url(company), {**data, "name": "한빛정밀공업"})
    # then: a historical row of the Company (multi-table child) with the editor and the diff
    assert response.status_code == 302
    latest = Company.history.filter(id=company.pk).latest("history_date")
    assert latest.history_type == "~"
    assert latest.history_user == ministry_editor
    assert latest.name == "한빛정밀공업"
    delta = latest.diff_against(latest.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes if c.field == "name"] == [
        ("name", "한빛정밀", "한빛정밀공업")
    ]


def test_history_page_shows_the_readable_diff(client, ministry_editor, own_region):
    company = f.CompanyFactory(name="한빛정밀", region=own_region, ceo_name="김철수")
    client.force_login(ministry_editor)
    data = change_form_data(client.get(change_url(company)))
    client.post(
        change_url(company),
        {**data, "ceo_name": "이영희", "is_ai_supplier": "on", "size": "medium"},
    )
    # when
    response = client.get(history_url(company))
    # then: who, and "field: old → new" with the field's Korean name
    html = response.content.decode()
    assert response.status_code == 200
    assert "바뀐 내용" in html
    assert "<strong>대표자:</strong> 김철수 &rarr; 이영희" in html
    assert "ministry" in html
    assert "<strong>AI 공급기업:</strong> 아니오 &rarr; 예" in html
    assert "<strong>기업 규모:</strong> 소기업 &rarr; 중기업" in html
    # bookkeeping columns are not shown as changes
    assert "<strong>버전:</strong>" not in html
    assert "<strong>수정 시각:</strong>" not in html


def test_admin_revert_restores_an_earlier_version(client, ministry_editor, own_region):
    # given a company renamed once
    company = f.CompanyFactory(name="한빛정밀", region=own_region)
    client.force_login(ministry_editor)
    data = change_form_data(client.get(change_url(company)))
    client.post(change_url(company), {**data, "name": "새 이름"})
    first = Company.history.filter(id=company.pk).earliest("history_date")
    revert_url = reverse("admin:companies_company_simple_history", args=[company.pk, first.pk])
    # when the editor opens the first version and saves it, saying why
    revert_data = change_form_data(client.get(revert_url))
    response = client.post(revert_url, {**revert_data, "revert_reason": "이름 변경 취소"})
    # then the old name is back, as a new version with its own history row and its reason
    assert response.status_code == 302
    company.refresh_from_db()
    assert company.name == "한빛정밀"
    assert company.version == 3
    assert Company.history.filter(id=company.pk).count() == 3
    latest = Company.history.filter(id=company.pk).latest("history_date")
    assert latest.history_change_reason == "되돌리기(버전 1): 이름 변경 취소"


def test_api_write_is_recorded_with_the_api_user(ministry_editor, own_region):
    company = f.CompanyFactory(region=own_region)
    client = APIClient()
    client.force_authenticate(ministry_editor)
    # when
    response = client.patch(
        f"/api/v1/companies/{company.pk}/",
        {"ceo_name": "박대표"},
        "json",
        HTTP_IF_MATCH=f'"{company.version}"',
    )
    # then
    assert response.status_code == 200
    latest = Company.history.filter(id=company.pk).latest("history_date")
    assert (latest.history_user, latest.ceo_name) == (ministry_editor, "박대표")


def test_queryset_update_writes_one_history_row_per_object_and_bumps_versions(ministry_editor):
    # given
    participations = f.ParticipationFactory.create_batch(3, status=Participation.Status.SELECTED)
    ids = [p.pk for p in participations]
    # when
    count = Participation.objects.filter(pk__in=ids[:2]).update_with_history(
        status=Participation.Status.COMPLETED, history_user=ministry_editor, change_reason="일괄"
    )
    # then
    assert count == 2
    for pk in ids[:2]:
        latest = Participation.history.filter(id=pk).latest("history_date")
        assert (latest.history_type, latest.status, latest.version) == ("~", "completed", 2)
        assert (latest.history_user, latest.history_change_reason) == (ministry_editor, "일괄")
        assert Participation.objects.get(pk=pk).version == 2
    assert Participation.history.filter(id=ids[2]).count() == 1
    assert Participation.objects.get(pk=ids[2]).status == "selected"


def test_plain_update_also_writes_history(own_region):
    events = f.EventFactory.create_batch(2, region=own_region)
    # when
    Event.objects.filter(region=own_region).update(open_to_press=False)
    # then
    for event in events:
        assert Event.history.filter(id=event.pk).count() == 2
        assert Event.history.filter(id=event.pk).latest("history_date").open_to_press is False


def test_update_of_derived_fields_writes_history_without_a_new_version():
    target = f.TargetFactory()
    # when an actual is recorded, the target's achievement and status are recomputed by update()
    f.approved_result(target, datetime.date(2025, 6, 30), 50)
    # then the change is in the history, but editors' versions are not invalidated
    target.refresh_from_db()
    assert target.version == 1
    latest = Target.history.filter(id=target.pk).latest("history_date")
    assert (latest.history_type, str(latest.achievement_pct)) == ("~", "50.0")


def test_bulk_create_writes_creation_history():
    # when
    sources = Source.objects.bulk_create(
        [
            Source(key=f"bulk-{i}", kind="news", publisher="연합뉴스", title=f"기사 {i}")
            for i in range(3)
        ]
    )
    # then
    for source in sources:
        assert list(Source.history.filter(id=source.pk).values_list("history_type", flat=True)) == [
            "+"
        ]


def test_bulk_update_writes_change_history_and_bumps_versions():
    sources = [f.SourceFactory(), f.SourceFactory()]
    for source in sources:
        source.title = "고친 제목"
    # when
    Source.objects.bulk_update(sources, ["title"])
    # then
    for source in sources:
        latest = Source.history.filter(id=source.pk).latest("history_date")
        assert (latest.history_type, latest.title, latest.version) == ("~", "고친 제목", 2)
        assert Source.history.filter(id=source.pk).count() == 2
        assert Source.objects.get(pk=source.pk).version == 2


def test_admin_bulk_action_writes_history_with_the_editor(client, ministry_editor):
    participations = f.ParticipationFactory.create_batch(2)
    client.force_login(ministry_editor)
    # when
    response = client.post(
        reverse("admin:programs_participation_changelist"),
        {
            "action": "mark_completed",
            "_selected_action": [str(p.pk) for p in participations],
        },
    )
    # then
    assert response.status_code == 302
    for participation in participations:
        latest = Participation.history.filter(id=participation.pk).latest("history_date")
        assert (latest.status, latest.history_user) == ("completed", ministry_editor)
        assert latest.history_change_reason == "일괄 변경"


def test_admin_delete_is_recorded(client, ministry_editor):
    event = f.EventFactory()
    client.force_login(ministry_editor)
    # when
    response = client.post(reverse("admin:events_event_delete", args=[event.pk]), {"post": "yes"})
    # then
    assert response.status_code == 302
    latest = Event.history.filter(id=event.pk).latest("history_date")
    assert (latest.history_type, latest.history_user) == ("-", ministry_editor)


def test_update_of_companies_writes_company_history_and_bumps_the_parent_version():
    """Company is a multi-table child: its version and website live in the organization table."""
    companies = f.CompanyFactory.create_batch(2, ceo_name="김")
    # when
    Company.objects.filter(pk__in=[c.pk for c in companies]).update(
        ceo_name="이", website="https://a.kr"
    )
    # then
    for company in companies:
        stored = Company.objects.get(pk=company.pk)
        assert (stored.ceo_name, stored.website, stored.version) == ("이", "https://a.kr", 2)
        latest = Company.history.filter(id=company.pk).latest("history_date")
        assert (latest.history_type, latest.ceo_name, latest.website) == ("~", "이", "https://a.kr")


def test_bulk_paths_announce_each_history_row_like_a_save():
    """post_create_historical_record (the webhooks' hook) is sent for every bulk-written row."""
    from simple_history.signals import post_create_historical_record

    announced = []

    def receiver(sender, instance, history_instance, **kwargs):
        announced.append((type(instance).__name__, history_instance.history_type))

    post_create_historical_record.connect(receiver, dispatch_uid="test-bulk-announce")
    try:
        sources = Source.objects.bulk_create(
            [Source(key=f"s-{i}", kind="news", publisher="뉴스", title="t") for i in range(2)]
        )
        Source.objects.filter(pk__in=[s.pk for s in sources]).update(title="u")
        for source in sources:
            source.refresh_from_db()
            source.title = "v"
        Source.objects.bulk_update(sources, ["title"])
    finally:
        post_create_historical_record.disconnect(dispatch_uid="test-bulk-announce")
    # then
    assert announced == [("Source", "+")] * 2 + [("Source", "~")] * 4
