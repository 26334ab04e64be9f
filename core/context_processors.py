"""Template context of every public page: the page in each language (hreflang, canonical, the
language switch) and the Open Graph locale."""

from django.conf import settings
from django.urls import translate_url
from django.utils import translation

from core.views import is_localized_path, without_lang

OG_LOCALES = {"ko": "ko_KR", "en": "en_US"}


def page_languages(request):
    """``page_urls``: {language: absolute URL of this page in it}; ``canonical_url``; and the
    ``switch_url`` / ``switch_language`` of the language switch (the same page, other language).

    Empty on pages that are not public pages (admin, errors without a resolved URL).
    """
    language = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
    context = {"og_locale": OG_LOCALES.get(language, "ko_KR"), "og_locales": OG_LOCALES}
    if getattr(request, "resolver_match", None) is None or not is_localized_path(request.path_info):
        return context
    here = without_lang(request.get_full_path())
    urls = {
        code: request.build_absolute_uri(translate_url(here, code))
        for code, _name in settings.LANGUAGES
    }
    other = "en" if language == "ko" else "ko"
    context.update(
        page_urls=urls,
        canonical_url=urls[language],
        default_url=urls[settings.LANGUAGE_CODE],
        switch_language=other,
        switch_url=translate_url(here, other),
        og_alternate_locale=OG_LOCALES[other],
    )
    return context
