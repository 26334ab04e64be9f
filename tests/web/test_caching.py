"""Public pages send an ETag derived from their data and answer 304 while nothing changed."""

from django.urls import reverse

from events.models import Event
from programs.models import BudgetLine, Program

FLAGSHIP = "region-led-ai-transformation"


def test_unchanged_page_answers_304(client, demo):
    url = reverse("program-detail", args=[FLAGSHIP])
    client.get(url)  # the first visit sets the CSRF cookie the page's language switch uses
    etag = client.get(url).headers["ETag"]
    # when the browser revalidates its copy
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    # then nothing is sent again
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["ETag"] == etag


def test_cache_headers_keep_shared_caches_out_and_vary_by_language(client, demo):
    response = client.get(reverse("home"))
    cache_control = {part.strip() for part in response.headers["Cache-Control"].split(",")}
    assert cache_control == {"private", "no-cache"}
    vary = {part.strip() for part in response.headers["Vary"].split(",")}
    assert {"Cookie", "Accept-Language"} <= vary


def test_a_data_change_changes_the_etag(client, demo):
    url = reverse("program-detail", args=[FLAGSHIP])
    client.get(url)
    etag = client.get(url).headers["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    # when a budget line is corrected
    line = BudgetLine.objects.get(program__slug=FLAGSHIP, amount_krw=234 * 10**8)
    line.quoted_text = "국비 등 234억 원"
    line.save()
    # then the old copy is stale
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response.headers["ETag"] != etag


def test_a_deleted_row_changes_the_etag(client, demo):
    url = reverse("program-list")
    client.get(url)
    etag = client.get(url).headers["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    Program.objects.filter(slug="kvmcc-cohort-2").delete()
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_each_language_has_its_own_etag(client, demo):
    url = reverse("statistics")
    client.get(url)
    korean = client.get(url).headers["ETag"]
    english = client.get(f"/en{url}", HTTP_IF_NONE_MATCH=korean)
    assert english.status_code == 200
    assert client.get(f"/en{url}", HTTP_IF_NONE_MATCH=english.headers["ETag"]).status_code == 304
    assert english.status_code == 200
    assert english.headers["ETag"] != korean


def test_a_new_csrf_cookie_changes_the_etag(client, demo):
    # a copy whose form token no longer matches the cookie is not reused (pages with a form)
    url = reverse("home")
    client.cookies["csrftoken"] = "a" * 32
    etag = client.get(url).headers["ETag"]
    client.cookies["csrftoken"] = "b" * 32
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_removing_a_link_changes_the_etag(client, demo):
    # given a cached event page
    event = Event.objects.get(slug="2026-ai-plus-policy-council")
    url = reverse("event-detail", args=[event.slug])
    client.get(url)
    etag = client.get(url).headers["ETag"]
    # when one of its related programs is unlinked (a many-to-many row deleted)
    event.programs.remove(event.programs.order_by("id").first())
    # then the copy is stale
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200
