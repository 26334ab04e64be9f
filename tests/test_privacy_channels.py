"""The privacy test across every public channel.

Marker records that the public must not see are added to the demo data: an event under press
embargo (linked to a program and a region, with a side event, an agenda item, a public
participant and an award presented at it), a participation without publication consent whose
outcome an award cites, a staff-only marker in every staff-only field the models declare
(notes, a person's phone and e-mail). Then every anonymous channel is read — every API list and
detail in JSON and CSV (and program summaries), every public page reachable from the home page
in Korean and English, search results, every program's XLSX report in both languages, webhook
payloads, every file of the bulk open-data package and its catalogue record — and no marker
may appear. After the embargo time passes (the clock moved, no write),
the embargoed event appears in each of them.

Atom feeds, iCalendar feeds, the embeddable cards and the saved-search alert mails are read
too. A new public channel is added here in the same change.
"""

import datetime
import io
import re
import zipfile
from urllib.parse import urljoin, urlsplit

import orjson
import pytest
import time_machine
from django.apps import apps
from django.core import mail
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from alerts import services as alert_services
from alerts.models import SavedSearch
from core.models import Person, Region
from core.publication import publication_of
from events.models import Event
from opendata.package import build_zip
from programs.models import Program
from reports.xlsx import build_program_workbook
from tests import factories as f
from webhooks import services as webhook_services
from webhooks.models import Delivery, Subscription
from webhooks.serializers import PUBLIC_RECORDS

pytestmark = pytest.mark.django_db

EMBARGOED = "엠바고행사표식"  # the embargoed event's name (and its side event's, agenda's...)
NO_CONSENT = "동의없는성과표식"  # the outcome metric of a participation without consent
STAFF = "직원전용표식"  # prefix of every staff-only field's marker
PHONE = "010-9876-5432"
EMAIL = "marker@private.example"
SEARCHES = ("행사표", "성과표", "전용표", "AI", "간담회")
LINK = re.compile(r'href="([^"#]+)')
SKIP = ("/admin", "/api/", "/static/", "/i18n/", "/media/", "/healthz", "/favicon")
FACTORY_OF = {
    model: factory
    for factory in vars(f).values()
    if isinstance(factory, type) and getattr(getattr(factory, "_meta", None), "model", None)
    for model in [factory._meta.model]
}


@pytest.fixture
def markers(db, django_capture_on_commit_callbacks):
    call_command("load_demo", verbosity=0)
    Subscription.objects.create(
        name="모든 레코드",
        url="http://127.0.0.1:9/hook",
        secret="s",
        record_types=list(PUBLIC_RECORDS),
    )
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        program = Program.objects.get(slug="region-led-ai-transformation")
        gyeongnam = f.RegionFactory(code="48")
        embargo = now + datetime.timedelta(days=1)
        event = f.EventFactory(
            slug="embargoed-marker",
            name=f"{EMBARGOED} 간담회",
            name_en=f"{EMBARGOED} meeting",
            region=gyeongnam,
            starts_at=now + datetime.timedelta(days=3),
            embargo_until=embargo,
            summary=f"{EMBARGOED} 개요",
        )
        event.programs.add(program)
        f.EventFactory(
            slug="embargoed-side",
            name=f"{EMBARGOED} 부대행사",
            parent=event,
            starts_at=event.starts_at,
            region=gyeongnam,
        )
        f.AgendaItemFactory(event=event, title=f"{EMBARGOED} 발표")
        f.EventParticipantFactory(
            event=event,
            role="speaker",
            title_at_event=f"{EMBARGOED} 연사",
            is_public=True,
        )
        f.AwardFactory(
            event=event, program=program, name=f"{EMBARGOED} 시상", recipient_company=None
        )
        hidden = f.ParticipationFactory(program=program, consent_to_publish=False)
        outcome = f.OutcomeFactory(
            participation=hidden, company=hidden.company, metric=NO_CONSENT, metric_en=NO_CONSENT
        )
        citing = f.AwardFactory(program=program, name="동의 없는 성과를 인용한 상", event=None)
        citing.outcomes.add(outcome)
        staff_markers = set()
        for model in apps.get_models():
            if model not in FACTORY_OF:
                continue
            staff_only = publication_of(model).staff_only
            if not staff_only:
                continue
            values = {}
            for name in staff_only:
                field = model._meta.get_field(name)
                if field.choices or type(field) not in (
                    models.CharField,
                    models.TextField,
                    models.EmailField,
                ):
                    continue  # workflow states, accounts, dates, files: no free text to leak
                if name == "phone":
                    values[name] = PHONE
                elif name == "email":
                    values[name] = EMAIL
                else:
                    values[name] = f"{STAFF}-{model._meta.label_lower}-{name}"
                    staff_markers.add(values[name])
            if model._meta.label_lower == "programs.participation":
                values["consent_to_publish"] = True
            if model._meta.label_lower == "programs.target":
                values.update(program=program, regional_participation=None)
            FACTORY_OF[model](**values)
    assert staff_markers, "the models declare staff-only notes"
    contacts = [v for pair in Person.objects.values_list("phone", "email") for v in pair if v]
    assert PHONE in contacts and "044-204-7250" in contacts  # and the demo's press contacts
    return {"event": event, "embargo": embargo, "secrets": [STAFF, NO_CONSENT, *contacts]}


