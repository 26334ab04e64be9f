from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    """The public pages that draw on every domain app (home, program, region, company,
    search); later public channels (feeds, calendars, widgets) live here too."""

    name = "public"
    verbose_name = _("공개 사이트")
    default_auto_field = "django.db.models.BigAutoField"
