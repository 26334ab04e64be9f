"""Deleted records, found in the change history (django-simple-history) and restored from it.

What a restore brings back (``restore_plan`` lists it before anything is written):

- the record's own fields as they were when it was deleted (``created_at`` included), as a new
  version with a "+" history row whose reason starts with "복원:";
- the records deleted *with it* by the cascade of that one deletion (e.g. a program's budget
  lines and regional participations, a regional participation's targets and their actuals, a
  company's participations and outcomes, an event's agenda): rows of models that cascade from
  it, deleted by the same user within ``CASCADE_WINDOW`` of it, recursively;
- many-to-many links whose history is recorded (``HistoricalRecords(m2m_fields=...)``, e.g. a
  program's sources), from the last saved version, where the linked record still exists;
- links from other records that the deletion emptied (``SET_NULL``, e.g. a regional
  participation's official, a participation's AI supplier): a record whose field is empty now
  while its latest history row still points at the deleted record gets the link back (the
  deletion empties them without writing history, so that row is the state before it).

What it cannot bring back, because the history does not hold it, is listed on the page too:
many-to-many links without recorded history (e.g. a participation's sources, a regional
participation's hubs), links to it from other records' many-to-many fields, and records
deleted separately, earlier.

Every restored row is re-validated with ``full_clean()`` and region-checked first; one failure
restores nothing.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Max
from django.utils.translation import gettext as _

from . import scoping
from .models import Organization

#: Rows of a cascade are written by one delete, milliseconds apart.
CASCADE_WINDOW = datetime.timedelta(seconds=2)
DELETED = "-"


def history_model(model):
    return getattr(model, model._meta.simple_history_manager_attribute).model


def has_history(model) -> bool:
    return getattr(model._meta, "simple_history_manager_attribute", None) is not None


def _pk(model) -> str:
    return model._meta.pk.attname


def deleted_rows(model, user=None):
    """The deletion row of each record of ``model`` that no longer exists, newest first, in
    ``user``'s region scope. A record deleted, restored and deleted again appears once."""
    history = history_model(model)
    pk = _pk(model)
    latest = (
        history.objects.filter(history_type=DELETED)
        .order_by()
        .values(pk)
        .annotate(last=Max("history_id"))
        .values("last")
    )
    rows = (
        history.objects.filter(history_id__in=latest)
        .exclude(**{f"{pk}__in": model._base_manager.values("pk")})
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )
    if model is Organization:
        rows = rows.exclude(kind=Organization.Kind.COMPANY)  # restored as companies
    return scoping.scope_history(user, model, rows)


def deleted_row(model, history_id, user=None):
    return deleted_rows(model, user).filter(history_id=history_id).first()


def last_deletion(model, pk):
    """The deletion row of a record that no longer exists, or None."""
    if model._base_manager.filter(pk=pk).exists():
        return None
    return (
        history_model(model)
        .objects.filter(history_type=DELETED, **{_pk(model): pk})
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
        .first()
    )


def record_label(instance) -> str:
    """``str(instance)``, or "#pk" when it names a related record that no longer exists."""
    try:
        return str(instance)
    except ObjectDoesNotExist:
        return f"#{instance.pk}"


@dataclass
class RestoreItem:
    model: type[models.Model]
    row: models.Model  # the deletion's historical row
    instance: models.Model  # the record as it was, to be saved again
    depth: int = 0

    @property
    def label(self) -> str:
        return f"{self.model._meta.verbose_name} “{record_label(self.instance)}”"


@dataclass
class Relink:
    """A record whose ``field`` the deletion emptied and a restore points back."""

    record: models.Model
    field: models.Field
    target_pk: object

    @property
    def label(self) -> str:
        return f"{self.record._meta.verbose_name} “{self.record}”의 {self.field.verbose_name}"


@dataclass
class RestorePlan:
    items: list[RestoreItem]  # parents before children
    m2m: list[tuple[models.Field, list]] = field(default_factory=list)  # (field, records)
    relinks: list[Relink] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)  # what the history cannot bring back

    @property
    def root(self) -> RestoreItem:
        return self.items[0]


def _related_objects(model):
    """Reverse relations of ``model`` and of its multi-table parents (a company's organization
    row is deleted with it), without the parent links themselves."""
    relations = list(model._meta.related_objects)
    for parent in model._meta.get_parent_list():
        relations += [r for r in parent._meta.related_objects if not r.parent_link]
    return relations


def _cascading_relations(model):
    """Reverse relations whose rows a delete of ``model`` removes and whose history is kept."""
    for relation in _related_objects(model):
        if relation.many_to_many or relation.parent_link:
            continue
        if getattr(relation, "on_delete", None) is not models.CASCADE:
            continue
        if has_history(relation.related_model):
            yield relation


