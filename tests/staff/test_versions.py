"""No lost update: a save based on a stale version is refused — by the model, in the admin with
a Korean message listing what changed meanwhile, in the API with 412 — and nothing is
overwritten. The concurrent test runs 20 writers × 50 read-modify-write cycles on PostgreSQL."""

import threading

import pytest
from django import forms
from django.db import connection, connections, transaction
from django.urls import reverse
from rest_framework.test import APIClient

from companies.models import Company
from core.admin_base import TrackedAdminForm
from core.models import StaleVersionError
from events.models import Event
from programs.models import Outcome, Participation
from tests import factories as f
from tests.services import require_service
from tests.staff.conftest import change_form_data


def change_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


# --- model ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_save_of_a_stale_copy_is_refused_and_overwrites_nothing():
    event = f.EventFactory(venue_name="코엑스")
    first, second = Event.objects.get(pk=event.pk), Event.objects.get(pk=event.pk)
    first.venue_name = "킨텍스"
    first.save()
    second.venue_name = "벡스코"
    # when (like an IntegrityError, the refusal aborts the enclosing atomic block)
    with pytest.raises(StaleVersionError), transaction.atomic():
        second.save()
    # then
    stored = Event.objects.get(pk=event.pk)
    assert (stored.venue_name, stored.version) == ("킨텍스", 2)
    assert second.version == 1  # the refused copy keeps the version it was based on


@pytest.mark.django_db
def test_stale_save_of_a_company_is_refused_too():
    """Company is a multi-table child: the version lives in the parent's table."""
    company = f.CompanyFactory(ceo_name="김")
    first, second = Company.objects.get(pk=company.pk), Company.objects.get(pk=company.pk)
    first.ceo_name = "이"
    first.save()
    second.ceo_name = "박"
    with pytest.raises(StaleVersionError), transaction.atomic():
        second.save()
    stored = Company.objects.get(pk=company.pk)
    assert (stored.ceo_name, stored.version) == ("이", 2)


@pytest.mark.django_db
def test_save_with_update_fields_bumps_the_version():
    event = f.EventFactory()
    event.venue_name = "킨텍스"
    event.save(update_fields=["venue_name"])
    assert Event.objects.get(pk=event.pk).version == 2


# --- admin ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_refuses_a_stale_form_and_says_what_changed(
    client, ministry_editor, administrator, own_region
):
    # given two editors who opened the same company
    company = f.CompanyFactory(name="한빛정밀", region=own_region, ceo_name="김철수")
    client.force_login(ministry_editor)
    mine = change_form_data(client.get(change_url(company)))
    client.force_login(administrator)
    theirs = change_form_data(client.get(change_url(company)))
    assert client.post(change_url(company), {**theirs, "ceo_name": "이영희"}).status_code == 302
    # when the first editor saves the copy it opened earlier
    client.force_login(ministry_editor)
    response = client.post(change_url(company), {**mine, "industry": "자동차 부품"})
    # then the form is shown again with a Korean explanation, and nothing is overwritten
    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.non_field_errors())
    assert "다른 사용자가 이 기업 기록을 먼저 저장했습니다" in errors
    assert "administrator" in errors
    assert "대표자: 김철수 → 이영희" in errors
    stored = Company.objects.get(pk=company.pk)
    assert (stored.ceo_name, stored.industry, stored.version) == ("이영희", "", 2)


@pytest.mark.django_db
def test_admin_refuses_a_form_without_its_version(client, ministry_editor):
    event = f.EventFactory(venue_name="코엑스")
    client.force_login(ministry_editor)
    data = change_form_data(client.get(change_url(event)))
    del data["base_version"]
    # when
    response = client.post(change_url(event), {**data, "venue_name": "킨텍스"})
    # then
    assert response.status_code == 200
    assert Event.objects.get(pk=event.pk).venue_name == "코엑스"


@pytest.mark.django_db
def test_admin_save_racing_another_writer_is_refused_atomically(
    client, ministry_editor, monkeypatch
):
    """The form check and the UPDATE are two steps; if a colleague commits between them, the
    UPDATE ... WHERE version = n matches no row and the save is refused all the same."""
    event = f.EventFactory(venue_name="코엑스")
    client.force_login(ministry_editor)
    data = change_form_data(client.get(change_url(event)))
    # given a colleague's save, and a form check that ran just before it (so it passed)
    Event.objects.filter(pk=event.pk).update(venue_name="벡스코")

    def check_that_raced(self):
        cleaned = forms.ModelForm.clean(self)
        self.instance.version = cleaned["base_version"]
        return cleaned

    monkeypatch.setattr(TrackedAdminForm, "clean", check_that_raced)
    # when
    response = client.post(change_url(event), {**data, "venue_name": "킨텍스"}, follow=True)
    # then our save is refused with the explanation; the colleague's value stays
    assert response.status_code == 200
    text = " ".join(str(m) for m in response.context["messages"])
    assert "장소: 코엑스 → 벡스코" in text
    stored = Event.objects.get(pk=event.pk)
    assert (stored.venue_name, stored.version) == ("벡스코", 2)


