"""Building and serving the bulk open-data package (``opendata.package``)."""

import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from config.celery import enqueue_on_commit

from .models import DataPackage
from .package import build_zip

log = logging.getLogger(__name__)

FILENAME = "sme-ai-tracker-opendata.zip"


def opendata_package_latest() -> DataPackage | None:
    """The newest ready package (what the download serves)."""
    return (
        DataPackage.objects.filter(status=DataPackage.Status.READY)
        .order_by("-finished_at", "-id")
        .first()
    )


def opendata_package_request(*, trigger: str, requested_by=None) -> DataPackage:
    """Ask for a new build; at most one waits at a time (a pending or running one is reused).
    The build runs in a worker once the transaction commits (in-process without a broker)."""
    from . import tasks

    with transaction.atomic():
        waiting = (
            DataPackage.objects.select_for_update()
            .filter(status__in=(DataPackage.Status.PENDING, DataPackage.Status.RUNNING))
            .order_by("id")
            .first()
        )
        if waiting is not None:
            return waiting
        package = DataPackage.objects.create(trigger=trigger, requested_by=requested_by)
        enqueue_on_commit(tasks.opendata_package_build, package.pk)
    return package


def opendata_package_build(*, package_id: int, at=None) -> DataPackage:
    """Build one requested package: read the public data, write the ZIP, keep the newest
    ``OPENDATA_KEEP`` ready files. Idempotent: a ready package is left as it is."""
    package = DataPackage.objects.filter(pk=package_id).first()
    if package is None or package.status == DataPackage.Status.READY:
        return package
    at = at or timezone.now()
    DataPackage.objects.filter(pk=package.pk).update(
        status=DataPackage.Status.RUNNING, started_at=timezone.now(), error=""
    )
    try:
        built = build_zip(at)
    except Exception as error:
        log.exception("open-data package %s failed", package.pk)
        DataPackage.objects.filter(pk=package.pk).update(
            status=DataPackage.Status.FAILED, error=repr(error)[:2000], finished_at=timezone.now()
        )
        raise
    package.refresh_from_db()
    package.file.save(FILENAME, ContentFile(built.content), save=False)
    package.sha256 = built.sha256
    package.size_bytes = len(built.content)
    package.tables = built.tables
    package.rows = built.rows
    package.descriptor = built.descriptor
    package.data_at = at
    package.status = DataPackage.Status.READY
    package.finished_at = timezone.now()
    package.save()
    opendata_packages_prune()
    return package


def opendata_packages_prune(keep: int | None = None) -> int:
    """Delete the files and rows of ready packages beyond the newest ``keep``."""
    keep = settings.OPENDATA_KEEP if keep is None else keep
    ready = DataPackage.objects.filter(status=DataPackage.Status.READY).order_by(
        "-finished_at", "-id"
    )
    old = list(ready[keep:])
    for package in old:
        package.file.delete(save=False)
        package.delete()
    return len(old)


def opendata_package_refresh() -> DataPackage:
    """Nightly: a new build of the public data as it is now."""
    return opendata_package_request(trigger=DataPackage.Trigger.NIGHTLY)
