from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "results"
    verbose_name = _("실적 보고")

    def ready(self):
        from core.demo import AFTER_LOAD

        from .progress import refresh_everything

        AFTER_LOAD.append(refresh_everything)
