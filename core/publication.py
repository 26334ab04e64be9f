"""What the public may see: one declaration per model, used by every channel.

Two rules, each written once:

* **Which rows** — visibility lives on the model's QuerySet. ``published(at)`` is what an
  anonymous visitor may see at the moment ``at`` (now by default): an event before its press
  embargo, a company outcome without the company's consent, a participant marked not public
  are left out. ``visible_to(user, at)`` is ``published(at)`` for the public and every row for
  staff. A model states its rule by overriding ``published_q(at, prefix)`` — a ``Q`` that can
  also be applied through a relation (``prefix="event__"``), so a nested list or a join is
  filtered by the same rule as the model's own list.
* **Which fields** — every model declares ``publication = Publication(public=..., staff_only=...)``:
  the fields anyone may read, and the fields only staff may read (with the reason). The API's
  resource shapes, their schema, CSV columns, webhook payloads and bulk downloads derive their
  fields from it; ``tests/test_publication.py`` fails when a model field is in neither list.

Every reader of public data (API JSON and CSV, public pages, search, reports, webhooks, feeds)
starts from these two; none writes its own copy of a rule.
"""

import datetime
from dataclasses import dataclass, field

from django.db import models
from django.db.models import BooleanField, ExpressionWrapper, Max, Q, Value
from django.utils import timezone

#: Fields of the shared base (``TrackedModel``): public on every model that has them.
BOOKKEEPING = ("id", "created_at", "updated_at", "version")


@dataclass(frozen=True)
class Publication:
    """The public and the staff-only fields of one model.

    ``public`` and ``staff_only`` name model fields (foreign keys and many-to-many fields by
    their name). Bookkeeping fields (``id``, timestamps, ``version``) are public on every model
    and need not be listed. A multi-table child (Company) lists only its own fields; its
    parent's declaration covers the inherited ones.
    """

    public: tuple[str, ...]
    staff_only: dict[str, str] = field(default_factory=dict)

    def __post_init__(self):
        both = set(self.public) & set(self.staff_only)
        if both:
            raise ValueError(f"fields both public and staff-only: {sorted(both)}")


def publication_of(model) -> Publication:
    """The declaration of ``model``, with its multi-table parents' merged in."""
    model = model._meta.concrete_model
    own = model.__dict__.get("publication")
    if own is None:
        raise LookupError(f"{model._meta.label} declares no publication")
    public, staff = [], {}
    for parent in reversed(model._meta.get_parent_list()):
        inherited = publication_of(parent)
        public += [name for name in inherited.public if name not in public]
        staff.update(inherited.staff_only)
    public += [name for name in own.public if name not in public]
    staff.update(own.staff_only)
    return Publication(public=tuple(public), staff_only=staff)


def public_field_names(model, *, staff: bool = False) -> tuple[str, ...]:
    """Field names a caller may read: bookkeeping + public (+ staff-only for staff), in the
    model's field order."""
    declared = publication_of(model)
    allowed = set(declared.public) | set(BOOKKEEPING)
    if staff:
        allowed |= set(declared.staff_only)
    fields = [*model._meta.concrete_fields, *model._meta.many_to_many]
    return tuple(f.name for f in fields if f.name in allowed and not _is_parent_link(f))


def is_staff_only(model, name: str) -> bool:
    return name in publication_of(model).staff_only


def _is_parent_link(f) -> bool:
    return isinstance(f, models.OneToOneField) and f.remote_field.parent_link


def is_staff(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_staff)


# --- which rows ---------------------------------------------------------------------------------


def released_q(prefix: str, at: datetime.datetime, field_name: str = "embargo_until") -> Q:
    """Rows whose ``field_name`` (an embargo time) is empty or has passed at ``at``."""
    return Q(**{f"{prefix}{field_name}__isnull": True}) | Q(**{f"{prefix}{field_name}__lte": at})


class PublishedQuerySet(models.QuerySet):
    """Visibility: ``published(at)`` for the public, ``visible_to(user, at)`` for a caller.

    The base rule publishes every row; a model with a rule overrides ``published_q``. Models
    whose visibility changes with time (a press embargo) also override ``last_release``, so
    caches and ETags can tell when the public set of rows changed without any write.
    """

    def published_q(self, at: datetime.datetime, prefix: str = "") -> Q:
        """The condition for a row (reached through ``prefix``) to be public at ``at``."""
        return Q()

    def published(self, at: datetime.datetime | None = None):
        condition = self.published_q(at or timezone.now())
        return self.filter(condition) if condition else self.all()

    def with_publication(self, at: datetime.datetime | None = None):
        """Each row annotated ``is_published`` (the model's rule at ``at``), for staff screens
        that show what the public does not see yet."""
        condition = self.published_q(at or timezone.now())
        if not condition:
            return self.annotate(is_published=Value(True, output_field=BooleanField()))
        return self.annotate(is_published=ExpressionWrapper(condition, output_field=BooleanField()))

    def visible_to(self, user, at: datetime.datetime | None = None):
        """Every row for staff (they see embargoed records, marked as such); the public set
        for everyone else."""
        return self.all() if is_staff(user) else self.published(at)

    def last_release(self, at: datetime.datetime) -> datetime.datetime | None:
        """The latest moment up to ``at`` when a row of this model became public by the clock
        alone (no write), or None when time never changes this model's visibility."""
        return None


def _embargo_rule(prefix: str, at: datetime.datetime) -> Q:
    return released_q(prefix, at) & (
        Q(**{f"{prefix}parent__isnull": True}) | released_q(f"{prefix}parent__", at)
    )


class EmbargoQuerySet(PublishedQuerySet):
    """Rows with a press embargo (``embargo_until``) and an optional ``parent`` under the
    same rule: a row is public once its own embargo and its parent's have passed."""

    def published_q(self, at, prefix=""):
        return _embargo_rule(prefix, at)

    def last_release(self, at):
        return (
            self.model._base_manager.filter(embargo_until__lte=at)
            .aggregate(latest=Max("embargo_until"))
            .get("latest")
        )


def embargo_q(at: datetime.datetime, prefix: str) -> Q:
    """The embargo rule applied through a relation (``prefix`` ends with ``__``), for rows
    that belong to an embargoed record (an event's agenda, participants, awards)."""
    return _embargo_rule(prefix, at)


PublicManager = models.Manager.from_queryset(PublishedQuerySet)


def release_stamp(models_, at: datetime.datetime | None = None) -> str:
    """Changes exactly when the clock makes a row of ``models_`` public (an embargo lifts):
    part of every cache key and ETag of data that embargoes hide."""
    at = at or timezone.now()
    stamps = []
    for model in models_:
        manager = model._default_manager
        if hasattr(manager, "last_release"):
            latest = manager.last_release(at)
            if latest is not None:
                stamps.append(latest.isoformat())
    return max(stamps, default="")


def released_between(model, since: datetime.datetime, until: datetime.datetime):
    """Rows of ``model`` that the clock alone made public between ``since`` and ``until`` (an
    embargo lifted): public at ``until``, not public at ``since``. Empty for models whose
    visibility does not depend on time. Channels that announce new records (webhooks, the
    changes feed) announce these as created at their release."""
    manager = model._default_manager
    before, after = manager.published_q(since), manager.published_q(until)
    if before == after:
        return manager.none()
    return manager.filter(after).exclude(pk__in=manager.filter(before).values("pk"))
