from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    """Staff workflows on top of every domain app: roles, region assignments, import jobs,
    data-quality review. It sits at the top of the dependency order (it may import any app;
    nothing imports it)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "staff"
    verbose_name = _("직원 업무")

    def ready(self):
        from django.db.models.signals import post_migrate

        post_migrate.connect(_sync_roles_after_migrate, sender=self)


def _sync_roles_after_migrate(sender, **kwargs):
    """Keep the role groups' permissions complete when later migrations add models."""
    from django.contrib.auth.models import Group, Permission

    from .roles import sync_role_groups

    sync_role_groups(Group, Permission)
