"""What a webhook carries: a record's public fields, derived from the model's publication
declaration (``core.publication``) — the same declaration the API, CSV and pages use.

A payload holds the model's public fields (never a staff-only one: contact data, staff notes),
foreign keys as ``<name>_id`` (the id of the record in the API), a region additionally as its
two-digit ``region_code``; many-to-many links are not part of a record's row. Whether a record
is public at all (an event under embargo, an outcome without consent, a participant not public)
is the model's visibility rule, evaluated on the recorded version of the row.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.db import models
from django.utils import timezone

from core.publication import BOOKKEEPING, public_field_names

#: Fields that change on every save: ignored when deciding whether a public field changed.
BOOKKEEPING_FIELDS = tuple(name for name in BOOKKEEPING if name != "id")
DOMAIN_APPS = ("core", "companies", "programs", "events", "indicators")


@dataclass(frozen=True)
class PublicRecord:
    """The public shape of one record type."""

    label: str
    verbose_name: str
    model: type[models.Model]
    fields: tuple[str, ...]  # attribute names: ``region_id`` for a foreign key ``region``


def _public_record(model) -> PublicRecord:
    names = []
    for name in public_field_names(model):
        f = model._meta.get_field(name)
        if f.many_to_many or name in BOOKKEEPING:
            continue
        names.append(f.attname)
    return PublicRecord(model._meta.label_lower, str(model._meta.verbose_name), model, tuple(names))


def _record_types() -> dict[str, PublicRecord]:
    out = {}
    for model in apps.get_models():
        if model._meta.app_label not in DOMAIN_APPS or model.__name__.startswith("Historical"):
            continue
        if getattr(model._meta, "simple_history_manager_attribute", None) is None:
            continue  # without history there is no change to announce
        if model._meta.label_lower == "core.region":
            continue
        out[model._meta.label_lower] = _public_record(model)
    return dict(sorted(out.items()))


# Built when the module is first imported: from ``WebhooksConfig.ready()``, with every model loaded.
PUBLIC_RECORDS: dict[str, PublicRecord] = _record_types()


def record_type_choices() -> list[tuple[str, str]]:
    return [(label, f"{record.verbose_name} ({label})") for label, record in PUBLIC_RECORDS.items()]


def _json_value(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return value


def region_codes() -> dict[int, str]:
    from core.models import Region

    return dict(Region.objects.values_list("id", "code"))


def is_published(row, at: datetime.datetime | None = None) -> bool:
    """Whether ``row`` — a record, or a recorded (historical) version of one — is public at
    ``at`` by its model's visibility rule. The rule's condition runs against the row's own
    table, so a historical version is judged by its recorded values (and its related records'
    current ones)."""
    at = at or timezone.now()
    history_id = getattr(row, "history_id", None)
    live_model = row.instance_type if history_id is not None else type(row)
    condition = live_model._default_manager.published_q(at)
    if not condition:
        return True
    if history_id is not None:
        return type(row).objects.filter(history_id=history_id).filter(condition).exists()
    return live_model._default_manager.filter(pk=row.pk).filter(condition).exists()


def serialize_public(row, *, regions: dict[int, str] | None = None, at=None):
    """The public JSON of ``row`` (a record or a historical version of one), or None when the
    record is not public."""
    model = row.instance_type if getattr(row, "history_id", None) is not None else type(row)
    record = PUBLIC_RECORDS[model._meta.concrete_model._meta.label_lower]
    if not is_published(row, at):
        return None
    data = {"id": row.pk if getattr(row, "history_id", None) is None else row.id}
    for name in record.fields:
        data[name] = _json_value(getattr(row, name))
        if name == "region_id":
            regions = regions if regions is not None else region_codes()
            data["region_code"] = regions.get(data["region_id"])
    for name in BOOKKEEPING_FIELDS:
        if hasattr(row, name):
            data[name] = _json_value(getattr(row, name))
    return data


def public_part(data: dict | None) -> dict | None:
    """``data`` without the fields that change on every save."""
    if data is None:
        return None
    return {key: value for key, value in data.items() if key not in BOOKKEEPING_FIELDS}
