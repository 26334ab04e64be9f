"""Reading the change history: what changed on a record since a given version, in Korean.

Used when a stale save is refused (admin form error, API 412 body) to tell the editor what a
colleague changed in the meantime.
"""

from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .admin_money import is_money_field
from .amounts import reading

# Bookkeeping columns left out of every displayed diff.
HIDDEN_DIFF_FIELDS = ["version", "updated_at", "created_at"]

# What a refusal lists is bounded whatever the record's past: the latest saves, the first
# changed fields, each value cut to a readable length (a 412 stays a few kilobytes).
MAX_EDITORS = 10
MAX_CHANGES = 30
MAX_VALUE_CHARS = 200


def shorten(text: str, limit: int = MAX_VALUE_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class ChangesSince:
    """What happened to a record after ``base_version`` (None: not known, e.g. a stale ETag).

    ``editors`` holds the latest ``MAX_EDITORS`` saves, oldest first; ``save_count`` counts
    them all. ``changes`` holds at most ``MAX_CHANGES`` fields; ``change_count`` counts all."""

    base_version: int | None
    current_version: int | None
    editors: list[tuple[str, str]] = field(default_factory=list)  # (who, when) per save
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (field, old, new)
    save_count: int = 0
    change_count: int = 0

    def as_dict(self) -> dict:
        return {
            "base_version": self.base_version,
            "current_version": self.current_version,
            "saves_since": self.save_count,
            "changed_by": [{"user": who, "at": when} for who, when in self.editors],
            "changed_by_truncated": self.save_count > len(self.editors),
            "changes": [{"field": name, "old": old, "new": new} for name, old, new in self.changes],
            "changes_truncated": self.change_count > len(self.changes),
        }


def display_value(model, field_name: str, value) -> str:
    """A value as staff read it: choice labels, related objects' names, '(없음)' for empty."""
    if value is None or value == "":
        return _("(없음)")
    try:
        model_field = model._meta.get_field(field_name)
    except Exception:
        return str(value)
    if getattr(model_field, "choices", None):
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("예") if value else _("아니오")
    if is_money_field(model_field) and isinstance(value, int):
        # the digits, and their 억/조 reading that shows a slipped zero at a glance
        return f"{value:,}원 ({reading(value)})" if value >= 10_000 else f"{value:,}원"
    if isinstance(value, list):  # many-to-many rows as stored by simple-history
        return ", ".join(str(v) for v in value) or _("(없음)")
    return str(value)


def bounded_change_reason(text: str, model: type[models.Model] | None = None) -> str:
    """``text`` cut to fit the history's change-reason column (100 characters), with "…"."""
    limit = 100
    if model is not None and hasattr(model, "history"):
        field = model.history.model._meta.get_field("history_change_reason")
        limit = field.max_length or limit
    return shorten(text, limit)


def field_label(model, field_name: str) -> str:
    try:
        return str(model._meta.get_field(field_name).verbose_name)
    except Exception:
        return field_name


def changes_since(model: type[models.Model], pk, base_version: int | None) -> ChangesSince:
    """Compare the record's history at ``base_version`` with its latest history row.

    A fixed number of queries and a bounded result, however many saves came since."""
    history = model.history.filter(**{model._meta.pk.attname: pk}).select_related("history_user")
    current = history.order_by("-history_date", "-history_id").first()
    result = ChangesSince(
        base_version=base_version, current_version=current.version if current else None
    )
    if base_version is None:
        return result
    base = history.filter(version=base_version).order_by("-history_date", "-history_id").first()
    later = history.filter(version__gt=base_version)
    result.save_count = later.count()
    latest = list(later.order_by("-history_date", "-history_id")[:MAX_EDITORS])
    for record in reversed(latest):
        who = str(record.history_user) if record.history_user_id else _("(알 수 없음)")
        when = date_format(timezone.localtime(record.history_date), "DATETIME_FORMAT")
        result.editors.append((shorten(who, 60), when))
    if current is not None and base is not None and current.pk != base.pk:
        delta = current.diff_against(
            base, excluded_fields=HIDDEN_DIFF_FIELDS, foreign_keys_are_objs=True
        )
        result.change_count = len(delta.changes)
        for change in delta.changes[:MAX_CHANGES]:
            result.changes.append(
                (
                    field_label(model, change.field),
                    shorten(display_value(model, change.field, change.old)),
                    shorten(display_value(model, change.field, change.new)),
                )
            )
    return result


def stale_message(
    model: type[models.Model], pk, base_version: int | None, since: ChangesSince | None = None
) -> str:
    """The Korean explanation shown when a save based on ``base_version`` is refused."""
    since = since or changes_since(model, pk, base_version)
    parts = [
        _(
            "편집을 시작한 뒤(버전 %(base)s) 다른 사용자가 이 %(name)s 기록을 먼저 저장했습니다"
            "(현재 버전 %(current)s). 덮어쓰지 않도록 이번 변경은 저장하지 않았습니다."
        )
        % {
            "base": base_version if base_version is not None else "?",
            "current": since.current_version or "?",
            "name": model._meta.verbose_name,
        }
    ]
    if since.editors:
        who = ", ".join(f"{who} ({when})" for who, when in since.editors)
        if since.save_count > len(since.editors):
            who = _("%(who)s 외 %(more)s번") % {
                "who": who,
                "more": since.save_count - len(since.editors),
            }
        parts.append(_("그 사이 저장한 사람: %(who)s.") % {"who": who})
    if since.changes:
        changes = "; ".join(f"{name}: {old} → {new}" for name, old, new in since.changes)
        if since.change_count > len(since.changes):
            changes = _("%(changes)s 외 %(more)s개 항목") % {
                "changes": changes,
                "more": since.change_count - len(since.changes),
            }
        parts.append(_("그 사이 바뀐 항목: %(changes)s.") % {"changes": changes})
    parts.append(_("최신 내용을 다시 불러온 뒤 변경을 다시 적용해 주세요."))
    return " ".join(parts)
