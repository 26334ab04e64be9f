from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "webhooks"
    verbose_name = _("웹훅")

    def ready(self):
        # The one place where "a public record changed" is noticed: simple-history's
        # post_create_historical_record, sent for every tracked create/update/delete made by
        # the admin, the API, importers and shell code alike. See webhooks/services.py.
        from simple_history.signals import post_create_historical_record

        from .services import record_changed

        post_create_historical_record.connect(
            record_changed, dispatch_uid="webhooks.record_changed"
        )
