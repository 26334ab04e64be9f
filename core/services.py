"""Write helpers shared by every app."""

from django.db import models


def record_upsert(
    model: type[models.Model], *, lookup: dict, values: dict | None = None, update: bool = True
):
    """Create or update one row by its natural key, saving only when something differs.

    Runs ``full_clean()`` like every other write path. Returns ``(instance, changed)``, so a
    second identical run writes nothing: no new version, no history entry. With
    ``update=False`` an existing row is left exactly as it is (staff edits are kept).
    """
    values = values or {}
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        instance = model(**lookup, **values)
        instance.full_clean()
        instance.save()
        return instance, True
    if not update:
        return instance, False
    changed = False
    for field, value in values.items():
        current = getattr(instance, field)
        if isinstance(current, models.Model) or isinstance(value, models.Model):
            current_id = getattr(instance, model._meta.get_field(field).attname)
            if current_id != (value.pk if value is not None else None):
                setattr(instance, field, value)
                changed = True
        elif current != value:
            setattr(instance, field, value)
            changed = True
    if changed:
        instance.full_clean()
        instance.save()
    return instance, changed


def m2m_sync(manager, objects, *, update: bool = True) -> bool:
    """Make a many-to-many relation hold exactly ``objects``; True when it changed.

    With ``update=False`` a relation that already holds rows is left as it is.
    """
    wanted = {o.pk for o in objects}
    current = set(manager.values_list("pk", flat=True))
    if wanted == current or (current and not update):
        return False
    manager.set(list(objects))
    return True
