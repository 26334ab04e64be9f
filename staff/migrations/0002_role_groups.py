"""Create the four staff role groups with their model permissions (see staff/roles.py)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def create_role_groups(apps, schema_editor):
    # Permissions are normally created after all migrations (post_migrate); create them now so
    # the groups can be filled on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    from staff.roles import sync_role_groups

    sync_role_groups(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def remove_role_groups(apps, schema_editor):
    from core.scoping import ROLE_GROUPS

    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_GROUPS.values()).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("staff", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0002_load_regions"),
        ("companies", "0001_initial"),
        ("programs", "0001_initial"),
        ("events", "0002_initial"),
        ("indicators", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_role_groups, remove_role_groups)]
