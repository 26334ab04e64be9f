"""Write helpers shared by every app."""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from . import deleted, scoping


def record_upsert(
    model: type[models.Model],
    *,
    lookup: dict,
    values: dict | None = None,
    update: bool = True,
    change_reason: str = "",
    history_user=None,
):
    """Create or update one row by its natural key, saving only when something differs.

    Runs ``full_clean()`` like every other write path. Returns ``(instance, changed)``, so a
    second identical run writes nothing: no new version, no history entry. With
    ``update=False`` an existing row is left exactly as it is (staff edits are kept).
    ``change_reason`` and ``history_user`` go into the history row (e.g. the intake that
    proposed the record).
    """
    values = values or {}
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        instance = model(**lookup, **values)
        instance.full_clean()
        _mark_history(instance, change_reason, history_user)
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
        _mark_history(instance, change_reason, history_user)
        instance.save()
    return instance, changed


def _mark_history(instance, change_reason, history_user):
    if change_reason:
        instance._change_reason = change_reason
    if history_user is not None:
        instance._history_user = history_user


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


#: the history's reason column holds 100 characters, "복원: " included
RESTORE_REASON_MAX = 90


def record_restore(*, model: type[models.Model], history_id: int, user, reason: str):
    """Restore a deleted record of ``model`` from its deletion row ``history_id``, with what
    ``core.deleted.restore_plan`` lists (the rows deleted with it, recorded many-to-many links,
    links the deletion emptied). Each row is region-checked for ``user`` and re-validated with
    ``full_clean()``; the history rows carry ``user`` and the reason "복원: <reason>". One
    failure raises ``ValidationError`` (Korean, naming the record) and restores nothing.
    Returns the plan that was carried out."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("복원하는 이유를 적어 주세요."), code="reason")
    if len(reason) > RESTORE_REASON_MAX:
        raise ValidationError(
            _("복원하는 이유는 %(max)d자까지 적을 수 있습니다.") % {"max": RESTORE_REASON_MAX},
            code="reason",
        )
    change_reason = _("복원: %(reason)s") % {"reason": reason}
    with transaction.atomic():
        row = deleted.deleted_row(model, history_id, user)
        if row is None:
            raise ValidationError(
                _("이 삭제 기록을 찾을 수 없습니다. 이미 복원되었거나 볼 수 없는 기록입니다."),
                code="missing",
            )
        plan = deleted.restore_plan(model, row)
        for item in plan.items:
            instance = item.instance
            instance._state.adding = True
            if hasattr(instance, "version"):
                instance.version = (item.row.version or 0) + 1
            _restore_save(instance, user, change_reason, item.label)
            created_at = getattr(item.row, "created_at", None)
            if created_at is not None:  # auto_now_add set it to now
                models.QuerySet(item.model).filter(pk=instance.pk).update(created_at=created_at)
        root = plan.root.instance
        for m2m_field, linked in plan.m2m:
            restored = model._base_manager.get(pk=root.pk)
            restored._change_reason = change_reason
            restored._history_user = user
            getattr(restored, m2m_field.name).set(linked)
        for relink in plan.relinks:
            record = type(relink.record)._base_manager.get(pk=relink.record.pk)
            setattr(record, relink.field.attname, relink.target_pk)
            _restore_save(record, user, change_reason, relink.label)
    return plan


def _restore_save(instance, user, change_reason, label):
    if not scoping.can_change(user, instance):
        raise ValidationError(
            _("%(record)s: 담당 지역이 아닌 기록이라 복원할 수 없습니다.") % {"record": label},
            code="region_scope",
        )
    try:
        instance.full_clean()
    except ValidationError as error:
        raise ValidationError(
            _("%(record)s: 복원할 수 없습니다. %(errors)s")
            % {"record": label, "errors": " ".join(error.messages)},
            code="invalid",
        ) from error
    instance._change_reason = change_reason
    instance._history_user = user
    instance.save()
