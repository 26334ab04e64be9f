"""Korean at /, English at /en/ (the URL says the language), Korean content where no English text exists."""

import datetime
import io
import re
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tests.factories import ProgramFactory

FLAGSHIP = "region-led-ai-transformation"
CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def english(name: str, *args) -> str:
    """The English URL of a page (/en/...)."""
    with translation.override("en"):
        return reverse(name, args=args)


def test_korean_is_the_default_whatever_the_browser_asks(client, demo):
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert '<html lang="ko">' in html
    assert '<a href="/en/" hreflang="en" lang="en" rel="alternate">' in html  # the switch
    assert "1,278억 원" in html


def test_english_lives_under_en_and_korean_at_the_root(client, demo):
    url = reverse("program-detail", args=[FLAGSHIP])
    assert url == f"/programs/{FLAGSHIP}/"
    assert english("program-detail", FLAGSHIP) == f"/en/programs/{FLAGSHIP}/"
    response = client.get(f"/en{url}")
    text = text_of(response)
    assert response.headers["Content-Language"] == "en"
    assert '<html lang="en">' in response.content.decode()
    assert "Region-led AI transformation program" in text
    assert "KRW 35 billion" in text
    assert "KRW 23.4 billion" in text
    assert "National funds · 2nd supplementary budget · 2025" in text
    assert "National funds and others · Unspecified · 2025" in text
    assert "Gyeongnam" in text
    assert "Sources state the budget differently." in text
    assert "Headline figure" in text
    assert "Budget by funding source and vehicle" in text
    assert "350억 원" in text_of(client.get(url))


def test_the_switch_links_the_same_page_with_its_filters_in_the_other_language(client, demo):
    html = client.get(reverse("program-list"), {"status": "ongoing", "region": "48"}).content
    assert b'<a href="/en/programs/?status=ongoing&amp;region=48" hreflang="en" lang="en"' in html
    html = client.get("/en/programs/", {"status": "ongoing"}).content
    assert b'<a href="/programs/?status=ongoing" hreflang="ko" lang="ko"' in html


@pytest.mark.parametrize(
    ("url", "location"),
    [
        (f"/programs/{FLAGSHIP}/?lang=en", f"/en/programs/{FLAGSHIP}/"),
        ("/events/?kind=ceremony&lang=en", "/en/events/?kind=ceremony"),
        ("/en/statistics/?lang=ko", "/statistics/"),
        ("/?lang=en", "/en/"),
    ],
)
def test_lang_parameter_redirects_to_the_same_page_in_that_language(client, demo, url, location):
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"] == location


def test_an_unknown_lang_value_is_ignored(client, demo):
    response = client.get("/statistics/?lang=fr")
    assert response.status_code == 200
    assert '<html lang="ko">' in response.content.decode()


def test_the_language_cookie_does_not_change_a_public_url(client, demo):
    # given a visitor whose cookie (from the old switch) says English
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    # then the Korean URL stays Korean and the English one English
    assert '<html lang="ko">' in client.get("/statistics/").content.decode()
    assert '<html lang="en">' in client.get("/en/statistics/").content.decode()


def test_set_language_sends_the_visitor_to_the_page_in_that_language(client, demo):
    url = f"/programs/{FLAGSHIP}/"
    response = client.post(reverse("set_language"), {"language": "en", "next": url})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/en{url}"
    response = client.post(reverse("set_language"), {"language": "ko", "next": f"/en{url}"})
    assert response.headers["Location"] == url


def test_hreflang_canonical_and_open_graph(client, demo):
    html = client.get(f"/en/programs/{FLAGSHIP}/").content.decode()
    base = "http://testserver"
    assert f'<link rel="canonical" href="{base}/en/programs/{FLAGSHIP}/">' in html
    assert f'<link rel="alternate" hreflang="ko" href="{base}/programs/{FLAGSHIP}/">' in html
    assert f'<link rel="alternate" hreflang="en" href="{base}/en/programs/{FLAGSHIP}/">' in html
    assert f'<link rel="alternate" hreflang="x-default" href="{base}/programs/{FLAGSHIP}/">' in html
    assert '<meta property="og:title" content="Region-led AI transformation program">' in html
    assert '<meta property="og:locale" content="en_US">' in html
    assert '<meta property="og:locale:alternate" content="ko_KR">' in html
    assert f'<meta property="og:url" content="{base}/en/programs/{FLAGSHIP}/">' in html
    korean = client.get(f"/programs/{FLAGSHIP}/?lang=").content.decode()
    assert f'<link rel="canonical" href="{base}/programs/{FLAGSHIP}/">' in korean
    assert '<meta property="og:title" content="지역 주도형 AI 대전환사업">' in korean
    assert '<meta property="og:locale" content="ko_KR">' in korean


def test_a_sitemap_per_language_with_alternates(client, demo):
    index = client.get("/sitemap.xml").content.decode()
    assert "<loc>http://testserver/sitemap-ko.xml</loc>" in index
    assert "<loc>http://testserver/sitemap-en.xml</loc>" in index
    english_map = client.get("/sitemap-en.xml").content.decode()
    korean_map = client.get("/sitemap-ko.xml").content.decode()
    entry = f"<loc>http://testserver/en/programs/{FLAGSHIP}/</loc>"
    assert entry in english_map
    assert entry not in korean_map
    assert f"<loc>http://testserver/programs/{FLAGSHIP}/</loc>" in korean_map
    assert (
        f'<xhtml:link rel="alternate" hreflang="ko" href="http://testserver/programs/{FLAGSHIP}/"/>'
        in english_map
    )
    assert english_map.count("<url>") == korean_map.count("<url>")


