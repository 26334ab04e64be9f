from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    """Staff workflows on top of every domain app: roles, region assignments, import jobs,
    data-quality review. It sits at the top of the dependency order (it may import any app;
    only the data-quality mail in ``reports`` reads its ``selectors``)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "staff"
    verbose_name = _("직원 업무")

    def ready(self):
        from django.apps import apps
        from django.db.models.signals import post_migrate

        post_migrate.connect(_sync_roles_after_migrate, sender=self)
        from . import selectors  # noqa: F401  (registers the admin's "데이터 품질" filter)

        # django-axes names its admin section after its label ("Axes"), with no translation.
        if apps.is_installed("axes"):
            apps.get_app_config("axes").verbose_name = _("로그인 보호")


def _sync_roles_after_migrate(sender, **kwargs):
    """Keep the role groups' permissions complete when later migrations add models."""
    from django.contrib.auth.models import Group, Permission

    from .roles import sync_role_groups

    sync_role_groups(Group, Permission)
