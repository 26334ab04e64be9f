"""Template filters of the public pages: money, language fallback, numbers, source dates."""

import re
import zoneinfo
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from django import template
from django.contrib.staticfiles import finders
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import linebreaks_filter
from django.templatetags.static import static
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from core.formatting import format_krw

register = template.Library()

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")
MINUS = "\u2212"  # typographic minus: "−42.3%"


def _language() -> str:
    return (translation.get_language() or "ko")[:2]


@register.filter
def krw(amount):
    """350억 원 in Korean, KRW 35 billion in English."""
    return format_krw(amount, _language())


# Hangul syllables and jamo: text a reader of the English pages cannot read.
HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")


def _english_or_korean(obj, field: str) -> tuple[str, bool]:
    """(text, is a Korean stand-in): ``<field>_en`` on English pages when filled in, otherwise
    the Korean ``field``; the flag says an English page shows Korean text."""
    if obj is None:
        return "", False
    korean = getattr(obj, field, "") or ""
    if _language() == "en":
        english = getattr(obj, f"{field}_en", "")
        if english:
            return english, False
        return korean, bool(HANGUL.search(str(korean)))
    return korean, False


def _marked(text, fell_back: bool, tag: str = "span"):
    if fell_back:
        return format_html('<{} lang="ko">{}</{}>', tag, text, tag)
    return text


@register.filter
def tr_text(obj, field: str):
    """``obj.<field>_en`` on English pages when it is filled in; otherwise the Korean ``field``.

    Plain text, for attributes and the page head (``<title>``, meta descriptions).
    """
    return _english_or_korean(obj, field)[0]


@register.filter
def tr(obj, field: str):
    """Like ``tr_text``, but a Korean stand-in on an English page is marked ``lang="ko"``
    (a visible fallback: screen readers switch voice, the English-page test accepts it)."""
    return _marked(*_english_or_korean(obj, field))


@register.filter
def tr_paragraphs(obj, field: str):
    """``tr`` for multi-line texts: paragraphs (``linebreaks``), in a ``lang="ko"`` block when
    Korean stands in on an English page."""
    text, fell_back = _english_or_korean(obj, field)
    return _marked(linebreaks_filter(text, autoescape=True), fell_back, "div")


@register.filter
def ko(value):
    """A text kept in Korean on every page (a source's title or publisher, a quotation as
    printed): marked ``lang="ko"`` on English pages when it contains Hangul."""
    if value in (None, ""):
        return ""
    return _marked(value, _language() == "en" and bool(HANGUL.search(str(value))))


def _plain(value) -> str:
    """Decimal without trailing zeros and with thousands separators: 25.00 → 25, 12.50 → 12.5."""
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    text = f"{abs(number):,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{MINUS}{text}" if number < 0 else text


@register.filter
def num(value):
    if value is None or value == "":
        return ""
    return _plain(value)


@register.filter
def signed_pct(value):
    """A change in percent with an explicit sign: +20.8%, −42.3%."""
    if value is None:
        return ""
    text = _plain(value)
    return f"{text}%" if text.startswith(MINUS) or Decimal(value) == 0 else f"+{text}%"


@register.filter
def date_time(value):
    """A date and a 24-hour time in Seoul: 2026년 7월 1일 12:00 / July 1, 2026, 12:00."""
    if value is None:
        return ""
    local = timezone.localtime(value, SEOUL)
    separator = ", " if _language() == "en" else " "
    return f"{date_filter(local, 'DATE_FORMAT')}{separator}{local:%H:%M}"


@register.filter
def source_date(source):
    """A source's publication date written only as precisely as it is known."""
    when = getattr(source, "published_at", None)
    if when is None:
        return _("발행일 미상")
    local = timezone.localtime(when, SEOUL)
    precision = source.published_precision
    if precision == "year":
        return str(local.year)
    if precision == "month":
        return date_filter(local, "YEAR_MONTH_FORMAT")
    if precision == "minute":
        return date_time(when)
    return date_filter(local, "DATE_FORMAT")


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (empty values removed)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    if "page" not in changes:
        params.pop("page", None)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@lru_cache(maxsize=16)
def _static_exists(path: str) -> bool:
    return finders.find(path) is not None


@register.simple_tag
def vendor_static(path: str) -> str:
    """URL of a front-end package file installed by npm, or "" when it is not installed."""
    return static(path) if _static_exists(path) else ""


