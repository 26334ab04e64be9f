"""Region scope: which rows a user may see and change.

``scope_queryset(user, queryset)`` is the one entry point used by the admin, the API (lists,
details, aggregates, CSV) and exports; ``can_change(user, obj)`` is the write check used by the
admin, the API and the importers.

Only *regional editors* are restricted: they see and change the rows of their own regions
(``REGION_PATHS`` below says how each model reaches its region). Superusers, administrators,
ministry editors and viewers read everything; anonymous visitors read the public data
unrestricted. Reference data (regions, programs, sources, people, statistics) is readable by
every staff member; whether they may *change* it is decided by model permissions alone.

A user's regions are stored in ``staff.StaffProfile.regions``; this module reaches them through
the reverse relation ``Region.staff_profiles`` so that ``core`` imports nothing from above.
"""

from django.db.models import Q

from .models import Organization, Region

# Role slugs (used by ``create_staff_user --role``) and the names of their auth groups.
ADMINISTRATOR = "administrator"
MINISTRY_EDITOR = "ministry-editor"
REGIONAL_EDITOR = "regional-editor"
VIEWER = "viewer"
ROLE_GROUPS = {
    ADMINISTRATOR: "관리자",
    MINISTRY_EDITOR: "중기부 편집자",
    REGIONAL_EDITOR: "지역 편집자",
    VIEWER: "열람자",
}
UNRESTRICTED_GROUPS = {ROLE_GROUPS[ADMINISTRATOR], ROLE_GROUPS[MINISTRY_EDITOR]}

# model label → lookups that lead to a Region; a row is in scope when ANY of them reaches one
# of the user's regions (e.g. a participation registered in 경남, or of a company in 경남).
REGION_PATHS: dict[str, tuple[str, ...]] = {
    "core.organization": ("region",),  # companies only; see OPEN_ROWS
    "companies.company": ("region",),
    "programs.hub": ("region",),
    "programs.regionalparticipation": ("region",),
    "programs.participation": ("region", "company__region"),
    "programs.outcome": ("participation__region", "company__region"),
    "programs.budgetline": ("regional_participation__region",),
    "programs.target": ("regional_participation__region",),
    "results.reportingperiod": ("target__regional_participation__region",),
    "results.resultupdate": ("period__target__regional_participation__region",),
    "results.resultbreakdown": ("update__period__target__regional_participation__region",),
    "results.resultevidence": ("update__period__target__regional_participation__region",),
    "events.event": ("region",),
    "events.agendaitem": ("event__region",),
    "events.eventparticipant": ("event__region",),
    "events.eventorganization": ("event__region",),
    "events.award": ("event__region", "recipient_company__region"),
}
# Rows of a scoped model that every staff member may read: organizations that are not companies
# (ministries, agencies, universities...) and the national budget lines and targets of a
# program (not tied to a regional participation). Only the organizations are also writable
# (by model permission); national budgets and targets stay with the ministry.
OPEN_ROWS: dict[str, Q] = {
    "core.organization": Q(company__isnull=True),
    "programs.budgetline": Q(regional_participation__isnull=True),
    "programs.target": Q(regional_participation__isnull=True),
    "results.reportingperiod": Q(target__regional_participation__isnull=True),
    "results.resultupdate": Q(period__target__regional_participation__isnull=True),
    "results.resultbreakdown": Q(update__period__target__regional_participation__isnull=True),
    "results.resultevidence": Q(update__period__target__regional_participation__isnull=True),
}
WRITABLE_OPEN_ROWS = {"core.organization"}

_CACHE_ATTR = "_region_scope_cache"


def _label(model) -> str:
    return model._meta.concrete_model._meta.label_lower


def restricted_region_ids(user) -> frozenset[int] | None:
    """The region ids a regional editor is limited to, or None when the user is unrestricted.

    Cached on the user object, which lives for one request.
    """
    if user is None or not getattr(user, "is_authenticated", False) or user.is_superuser:
        return None
    cached = getattr(user, _CACHE_ATTR, False)
    if cached is not False:
        return cached
    groups = set(user.groups.values_list("name", flat=True))
    if ROLE_GROUPS[REGIONAL_EDITOR] not in groups or groups & UNRESTRICTED_GROUPS:
        region_ids = None
    else:
        region_ids = frozenset(
            Region.objects.filter(staff_profiles__user=user).values_list("id", flat=True)
        )
    setattr(user, _CACHE_ATTR, region_ids)
    return region_ids