@pytest.mark.django_db
def test_admin_refuses_a_stale_inline_row(client, ministry_editor):
    # given a participation page opened with its outcome row
    outcome = f.OutcomeFactory(metric="불량률", unit="%")
    participation = outcome.participation
    client.force_login(ministry_editor)
    data = change_form_data(client.get(change_url(participation)))
    assert data["outcomes-0-base_version"] == "1"
    # and a colleague who then changes the outcome
    Outcome.objects.filter(pk=outcome.pk).update(unit="퍼센트")
    # when the page is saved with an edited outcome
    response = client.post(change_url(participation), {**data, "outcomes-0-metric": "불량률(공정)"})
    # then the row is refused with what changed, and nothing is saved
    assert response.status_code == 200
    assert "단위: % → 퍼센트" in str(response.context["errors"])
    stored = Outcome.objects.get(pk=outcome.pk)
    assert (stored.metric, stored.unit, stored.version) == ("불량률", "퍼센트", 2)
    assert Participation.objects.get(pk=participation.pk).version == 1


# --- API ------------------------------------------------------------------------------------


@pytest.fixture
def editor_api(ministry_editor):
    client = APIClient()
    client.force_authenticate(ministry_editor)
    return client


@pytest.mark.django_db
def test_api_refuses_a_stale_if_match_with_412(editor_api):
    event = f.EventFactory(venue_name="코엑스")
    Event.objects.filter(pk=event.pk).update(venue_name="벡스코")  # someone else: version 2
    # when
    response = editor_api.patch(
        f"/api/v1/events/{event.pk}/", {"venue_name": "킨텍스"}, "json", HTTP_IF_MATCH='"1"'
    )
    # then
    assert response.status_code == 412
    body = response.json()
    assert (body["code"], body["base_version"], body["current_version"]) == (
        "stale_version",
        1,
        2,
    )
    assert {"field": "장소", "old": "코엑스", "new": "벡스코"} in body["changes"]
    assert Event.objects.get(pk=event.pk).venue_name == "벡스코"


@pytest.mark.django_db
def test_api_accepts_the_current_version_in_if_match_or_the_body(editor_api):
    event = f.EventFactory(venue_name="코엑스")
    # when
    by_header = editor_api.patch(
        f"/api/v1/events/{event.pk}/", {"venue_name": "킨텍스"}, "json", HTTP_IF_MATCH="1"
    )
    by_body = editor_api.patch(
        f"/api/v1/events/{event.pk}/", {"venue_name": "벡스코", "version": 2}, "json"
    )
    stale_body = editor_api.patch(
        f"/api/v1/events/{event.pk}/", {"venue_name": "코엑스", "version": 2}, "json"
    )
    # then
    assert (by_header.status_code, by_body.status_code, stale_body.status_code) == (200, 200, 412)
    stored = Event.objects.get(pk=event.pk)
    assert (stored.venue_name, stored.version) == ("벡스코", 3)


@pytest.mark.django_db
def test_api_if_match_accepts_the_etag_of_the_detail_until_the_record_changes(editor_api):
    company = f.CompanyFactory(ceo_name="김")
    etag = editor_api.get(f"/api/v1/companies/{company.pk}/")["ETag"]
    # when
    first = editor_api.patch(
        f"/api/v1/companies/{company.pk}/", {"ceo_name": "이"}, "json", HTTP_IF_MATCH=etag
    )
    again = editor_api.patch(
        f"/api/v1/companies/{company.pk}/", {"ceo_name": "박"}, "json", HTTP_IF_MATCH=etag
    )
    # then the second write, based on what the ETag described, is refused
    assert (first.status_code, again.status_code) == (200, 412)
    assert Company.objects.get(pk=company.pk).ceo_name == "이"


@pytest.mark.django_db
def test_api_delete_with_a_stale_version_is_refused(editor_api):
    event = f.EventFactory()
    Event.objects.filter(pk=event.pk).update(venue_name="벡스코")
    response = editor_api.delete(f"/api/v1/events/{event.pk}/", HTTP_IF_MATCH='"1"')
    assert response.status_code == 412
    assert Event.objects.filter(pk=event.pk).exists()


# --- concurrency (PostgreSQL) ---------------------------------------------------------------

