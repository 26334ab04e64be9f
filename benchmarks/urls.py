"""The site's URLs plus the floor under /bench-floor/ (``benchmarks.settings``): each floor of
``benchmarks.endpoints`` as a Django view, behind the site's whole middleware."""

from django.http import Http404, HttpResponse
from django.urls import path

from benchmarks.endpoints import ENDPOINTS, FLOOR_PREFIX
from benchmarks.floor import FloorRequest, render
from config.urls import urlpatterns as site_urlpatterns


def floor_view(floor):
    def view(request, **kwargs):
        payload = floor(FloorRequest(request.GET, request.build_absolute_uri("/")[:-1]), **kwargs)
        if payload is None:
            raise Http404
        return HttpResponse(render(payload), content_type="application/json")

    return view


urlpatterns = [
    *(path(FLOOR_PREFIX[1:] + e.route, floor_view(e.floor)) for e in ENDPOINTS),
    *site_urlpatterns,
]
