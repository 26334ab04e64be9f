"""Every public page runs the same number of queries with 2 and with 20 rows of everything."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.models import AgendaItem, Award


def page_urls(world):
    return {
        "home": reverse("home"),
        "program-list": reverse("program-list"),
        "program-list-filtered": reverse("program-list")
        + "?status=in_progress&region=48&year=2025",
        "program-detail": reverse("program-detail", args=[world.program.slug]),
        "region-detail": reverse("region-detail", args=[world.region.code]),
        "company-detail": reverse("company-detail", args=[world.company.pk]),
        "event-list": reverse("event-list"),
        "event-list-filtered": reverse("event-list") + "?kind=conference&region=48&month=2025-06",
        "event-detail": reverse("event-detail", args=[world.event.slug]),
        "statistics": reverse("statistics"),
        "search": reverse("search") + "?q=세계",
        "program-list-by-budget": reverse("program-list") + "?sort=budget",
        "program-list-by-deadline": reverse("program-list") + "?sort=deadline&region=48",
        "region-list": reverse("region-list"),
        "company-list": reverse("company-list"),
        "company-list-filtered": reverse("company-list")
        + f"?region=48&size=small&role=supplier&program={world.program.slug}&awarded=on",
    }


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_query_count_is_the_same_for_2_and_20_rows(client, world):
    # given 2 rows of everything
    urls = page_urls(world.grow(2))
    small = {page: count_queries(client, url) for page, url in urls.items()}
    # when the data grows to 20 rows of everything
    world.grow(18)
    assert world.program.budget_lines.count() == 20
    assert world.program.regional_participations.count() == 17  # one per region at most
    assert world.program.participations.count() == 20
    assert world.event.agenda_items.count() == 20
    assert world.event.side_events.count() == 20
    assert AgendaItem.objects.filter(event__parent=world.event).count() == 20
    assert Award.objects.filter(event__parent=world.event).count() == 20
    assert world.company.awards.count() == 20
    large = {page: count_queries(client, url) for page, url in urls.items()}
    # then every page runs exactly as many queries as before
    assert large == small
    assert len(small) == 16