@register.filter
def local_when(event):
    """An event's date (and time when known) in the visitor's language, in Seoul time."""
    start = timezone.localtime(event.starts_at, SEOUL)
    day = date_filter(start, "DATE_FORMAT")
    if _language() == "en":
        text = f"{date_filter(start, 'D')}, {day}"
    else:
        text = f"{day} ({'월화수목금토일'[start.weekday()]})"
    if event.time_is_known:
        text += f" {start:%H:%M}"
        if event.ends_at:
            end = timezone.localtime(event.ends_at, SEOUL)
            if end.date() == start.date():
                text += f"–{end:%H:%M}"
            else:
                text += f" – {date_filter(end, 'DATE_FORMAT')} {end:%H:%M}"
    return text


@register.filter
def program_period(program):
    """Start–end of a program from its actual or planned dates.

    A date on 1 January or 31 December of a program with a date note stands for a year only
    (the note says what is known), so it is written as the year.
    """
    start, end = program.start, program.end
    if not start and not end:
        return ""
    year_only = bool(program.date_note)

    def show(day, edge):
        if day is None:
            return ""
        if (year_only and (day.month, day.day) == edge) or (
            start and end and _whole_years(start, end)
        ):
            return str(day.year)
        return date_filter(day, "DATE_FORMAT")

    left, right = show(start, (1, 1)), show(end, (12, 31))
    return f"{left} – {right}" if right else f"{left} –"


def _whole_years(start, end) -> bool:
    return (start.month, start.day) == (1, 1) and (end.month, end.day) == (12, 31)


@register.filter
def region_short(region):
    """경남 in Korean, Gyeongnam in English."""
    if region is None:
        return ""
    return (region.name_en if _language() == "en" else "") or region.short_name


@register.filter
def region_full(region):
    """경상남도 in Korean, Gyeongnam in English."""
    if region is None:
        return ""
    return (region.name_en if _language() == "en" else "") or region.name


# Korean labels that mean different things in different choice lists, so one English msgid
# cannot serve them all: 계획 (plan / planned) and 발표 (announced / talk / presenter).
AMBIGUOUS_LABELS = {
    ("program", "status", "planned"): pgettext_lazy("program status", "계획"),
    ("program", "status", "announced"): pgettext_lazy("program status", "발표"),
    ("budgetline", "status", "announced"): pgettext_lazy("budget status", "발표"),
    ("agendaitem", "kind", "talk"): pgettext_lazy("agenda item kind", "발표"),
    ("eventparticipant", "role", "presenter"): pgettext_lazy("event participant role", "발표"),
}


def choice_label(model_name: str, field: str, value: str, default):
    """The display label of a choice, with a context where the Korean word is ambiguous."""
    return AMBIGUOUS_LABELS.get((model_name, field, value), default)


@register.filter
def choice(obj, field: str):
    """``obj.get_<field>_display()``, translated in context where the word is ambiguous."""
    value = getattr(obj, field)
    return choice_label(obj._meta.model_name, field, value, getattr(obj, f"get_{field}_display")())


@register.filter
def last_item(items):
    """The last of a (prefetched) queryset or list, or None."""
    items = list(items)
    return items[-1] if items else None


# Units recorded in Korean, as written after a number on English pages.
UNITS_EN = {"개사": " companies", "명": " people", "개": "", "건": " cases", "배": "×", "%p": " %p"}


@register.filter
def unit(value: str) -> str:
    """A unit after a number: 30개사 in Korean, 30 companies in English."""
    if _language() == "en":
        return UNITS_EN.get(value, value)
    return value


@register.simple_tag(takes_context=True)
def ref(context, source):
    """A footnote link to a cited source: <a href="#source-2">[2]</a> (nothing if not cited).

    A tag rather than an included template: program pages cite sources hundreds of times.
    """
    citations = context.get("citations")
    number = citations.numbers.get(source.pk) if (citations and source is not None) else None
    if not number:
        return ""
    title = f"{source.publisher} — {source.title}"
    if _language() == "en" and HANGUL.search(title):  # the tooltip is the Korean citation
        return format_html(
            '<a class="ref" href="#source-{}" title="{}" lang="ko">'
            '<span class="visually-hidden" lang="en">{} </span>[{}]</a>',
            number,
            title,
            _("출처"),
            number,
        )
    return format_html(
        '<a class="ref" href="#source-{}" title="{}"><span class="visually-hidden">{} </span>[{}]</a>',
        number,
        title,
        _("출처"),
        number,
    )
