"""The site's URLs, plus the raw-SQL floor under /bench-floor/ when ``settings.BENCH_FLOOR``."""

from django.conf import settings
from django.urls import path

from benchmarks import floor
from config.urls import urlpatterns as site_urlpatterns

urlpatterns = list(site_urlpatterns)
if getattr(settings, "BENCH_FLOOR", False):
    urlpatterns = [
        path("bench-floor/companies/", floor.companies),
        path("bench-floor/events/", floor.events),
        path("bench-floor/programs/<int:pk>/", floor.program_detail),
        path("bench-floor/programs/<int:pk>/summary/", floor.program_summary),
        *urlpatterns,
    ]