def _cascaded_rows(relation, row):
    child = relation.related_model
    history = history_model(child)
    pk = _pk(child)
    candidates = (
        history.objects.filter(
            history_type=DELETED,
            history_date__gte=row.history_date - CASCADE_WINDOW,
            history_date__lte=row.history_date + CASCADE_WINDOW,
            history_user_id=row.history_user_id,
            **{relation.field.attname: getattr(row, relation.model._meta.pk.attname)},
        )
        .exclude(**{f"{pk}__in": child._base_manager.values("pk")})
        .select_related("history_user")
        .order_by(pk, "-history_id")
    )
    seen = set()
    for candidate in candidates:
        key = getattr(candidate, pk)
        if key not in seen:
            seen.add(key)
            yield candidate


def _recorded_m2m(model) -> list:
    history = history_model(model)
    return list(getattr(history, "_history_m2m_fields", []))


def _last_saved_row(model, pk):
    return (
        history_model(model)
        .objects.filter(**{_pk(model): pk})
        .exclude(history_type=DELETED)
        .order_by("-history_date", "-history_id")
        .first()
    )


def recorded_links(model, pk) -> list[tuple[models.Field, list]]:
    """(m2m field, linked records that still exist) from the last saved version's history."""
    from simple_history.utils import get_m2m_reverse_field_name

    previous = _last_saved_row(model, pk)
    links = []
    for m2m_field in _recorded_m2m(model):
        if previous is None:
            links.append((m2m_field, []))
            continue
        target = get_m2m_reverse_field_name(m2m_field)
        target_ids = [getattr(r, f"{target}_id") for r in getattr(previous, m2m_field.name).all()]
        related = m2m_field.related_model
        links.append((m2m_field, list(related._base_manager.filter(pk__in=target_ids))))
    return links


def _emptied_links(model, pk) -> list[Relink]:
    """Records whose link to the deleted record ``pk`` its deletion emptied (``SET_NULL``)."""
    relinks = []
    for relation in _related_objects(model):
        if relation.many_to_many or getattr(relation, "on_delete", None) is not models.SET_NULL:
            continue
        related = relation.related_model
        if not has_history(related):
            continue
        attname = relation.field.attname
        history = history_model(related)
        pointed = history.objects.filter(**{attname: pk}).values(_pk(related))
        for record in related._base_manager.filter(pk__in=pointed, **{f"{attname}__isnull": True}):
            latest = (
                history.objects.filter(**{_pk(related): record.pk})
                .order_by("-history_date", "-history_id")
                .first()
            )
            if latest is not None and getattr(latest, attname) == pk:
                relinks.append(Relink(record, relation.field, pk))
    return relinks


def _lost(model) -> list[str]:
    recorded = {f.name for f in _recorded_m2m(model)}
    lost = [
        _("‘%(field)s’ 연결: 변경 기록에 남지 않아 복원되지 않습니다.")
        % {"field": m2m_field.verbose_name}
        for m2m_field in model._meta.many_to_many
        if m2m_field.name not in recorded
    ]
    lost += [
        _("다른 %(model)s 기록의 ‘%(field)s’에 있던 이 기록: 복원되지 않습니다.")
        % {"model": relation.related_model._meta.verbose_name, "field": relation.field.verbose_name}
        for relation in _related_objects(model)
        if relation.many_to_many
    ]
    return lost


def restore_plan(model, row) -> RestorePlan:
    """What restoring the deleted record of ``row`` brings back, and what it cannot."""
    items: list[RestoreItem] = []
    seen = set()

    def walk(item_model, item_row, instance, depth):
        key = (item_model._meta.concrete_model, instance.pk)
        if key in seen:  # e.g. an outcome cascades from its company and its participation
            return
        seen.add(key)
        items.append(RestoreItem(item_model, item_row, instance, depth))
        for relation in _cascading_relations(item_model):
            for child_row in _cascaded_rows(relation, item_row):
                walk(relation.related_model, child_row, child_row.instance, depth + 1)

    walk(model, row, row.instance, 0)
    # Each restored record names the others it points at (before any of them exists again).
    by_key = {(item.model._meta.concrete_model, item.instance.pk): item.instance for item in items}
    for item in items:
        for fk in item.model._meta.concrete_fields:
            if fk.is_relation and fk.many_to_one:
                target = by_key.get(
                    (fk.related_model._meta.concrete_model, getattr(item.instance, fk.attname))
                )
                if target is not None:
                    fk.set_cached_value(item.instance, target)
    links = recorded_links(model, items[0].instance.pk)
    relinks = [
        relink
        for item in items
        for relink in _emptied_links(item.model, item.instance.pk)
        if (type(relink.record)._meta.concrete_model, relink.record.pk) not in seen
    ]
    return RestorePlan(
        items=items,
        m2m=links,
        relinks=relinks,
        lost=_lost(model),
    )