WRITERS = 20
CYCLES = 50


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_writers_lose_no_update():
    require_service(
        "PostgreSQL",
        connection.vendor == "postgresql",
        "concurrent writers need a real database server (set DATABASE_URL)",
    )
    # given a counter: the approximate attendee count of one event
    event = f.EventFactory(attendee_count_approx=0)
    conflicts = []
    errors = []

    def writer():
        refused = 0
        try:
            for _ in range(CYCLES):
                while True:  # read, modify, write; on a conflict read again
                    current = Event.objects.get(pk=event.pk)
                    current.attendee_count_approx += 1
                    try:
                        current.save(update_fields=["attendee_count_approx"])
                        break
                    except StaleVersionError:
                        refused += 1
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            conflicts.append(refused)
            connections.close_all()

    threads = [threading.Thread(target=writer) for _ in range(WRITERS)]
    # when
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then every increment is there: 20 × 50, one version per successful save
    assert errors == []
    stored = Event.objects.get(pk=event.pk)
    assert stored.attendee_count_approx == WRITERS * CYCLES
    assert stored.version == 1 + WRITERS * CYCLES
    print(f"refused stale saves (retried): {sum(conflicts)}")


# --- preconditions: If-Match as an RFC 9110 list, 428 without one, a bounded 412 -------------


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["patch", "put", "delete"])
def test_api_write_without_if_match_or_version_is_428_and_changes_nothing(editor_api, method):
    event = f.EventFactory(venue_name="코엑스")
    before = Event.objects.filter(pk=event.pk).values().get()
    body = {"slug": event.slug, "name": event.name, "kind": event.kind, "venue_name": "킨텍스"}
    # when
    response = getattr(editor_api, method)(f"/api/v1/events/{event.pk}/", body, "json")
    # then
    assert response.status_code == 428
    assert response.json()["code"] == "precondition_required"
    assert response.json()["current_version"] == 1
    assert 'If-Match: "1"' in response.json()["detail"]
    assert Event.objects.filter(pk=event.pk).values().get() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("header", "status"),
    [
        ('"1"', 200),
        ("1", 200),
        ('"9", "1"', 200),  # any listed tag that is current
        ("*", 200),
        ('"stale,1"', 412),  # one opaque tag with a comma inside, not "stale" and "1"
        ('"x, y", "2"', 412),
        ('W/"1"', 412),  # If-Match uses the strong comparison: a weak tag never matches
        ('"1', 400),  # unclosed quote
        ("abc", 400),  # a bare word is neither a version nor an entity-tag
        ('"1" "2"', 400),  # no comma between tags
    ],
)
def test_api_if_match_is_parsed_as_an_rfc_9110_list(editor_api, header, status):
    event = f.EventFactory(venue_name="코엑스")
    # when
    response = editor_api.patch(
        f"/api/v1/events/{event.pk}/", {"venue_name": "킨텍스"}, "json", HTTP_IF_MATCH=header
    )
    # then
    assert response.status_code == status, response.content
    stored = Event.objects.get(pk=event.pk)
    assert stored.venue_name == ("킨텍스" if status == 200 else "코엑스")
    if status == 400:
        assert list(response.json()["errors"]) == ["If-Match"]


def test_parse_if_match_keeps_commas_inside_quoted_tags():
    from core.api.writing import EntityTag, parse_if_match

    assert parse_if_match('"a,b" , W/"c", 7') == [
        EntityTag("a,b"),
        EntityTag("c", weak=True),
        EntityTag("7", quoted=False),
    ]
    assert parse_if_match(" * ") is None


@pytest.mark.django_db
def test_api_412_after_a_thousand_saves_is_bounded(editor_api, ministry_editor):
    import json

    from core.history import MAX_CHANGES, MAX_EDITORS

    event = f.EventFactory(venue_name="코엑스", summary="")
    for n in range(1000):  # a thousand saves by someone else
        event.attendee_count_approx = n
        event.summary = "긴 설명 " * 100 if n == 999 else ""
        event._history_user = ministry_editor
        event.save()
    # when a write based on version 1 comes in
    response = editor_api.patch(
        f"/api/v1/events/{event.pk}/", {"venue_name": "킨텍스"}, "json", HTTP_IF_MATCH='"1"'
    )
    # then: the current version, how many saves, the latest editors only, values cut short
    assert response.status_code == 412
    body = response.json()
    assert (body["base_version"], body["current_version"], body["saves_since"]) == (1, 1001, 1000)
    assert len(body["changed_by"]) == MAX_EDITORS
    assert body["changed_by_truncated"] is True
    assert len(body["changes"]) <= MAX_CHANGES
    summary = next(c for c in body["changes"] if c["field"] == "개요")
    assert len(summary["new"]) == 200 and summary["new"].endswith("…")
    assert len(json.dumps(body, ensure_ascii=False).encode()) < 8 * 1024
    assert "외 990번" in body["detail"]
