"""One sitemap per language (``/sitemap-ko.xml``, ``/sitemap-en.xml``, indexed at ``/sitemap.xml``).

Each entry names its page in the other language too (``xhtml:link hreflang``, plus
``x-default`` for the Korean page). Rows come through the models' visibility rules, so an
embargoed event is not listed before it is public.
"""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from companies.models import Company
from core.models import Region
from events.models import Event
from programs.models import Program

LIST_PAGES = ("home", "program-list", "event-list", "region-list", "company-list", "statistics")


class PublicSitemap(Sitemap):
    """Every public page of one language; alternates in every language."""

    i18n = True
    alternates = True
    x_default = True

    def __init__(self, language: str):
        self.language = language

    def _items(self):
        return [(item, self.language) for item in self.items()]

    def get_languages_for_item(self, item):
        return [code for code, _name in settings.LANGUAGES]

    def items(self):
        items = [(name, {}, None) for name in LIST_PAGES]
        items += [
            ("program-detail", {"slug": slug}, updated)
            for slug, updated in Program.objects.published()
            .order_by("slug")
            .values_list("slug", "updated_at")
        ]
        items += [
            ("event-detail", {"slug": slug}, updated)
            for slug, updated in Event.objects.published()
            .order_by("slug")
            .values_list("slug", "updated_at")
        ]
        items += [
            ("region-detail", {"code": code}, None)
            for code in Region.objects.order_by("code").values_list("code", flat=True)
        ]
        items += [
            ("company-detail", {"pk": pk}, updated)
            for pk, updated in Company.objects.published()
            .order_by("pk")
            .values_list("pk", "updated_at")
        ]
        return items

    def location(self, item):
        name, kwargs, _updated = item
        return reverse(name, kwargs=kwargs)

    def lastmod(self, item):
        return item[2]


SITEMAPS = {code: PublicSitemap(code) for code, _name in settings.LANGUAGES}
