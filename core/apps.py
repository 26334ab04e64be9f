from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("기본 정보")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The search index follows every tracked write (admin, API, imports, bulk paths, shell):
        # simple-history's signal is the one place all of them pass. Cross-cutting, like the
        # webhooks' listener; the domain flow stays explicit.
        from django.db.models.signals import post_migrate
        from simple_history.signals import post_create_historical_record

        from . import lookups  # noqa: F401  (registers the ``__any`` lookup)

        post_create_historical_record.connect(
            _search_record_changed, dispatch_uid="core.search.record_changed"
        )
        # Rows a data migration writes (the 17 regions of core/0002) pass no signal and come
        # before the index exists: after every ``migrate`` they get their documents.
        post_migrate.connect(
            _search_index_missing, sender=self, dispatch_uid="core.search.index_missing"
        )


def _search_index_missing(sender, using, plan=None, **kwargs):
    from django.db import DEFAULT_DB_ALIAS, connections

    from .search import SearchDocument, index_missing

    if using != DEFAULT_DB_ALIAS:
        return  # the index lives in the default database
    if SearchDocument._meta.db_table not in connections[using].introspection.table_names():
        return  # migrated back to before core/0005
    index_missing()


def _search_record_changed(sender, instance, history_instance, **kwargs):
    import logging

    from django.conf import settings
    from django.db import transaction

    from .search import record_changed

    if not getattr(settings, "SEARCH_INDEX_ON_SAVE", True):
        return
    try:
        # A savepoint: an indexing failure never undoes or blocks the write itself (the
        # nightly rebuild_search_index repairs the document).
        with transaction.atomic():
            record_changed(instance, deleted=history_instance.history_type == "-")
    except Exception:
        logging.getLogger("core.search").exception(
            "search index not updated for %s #%s", instance._meta.label, instance.pk
        )