# --- the channels -----------------------------------------------------------------------------


def api_bodies(client) -> dict[str, str]:
    """Every anonymous GET reachable from the API root: lists (JSON, CSV), each row's detail,
    program summaries."""
    bodies = {"/api/v1/": client.get("/api/v1/").content.decode()}
    for list_url in client.get("/api/v1/").json().values():
        if list_url.endswith("/changes/"):  # the changes feed: entries, not records, all pages
            page = client.get(list_url, {"limit": 1000}).json()
            entries = page["results"]
            while page["more"]:
                page = client.get(page["next"]).json()
                entries += page["results"]
            bodies[list_url] = orjson.dumps({"results": entries, "more": False}).decode()
            continue
        response = client.get(list_url, {"page_size": 500})
        bodies[list_url] = response.content.decode()
        if response.status_code != 200:
            continue
        bodies[f"{list_url}?format=csv"] = client.get(list_url, {"format": "csv"}).content.decode()
        for row in response.json()["results"]:
            bodies[row["url"]] = client.get(row["url"]).content.decode()
            if "/programs/" in row["url"]:
                bodies[f"{row['url']}summary/"] = client.get(
                    f"{row['url']}summary/"
                ).content.decode()
    return bodies


def page_bodies(client, language: str) -> dict[str, str]:
    """Every public page reachable from the home page (in ``language``), and search results."""
    root = "/" if language == "ko" else f"/{language}/"  # the URL says the language
    seen, queue, bodies = set(), [root], {}
    # Parts of the markers (the page repeats the query itself): a leak shows the whole marker.
    queue += [f"{root}search/?q={q}" for q in SEARCHES]
    while queue:
        path = queue.pop(0)
        if path in seen or len(seen) >= 400:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        body = response.content.decode()
        bodies[f"{language}:{path}"] = body
        for href in LINK.findall(body):
            url = urlsplit(urljoin(path, href.replace("&amp;", "&")))
            if url.netloc or not url.path.startswith("/") or url.path.startswith(SKIP):
                continue
            if url.path.endswith(".xlsx"):
                continue  # read below, generated directly
            queue.append(url.path + (f"?{url.query}" if url.query else ""))
    return bodies


def report_bodies() -> dict[str, str]:
    bodies = {}
    for program in Program.objects.all():
        for language in ("ko", "en"):
            workbook = load_workbook(
                io.BytesIO(
                    build_program_workbook(program, generated_at=timezone.now(), language=language)
                )
            )
            bodies[f"report:{program.slug}:{language}"] = "\n".join(
                str(value)
                for sheet in workbook.worksheets
                for row in sheet.iter_rows(values_only=True)
                for value in row
                if value is not None
            )
    return bodies


def webhook_bodies() -> dict[str, str]:
    return {
        f"webhook:{d.change_key}": str(d.payload)
        for d in Delivery.objects.order_by("pk")
        if d.payload
    }


def opendata_bodies(client) -> dict[str, str]:
    """Every file of the bulk open-data package built now, and its DCAT-AP catalogue record."""
    bodies = {"bulk:catalog": client.get("/opendata/catalog.jsonld").content.decode()}
    with zipfile.ZipFile(io.BytesIO(build_zip(timezone.now()).content)) as archive:
        for name in archive.namelist():
            bodies[f"bulk:{name}"] = archive.read(name).decode("utf-8")
    return bodies


