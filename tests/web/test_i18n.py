"""Korean by default, English through the switch, Korean content where no English text exists."""

import io
import re
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.urls import reverse

from tests.factories import ProgramFactory

FLAGSHIP = "region-led-ai-transformation"
CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def switch_to(client, language: str, next_url: str = "/"):
    return client.post(reverse("set_language"), {"language": language, "next": next_url})


def test_korean_is_the_default_whatever_the_browser_asks(client, demo):
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert '<html lang="ko">' in html
    assert 'value="en" lang="en"' in html  # the visible switch offers English
    assert "1,278억 원" in html


def test_switch_to_english_and_back(client, demo):
    url = reverse("program-detail", args=[FLAGSHIP])
    # when the visitor presses "English"
    response = switch_to(client, "en", url)
    # then they are sent back to the same page, now in English
    assert response.status_code == 302
    assert response.headers["Location"] == url
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    response = client.get(url)
    text = text_of(response)
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
    # and back to Korean
    switch_to(client, "ko", url)
    assert "350억 원" in text_of(client.get(url))


def test_english_pages_fall_back_to_korean_content(client, demo):
    # given a program without English texts
    program = ProgramFactory(name="영문 없는 사업", name_en="", summary="한국어 요약만 있음")
    switch_to(client, "en")
    # when
    text = text_of(client.get(reverse("program-detail", args=[program.slug])))
    # then the Korean texts stand in, around English labels
    assert "영문 없는 사업" in text
    assert "한국어 요약만 있음" in text
    assert "Support program" in text
    assert "In progress" in text


def test_dates_follow_each_language(client, demo):
    url = reverse("event-detail", args=["2026-ai-plus-policy-council"])
    assert "2026년 7월 1일 (수) 14:00–16:00" in text_of(client.get(url))
    switch_to(client, "en")
    text = text_of(client.get(url))
    assert "Wed, July 1, 2026 14:00–16:00" in text
    assert "Talk" in text  # agenda kind 발표, translated in its own context
    assert "Opening" in text


def test_ambiguous_korean_labels_translate_by_context(client, demo):
    switch_to(client, "en")
    text = text_of(client.get(reverse("program-list"), {"kind": "plan"}))
    assert "Plan" in text  # Program.Kind 계획
    assert "Announced" in text  # Program.Status 발표
    text = text_of(client.get(reverse("event-detail", args=["2025-regional-ai-vision-ceremony"])))
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
