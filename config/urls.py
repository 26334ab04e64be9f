from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.templatetags.static import static as static_url
from django.urls import include, path, re_path
from django.utils.functional import lazy
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from core.admin_money import amount_reading
from core.api.views import api_not_found
from public.sitemaps import SITEMAPS

from .api import router
from .health import healthz

admin.site.site_header = "중소기업 AI 전환 지원사업 트래커"
admin.site.site_title = "AI 전환 트래커 관리"
admin.site.index_title = "데이터 관리"

urlpatterns = [
    path("admin/staff/", include("staff.urls")),  # imports, data quality (staff app)
    path("admin/results/", include("results.urls")),  # 보고 할 일, review, bulk entry
    path(
        "admin/amount-reading/",  # live 억/조 reading of the admin's money fields
        admin.site.admin_view(amount_reading),
        name="admin-amount-reading",
    ),
    path("admin/", admin.site.urls),
    path("api/v1/", include((router.urls, "api"))),  # URL names: "api:<basename>-list"
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's init script as a URL, not inline, so the production
    # Content-Security-Policy (script-src 'self') allows it.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    re_path(r"^api/", api_not_found),  # unknown API URLs answer JSON 404
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", healthz, name="healthz"),
    # Browsers and crawlers ask for /favicon.ico whatever the page links; send them to the SVG.
    path(
        "favicon.ico",
        RedirectView.as_view(url=lazy(static_url, str)("img/favicon.svg")),
        name="favicon",
    ),
    path("", include("opendata.urls")),  # /opendata/…zip, datapackage.json, catalog.jsonld
    path("", include("results.public_urls")),  # /programs/<slug>/results.xlsx
    path("", include("reports.urls")),  # /programs/<slug>/report.xlsx ("program-report")
    # One sitemap per language (sitemap-ko.xml, sitemap-en.xml), indexed at sitemap.xml.
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
]
# Public pages: Korean at the site root, English under /en/ (the URL says the language,
# core.views.URLLanguageMiddleware).
urlpatterns += i18n_patterns(
    path("", include("programs.urls")),
    path("", include("indicators.urls")),
    path("", include("events.urls")),
    path("", include("public.urls")),
    path("", include("alerts.urls")),  # saved searches: sign-up, confirm, unsubscribe
    prefix_default_language=False,
)
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