def feed_calendar_widget_bodies(client) -> dict[str, str]:
    """Atom feeds, iCalendar feeds (and each event's .ics), embeddable cards, alert digests."""
    urls = [
        "/feeds/programs.atom",
        "/feeds/events.atom",
        "/feeds/events.atom?region=48",
        "/feeds/events.atom?program=region-led-ai-transformation",
        "/feeds/programs.atom?region=48",
        "/calendars/events.ics",
        "/calendars/events.ics?region=48",
        "/calendars/events.ics?program=region-led-ai-transformation",
        "/calendars/applications.ics",
    ]
    urls += [f"/events/{slug}/event.ics" for slug in Event.objects.values_list("slug", flat=True)]
    urls += [f"/embed/programs/{slug}/" for slug in Program.objects.values_list("slug", flat=True)]
    urls += [f"/embed/regions/{code}/" for code in Region.objects.values_list("code", flat=True)]
    bodies = {}
    for url in urls:
        response = client.get(url)
        if response.status_code == 200:
            bodies[f"channel:{url}"] = response.content.decode()
    mail.outbox.clear()
    alert_services.digests_send(frequency="daily")
    for message in mail.outbox:
        bodies[f"mail:{message.subject}"] = f"{message.subject}\n{message.body}"
    return bodies


def every_channel(client) -> dict[str, str]:
    return {
        **api_bodies(client),
        **opendata_bodies(client),
        **page_bodies(client, "ko"),
        **page_bodies(client, "en"),
        **report_bodies(),
        **webhook_bodies(),
        **feed_calendar_widget_bodies(client),
    }


def leaks(bodies: dict[str, str], needles) -> list[tuple[str, str]]:
    return [
        (where, needle) for where, body in bodies.items() for needle in needles if needle in body
    ]


# --- the test ---------------------------------------------------------------------------------


def test_no_channel_shows_a_marker_and_the_embargoed_event_appears_everywhere_after_it(
    markers, django_capture_on_commit_callbacks
):
    client = Client()

    # a saved search (confirmed before the event was created) whose digest would announce it
    saved = SavedSearch.objects.create(
        email="alerts-reader@example.org",
        query="간담회",
        frequency="daily",
        confirmed_at=timezone.now(),
    )

    # when: before the embargo
    bodies = every_channel(client)

    # then: no marker anywhere, and the walk really covered every channel
    found_leaks = leaks(bodies, [EMBARGOED, *markers["secrets"]])
    assert found_leaks == [], found_leaks
    kinds = {where.split(":")[0] if ":" in where[:8] else "api" for where in bodies}
    assert {"api", "ko", "en", "report", "webhook", "channel", "bulk"} <= kinds
    assert len([where for where in bodies if where.startswith("bulk:csv/")]) == 18
    assert sum(1 for where in bodies if where.startswith("ko:")) >= 40
    assert any(where.endswith("?format=csv") for where in bodies)
    assert set(PUBLIC_RECORDS) - {"core.region"}  # webhooks carry every record type
    event_entry = ("events.event", str(markers["event"].pk))
    assert event_entry not in feed_entries(bodies)  # the changes feed: not before the embargo

    # when: the clock passes the embargo (no write in between)
    event = markers["event"]
    with time_machine.travel(markers["embargo"] + datetime.timedelta(minutes=5), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            webhook_services.webhook_releases_dispatch()
        after = every_channel(client)

    # then: the event is in every channel, and the secrets are still nowhere
    assert leaks(after, markers["secrets"]) == []
    found = {where for where, body in after.items() if EMBARGOED in body}
    assert "http://testserver/api/v1/events/" in found
    assert f"http://testserver/api/v1/events/{event.pk}/" in found
    assert "http://testserver/api/v1/events/?format=csv" in found
    assert "http://testserver/api/v1/awards/" in found
    for page in (
        "/",
        "/events/",
        f"/events/{event.slug}/",
        "/programs/region-led-ai-transformation/",
        "/regions/48/",
        "/search/?q=행사표",
    ):
        assert f"ko:{page}" in found, page
    assert "report:region-led-ai-transformation:ko" in found
    assert "report:region-led-ai-transformation:en" in found
    assert any(where.startswith("webhook:release:events.event:") for where in found)
    assert {
        "bulk:csv/events.csv",
        "bulk:json/events.json",
        "bulk:csv/events.agenda_items.csv",
        "bulk:csv/awards.csv",
    } <= found
    for channel in (
        "/feeds/events.atom",
        "/feeds/events.atom?region=48",
        "/feeds/events.atom?program=region-led-ai-transformation",
        "/calendars/events.ics",
        "/calendars/events.ics?region=48",
        f"/events/{event.slug}/event.ics",
    ):
        assert f"channel:{channel}" in found, channel
    assert any(where.startswith("mail:") for where in found)  # the alert digest
    assert saved.email not in "".join(after.values())  # the subscriber's address: staff-only
    assert feed_entries(after)[event_entry] == "created"


def feed_entries(bodies) -> dict[tuple[str, str], str]:
    """(type, id) → last action, from the changes feed's body."""
    import json

    body = json.loads(bodies["http://testserver/api/v1/changes/"])
    assert body["more"] is False
    return {(c["type"], c["id"]): c["action"] for c in body["results"]}