def test_the_sitemap_leaves_out_embargoed_events(client, demo):
    from events.models import Event

    hidden = Event.objects.order_by("id").first()
    Event.objects.filter(pk=hidden.pk).update(
        embargo_until=datetime.datetime(2999, 1, 1, tzinfo=datetime.UTC)
    )
    assert f"/events/{hidden.slug}/" not in client.get("/sitemap-ko.xml").content.decode()


def test_english_pages_fall_back_to_korean_content(client, demo):
    # given a program without English texts
    program = ProgramFactory(name="영문 없는 사업", name_en="", summary="한국어 요약만 있음")
    # when
    text = text_of(client.get(english("program-detail", program.slug)))
    # then the Korean texts stand in, around English labels
    assert "영문 없는 사업" in text
    assert "한국어 요약만 있음" in text
    assert "Support program" in text
    assert "In progress" in text


def test_dates_follow_each_language(client, demo):
    url = reverse("event-detail", args=["2026-ai-plus-policy-council"])
    assert "2026년 7월 1일 (수) 14:00–16:00" in text_of(client.get(url))
    text = text_of(client.get(f"/en{url}"))
    assert "Wed, July 1, 2026 14:00–16:00" in text
    assert "Talk" in text  # agenda kind 발표, translated in its own context
    assert "Opening" in text


def test_ambiguous_korean_labels_translate_by_context(client, demo):
    text = text_of(client.get(english("program-list"), {"kind": "plan"}))
    assert "Plan" in text  # Program.Kind 계획
    assert "Announced" in text  # Program.Status 발표
    text = text_of(client.get(english("event-detail", "2025-regional-ai-vision-ceremony")))
    assert "Presenters" in text  # EventParticipant.Role 발표


def test_compiled_catalogue_matches_the_po_file():
    # the committed .mo is what `make run` / `make test` compile from the .po (Babel)
    with open(CATALOGUE / "django.po", "rb") as po:
        catalogue = read_po(po, locale="en")
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    assert (CATALOGUE / "django.mo").read_bytes() == compiled.getvalue()


def template_msgids() -> set[tuple[str | None, str]]:
    """(context, msgid) of every {% translate %} and simple {% blocktranslate %} in the public
    templates (variables written the way makemessages writes them: %(name)s)."""
    ids = set()
    root = Path(settings.BASE_DIR) / "templates"
    for path in root.rglob("*.html"):
        if "admin" in path.relative_to(root).parts:  # not the checkout's own path
            continue
        source = path.read_text(encoding="utf-8")
        for msgid, context in re.findall(r'{% translate "([^"]+)"(?: context "([^"]+)")?', source):
            ids.add((context or None, msgid))
        for body in re.findall(
            r"{% blocktranslate[^%]*%}(.*?){% (?:plural|endblocktranslate)", source, re.S
        ):
            ids.add((None, re.sub(r"{{ (\w+) }}", r"%(\1)s", body)))
    return ids


def test_every_public_template_string_has_an_english_translation():
    with open(CATALOGUE / "django.po", "rb") as po:
        catalogue = read_po(po, locale="en")
    missing = []
    for context, msgid in sorted(template_msgids(), key=str):
        message = catalogue.get(msgid, context=context)
        if message is None:
            plural = next(
                (m for m in catalogue if isinstance(m.id, tuple) and m.id[0] == msgid), None
            )
            message = plural
        translated = message and (
            message.string if isinstance(message.string, str) else all(message.string)
        )
        if not translated:
            missing.append((context, msgid))
    assert missing == []
    assert len(template_msgids()) > 150


def catalogue_keys(text: str) -> list[tuple[str | None, str]]:
    """(msgctxt, msgid) of every entry of a .po text, in order, duplicates kept (Babel's reader
    keeps only the last of two entries with one key, so it cannot see them)."""
    keys = []
    for entry in re.split(r"\n\s*\n", text):
        fields = {}
        for name, strings in re.findall(r'^(msgctxt|msgid) ((?:".*"\n?)+)', entry, re.M):
            fields[name] = "".join(re.findall(r'"(.*)"', strings))
        if fields.get("msgid"):
            keys.append((fields.get("msgctxt"), fields["msgid"]))
    return keys


def test_catalogue_keys_see_a_duplicate_and_a_context():
    text = 'msgid "승인"\nmsgstr "approved"\n\nmsgctxt "x"\nmsgid "승인"\nmsgstr "Accept"\n\n'
    assert catalogue_keys(text) == [(None, "승인"), ("x", "승인")]
    assert catalogue_keys(text + 'msgid ""\n"승인"\nmsgstr "b"\n') == [
        (None, "승인"),
        ("x", "승인"),
        (None, "승인"),
    ]


def test_the_english_catalogue_holds_each_message_once():
    keys = catalogue_keys((CATALOGUE / "django.po").read_text(encoding="utf-8"))
    duplicates = sorted({key for key in keys if keys.count(key) > 1}, key=str)
    assert duplicates == []
    assert len(keys) > 1000