def forget_scope(user) -> None:
    """Drop the cached scope (after the user's groups or regions changed)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def is_region_scoped(model) -> bool:
    return _label(model) in REGION_PATHS


def region_q(model, region_ids) -> Q:
    """The filter selecting rows of ``model`` in ``region_ids``."""
    label = _label(model)
    condition = Q(pk__in=[])
    for path in REGION_PATHS[label]:
        condition |= Q(**{f"{path}__in": region_ids})
    if label in OPEN_ROWS:
        condition |= OPEN_ROWS[label]
    return condition


def scope_queryset(user, queryset):
    """Limit ``queryset`` to the regions of a regional editor; unchanged for everyone else."""
    region_ids = restricted_region_ids(user)
    if region_ids is None or not is_region_scoped(queryset.model):
        return queryset
    return queryset.filter(region_q(queryset.model, region_ids))


def scope_history(user, model, history_queryset):
    """``scope_queryset`` for the historical rows of ``model`` (e.g. its deleted records): the
    values a row recorded decide, read like ``in_scope(write=False)``. A row whose region is
    reached only through a parent that no longer exists is left out (restoring the parent
    brings it back with it)."""
    region_ids = restricted_region_ids(user)
    if region_ids is None or not is_region_scoped(model):
        return history_queryset
    label = _label(model)
    condition = Q(pk__in=[])
    for path in REGION_PATHS[label]:
        condition |= Q(**{f"{path}__in": region_ids})
    if label == "core.organization":
        condition |= ~Q(kind=Organization.Kind.COMPANY)  # OPEN_ROWS, in recorded values
    elif label in OPEN_ROWS:
        condition |= OPEN_ROWS[label]
    return history_queryset.filter(condition)


def scope_choices(user, queryset):
    """Like ``scope_queryset`` for the options of a form field: a regional editor may also pick
    only its own regions, so it cannot move a record to another region."""
    region_ids = restricted_region_ids(user)
    if region_ids is not None and queryset.model is Region:
        return queryset.filter(id__in=region_ids)
    return scope_queryset(user, queryset)


def _follow(obj, path: str):
    """The region id reached from the in-memory ``obj`` along ``path`` (None if broken)."""
    *hops, last = path.split("__")
    for hop in hops:
        obj = getattr(obj, hop, None)
        if obj is None:
            return None
    return getattr(obj, f"{last}_id", None)


def _is_open_row(label: str, obj) -> bool:
    """In-memory twin of ``OPEN_ROWS``."""
    if label == "core.organization":
        return type(obj)._meta.label_lower == "core.organization" and obj.kind != obj.Kind.COMPANY
    if label in ("programs.budgetline", "programs.target"):
        return obj.regional_participation_id is None
    if label == "results.reportingperiod":
        return obj.target_id is not None and obj.target.regional_participation_id is None
    if label == "results.resultupdate":
        return obj.period_id is not None and obj.period.target.regional_participation_id is None
    if label in ("results.resultbreakdown", "results.resultevidence"):
        return (
            obj.update_id is not None and obj.update.period.target.regional_participation_id is None
        )
    return False


def in_scope(region_ids, obj, *, write: bool = True) -> bool:
    """Whether the in-memory state of ``obj`` lies in ``region_ids`` (unsaved changes count).

    ``write=False`` asks whether the row may be read: ANY region path in ``region_ids`` (or an
    open row) is enough. For a write EVERY region path that is set must lead to one of
    ``region_ids`` and at least one must be set, so a regional editor cannot keep a record in
    scope through its company while moving its own region elsewhere.
    """
    label = _label(type(obj))
    if label not in REGION_PATHS:
        return True
    if _is_open_row(label, obj) and (not write or label in WRITABLE_OPEN_ROWS):
        return True
    reached = [_follow(obj, path) for path in REGION_PATHS[label]]
    if not write:
        return any(region in region_ids for region in reached)
    present = [region for region in reached if region is not None]
    return bool(present) and all(region in region_ids for region in present)


def _moves_out_of_scope(user, region_ids, obj, stored) -> bool:
    """Whether the new values of ``obj`` empty a region path that ``stored`` had set, or point a
    foreign key at a row the user may not choose (``scope_choices``), e.g. an event's parent
    in another region. Only changed foreign keys are checked (all of them on a create)."""
    label = _label(type(obj))
    if stored is not None:
        for path in REGION_PATHS[label]:
            if _follow(stored, path) is not None and _follow(obj, path) is None:
                return True
    for field in type(obj)._meta.concrete_fields:
        if not field.is_relation or field.related_model is None:
            continue
        if field.remote_field.parent_link:
            continue  # a company's own organization row (multi-table inheritance)
        value = getattr(obj, field.attname)
        if value is None:
            continue
        if stored is not None and getattr(stored, field.attname) == value:
            continue
        related = field.related_model
        if related is Region:
            if value not in region_ids:
                return True
        elif is_region_scoped(related):
            choices = scope_choices(user, related._base_manager.filter(pk=value))
            if not choices.exists():
                return True
    return False


def can_change(user, obj) -> bool:
    """Whether ``user``'s region scope allows writing ``obj``: the stored row must be in scope
    (you cannot take over another region's record) and so must the new values (you cannot
    move a record to another region, empty its region, or point it at another region's row).
    Model permissions are checked separately."""
    region_ids = restricted_region_ids(user)
    if region_ids is None or not is_region_scoped(type(obj)):
        return True
    if not in_scope(region_ids, obj):
        return False
    stored = None
    if obj.pk is not None and not obj._state.adding:
        stored = type(obj)._base_manager.filter(pk=obj.pk).first()
        if stored is not None and not in_scope(region_ids, stored):
            return False
    return not _moves_out_of_scope(user, region_ids, obj, stored)
