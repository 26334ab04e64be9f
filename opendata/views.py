"""Public downloads of the open data: the ZIP (ETag / 304), its descriptor, the DCAT-AP record."""

import json

from django.conf import settings
from django.http import FileResponse, HttpResponse, JsonResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from . import services
from .dcat import catalog
from .models import DataPackage

RETRY_SECONDS = 30


def _absolute(request):
    base = settings.OPENDATA_BASE_URL.rstrip("/")
    return (lambda path: base + path) if base else request.build_absolute_uri


def _current_or_request(request) -> DataPackage | None:
    """The newest ready package; with none yet, a build is requested (in-process without a
    broker, so the first download may wait for it)."""
    package = services.opendata_package_latest()
    if package is None:
        services.opendata_package_request(trigger=DataPackage.Trigger.DOWNLOAD)
        package = services.opendata_package_latest()
    return package


def _not_ready() -> HttpResponse:
    response = JsonResponse(
        {
            "code": "opendata_not_ready",
            "detail": "공개 데이터 묶음을 만드는 중입니다. 잠시 뒤 다시 요청해 주세요.",
        },
        status=503,
        json_dumps_params={"ensure_ascii": False},
    )
    response["Retry-After"] = str(RETRY_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def _conditional(request, package: DataPackage, etag: str):
    """304 when the caller's If-None-Match / If-Modified-Since still hold."""
    return get_conditional_response(
        request, etag=etag, last_modified=int(package.finished_at.timestamp())
    )


def _stamp(response, package: DataPackage, etag: str):
    response["ETag"] = etag
    response["Last-Modified"] = http_date(package.finished_at.timestamp())
    # Anyone may keep it, but must check it is still current (a rebuild changes the ETag).
    patch_cache_control(response, public=True, no_cache=True)
    return response


@require_safe
def download(request):
    """The whole public dataset as one ZIP of CSV and JSON with ``datapackage.json``."""
    package = _current_or_request(request)
    if package is None:
        return _not_ready()
    not_modified = _conditional(request, package, package.etag)
    if not_modified is not None:
        return _stamp(not_modified, package, package.etag)
    response = FileResponse(
        package.file.open("rb"),
        as_attachment=True,
        filename=services.FILENAME,
        content_type="application/zip",
    )
    return _stamp(response, package, package.etag)


@require_safe
def datapackage(request):
    """The descriptor of the newest package alone (the same file as in the ZIP)."""
    package = _current_or_request(request)
    if package is None:
        return _not_ready()
    etag = f'"{package.sha256[:32]}-d"'
    not_modified = _conditional(request, package, etag)
    if not_modified is not None:
        return _stamp(not_modified, package, etag)
    body = json.dumps(package.descriptor, ensure_ascii=False, indent=1)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    return _stamp(response, package, etag)


@require_safe
def dcat_catalog(request):
    """The catalogue record in DCAT-AP, JSON-LD."""
    package = services.opendata_package_latest()
    body = json.dumps(catalog(_absolute(request), package), ensure_ascii=False, indent=1)
    response = HttpResponse(body, content_type="application/ld+json; charset=utf-8")
    patch_cache_control(response, public=True, no_cache=True)
    return response
