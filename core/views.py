"""Helpers shared by the public pages: conditional GET (ETag) and caching headers.

A page's ETag is derived from the data it is drawn from, with one query over the tables of the
given models and their many-to-many tables (latest history entry, highest id, latest
``updated_at``; row counts only for small tables). Adding, changing or deleting a row changes
the tag. The tag also varies with the
language, the URL, the CSRF cookie (the language switch form carries a token), the release of
the templates and catalogues, and the hour (upcoming events become past ones as time passes).
"""

import functools
import hashlib
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.db import connection
from django.http import HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware
from django.urls import is_valid_path, translate_url
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import condition, require_safe

from core.publication import release_stamp
from core.templatetags.public import region_full


def _deploy_stamp() -> str:
    """Changes when templates or compiled catalogues change (a deploy), the same in every worker."""
    newest = 0.0
    for folder in (Path(settings.BASE_DIR) / "templates", Path(settings.BASE_DIR) / "locale"):
        if folder.is_dir():
            for file in folder.rglob("*"):
                if file.suffix in (".html", ".mo"):
                    newest = max(newest, file.stat().st_mtime)
    return f"{newest:.0f}"


DEPLOY = _deploy_stamp()


def _history_table(model) -> tuple[str, str] | None:
    """(table, primary key column) of the model's django-simple-history table, if it has one."""
    attribute = getattr(model._meta, "simple_history_manager_attribute", None)
    if not attribute:
        return None
    historical = getattr(model, attribute).model._meta
    return historical.db_table, historical.pk.column


def _fingerprint_parts(models) -> list[str]:
    """One SELECT per table, each cheap on large tables (index lookups, no counting), except
    for small reference and link tables, where deletions can only be seen in the row count.

    - history table (create, update, delete through the ORM): its highest ``history_id``;
    - the table itself: highest primary key (rows added in bulk) and latest ``updated_at``;
    - tables with neither (regions, many-to-many links): row count and highest primary key.
    """
    quote = connection.ops.quote_name
    seen, parts = set(), []

    def add(opts, history=None):
        if opts.db_table in seen:
            return
        seen.add(opts.db_table)
        stamped = any(f.name == "updated_at" for f in opts.local_fields)
        pk = f"CAST(MAX({quote(opts.pk.column)}) AS TEXT)"
        if history or stamped:
            count = "''"
        else:
            count = "CAST(COUNT(*) AS TEXT)"
        updated = f"CAST(MAX({quote('updated_at')}) AS TEXT)" if stamped else "''"
        latest_change = (
            f"CAST((SELECT MAX({quote(history[1])}) FROM {quote(history[0])}) AS TEXT)"
            if history
            else "''"
        )
        parts.append(
            f"SELECT '{opts.db_table}', {count}, {pk}, {updated}, {latest_change} "
            f"FROM {quote(opts.db_table)}"
        )

    for model in models:
        add(model._meta, _history_table(model))
        for field in model._meta.many_to_many:
            add(field.remote_field.through._meta)
    return parts


def data_fingerprint(models) -> str:
    """One query over every table the page reads (see ``_fingerprint_parts``)."""
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(_fingerprint_parts(models)))
        rows = cursor.fetchall()
    return "|".join(":".join(str(v) for v in row) for row in rows)


def public_page(*, models):
    """Decorator for public GET pages: ETag from the data of ``models``, 304 when unchanged.

    ``Cache-Control: private, no-cache`` makes browsers revalidate every time (cheap with the
    ETag) while shared caches keep out, since each page carries the visitor's CSRF token.
    """

    def etag(request, *args, **kwargs):
        if not hasattr(request, "_public_etag"):
            hour = timezone.now().strftime("%Y%m%d%H")
            key = "\n".join(
                (
                    DEPLOY,
                    hour,
                    translation.get_language() or "",
                    request.get_full_path(),
                    request.headers.get("HX-Request", ""),
                    request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""),
                    data_fingerprint(models),
                    release_stamp(models),
                )
            )
            request._public_etag = hashlib.sha256(key.encode()).hexdigest()[:32]
        return request._public_etag

    def decorator(view):
        conditional = require_safe(condition(etag_func=etag)(view))

        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            response = conditional(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            patch_vary_headers(response, ("Cookie", "Accept-Language"))
            return response

        return wrapper

    return decorator


class Citations:
    """The sources a page cites, numbered in order of first use: [1], [2]..."""

    def __init__(self):
        self.numbers: dict[int, int] = {}
        self.sources: list = []

    def add(self, *sources):
        for source in sources:
            if source is not None and source.pk not in self.numbers:
                self.numbers[source.pk] = len(self.sources) + 1
                self.sources.append(source)
        return self

    def add_all(self, iterable):
        return self.add(*iterable)


def region_choices(regions) -> list[tuple[str, str]]:
    """(code, name) of each region for a filter drop-down, named in the page's language."""
    return [(region.code, region_full(region)) for region in regions]


# A filter drop-down's error, said without repeating the value sent (the notice of ignored
# filters must not print arbitrary text from a link onto the page).
CHOICE_ERRORS = {"invalid_choice": _("목록에 있는 값을 골라 주세요.")}


def valid_filters(form) -> dict:
    """The valid values of a bound filter form (a bad value drops only its own filter)."""
    if not form.is_bound:
        return {}
    form.is_valid()
    return {key: value for key, value in form.cleaned_data.items() if value not in (None, "")}


def without_lang(full_path: str) -> str:
    """A path with its query string minus the ``lang`` parameter (which only picks a language)."""
    parts = urlsplit(full_path)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "lang"]
    return urlunsplit(("", "", parts.path, urlencode(query), ""))


def is_localized_path(path: str) -> bool:
    """Whether the path is a public page (it exists at / in Korean and under /en/ in English)."""
    return _is_localized(path, settings.ROOT_URLCONF)


@functools.lru_cache(maxsize=4096)
def _is_localized(path: str, urlconf: str) -> bool:
    """``is_localized_path`` resolved once per path: every request asks it before the view
    (``URLLanguageMiddleware``), and resolving a path costs about a tenth of an API answer."""
    with translation.override("en"):
        english = path if path.startswith("/en/") else f"/en{path}"
        return is_valid_path(english, urlconf)


class URLLanguageMiddleware(LocaleMiddleware):
    """The URL says the language: public pages are Korean at ``/...`` and English at ``/en/...``.

    The browser's Accept-Language and the language cookie never change a public page, so a
    shared link opens in the language it was shared in. ``?lang=en`` (or ``ko``) redirects to the
    same page in that language. Django's ``/i18n/setlang/`` still sets the cookie and redirects to
    the page in the chosen language; the cookie only selects the language of URLs that are not
    public pages (the API's messages, see docs/api.md).
    """

    def process_request(self, request):
        path_language = translation.get_language_from_path(request.path_info)
        if path_language:
            language = path_language
        elif is_localized_path(request.path_info):
            language = settings.LANGUAGE_CODE
        else:
            chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
            language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        wanted = request.GET.get("lang", "")
        if wanted and request.method in ("GET", "HEAD"):
            if wanted in dict(settings.LANGUAGES) and is_localized_path(request.path_info):
                return HttpResponseRedirect(
                    translate_url(without_lang(request.get_full_path()), wanted)
                )
        return None

    def process_response(self, request, response):
        response = super().process_response(request, response)
        patch_vary_headers(response, ("Cookie",))
        # The page is rendered: leave the thread in the default language, so code that runs
        # after a request in the same thread (a test's reverse()) does not inherit /en/.
        translation.deactivate()
        return response
