"""Fixtures of the staff-workflow tests: one account per role, regions, admin form helpers."""

import datetime
import decimal

import pytest
from django.contrib.auth.models import Group
from django.db.models import Model

from core.models import Region
from core.scoping import (
    ADMINISTRATOR,
    MINISTRY_EDITOR,
    REGIONAL_EDITOR,
    ROLE_GROUPS,
    VIEWER,
)
from staff.models import StaffProfile

PASSWORD = "staff-pass-1234"
OWN_REGION = "48"  # 경상남도: the regional editor's region
OTHER_REGION = "26"  # 부산광역시


@pytest.fixture
def own_region(db) -> Region:
    return Region.objects.get(code=OWN_REGION)


@pytest.fixture
def other_region(db) -> Region:
    return Region.objects.get(code=OTHER_REGION)


def make_staff(username: str, role: str | None, region_codes=()):
    """A staff account in the role's group (the groups come from the data migration)."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(username, password=PASSWORD, is_staff=True)
    if role is not None:
        user.groups.add(Group.objects.get(name=ROLE_GROUPS[role]))
    profile = StaffProfile.objects.create(user=user)
    profile.regions.set(Region.objects.filter(code__in=region_codes))
    return user


@pytest.fixture
def regional_editor(db):
    return make_staff("gyeongnam", REGIONAL_EDITOR, [OWN_REGION])


@pytest.fixture
def ministry_editor(db):
    return make_staff("ministry", MINISTRY_EDITOR)


@pytest.fixture
def viewer(db):
    return make_staff("viewer", VIEWER)


@pytest.fixture
def administrator(db):
    return make_staff("administrator", ADMINISTRATOR)


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.org", PASSWORD)


@pytest.fixture
def users(regional_editor, ministry_editor, viewer, administrator):
    return {
        "regional": regional_editor,
        "ministry": ministry_editor,
        "viewer": viewer,
        "administrator": administrator,
    }


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path, monkeypatch):
    """Uploaded import files go to a temporary MEDIA_ROOT and private folder."""
    from django.core.files.storage import FileSystemStorage

    from staff.models import ImportJob

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    private = FileSystemStorage(location=tmp_path / "private", base_url="/no-public-url/")
    monkeypatch.setattr(ImportJob._meta.get_field("file"), "storage", private)


# --- admin form helpers ---------------------------------------------------------------------


def _put(data: dict, key: str, value) -> None:
    if value is None:
        return
    if isinstance(value, bool):
        if value:
            data[key] = "on"
        return
    if isinstance(value, Model):
        data[key] = str(value.pk)
    elif isinstance(value, list | tuple):
        data[key] = [str(v.pk if isinstance(v, Model) else v) for v in value]
    elif isinstance(value, datetime.datetime):
        local = value.astimezone(datetime.timezone(datetime.timedelta(hours=9)))
        data[f"{key}_0"] = local.date().isoformat()
        data[f"{key}_1"] = local.strftime("%H:%M:%S")
    elif isinstance(value, datetime.date):
        data[key] = value.isoformat()
    elif isinstance(value, decimal.Decimal | int | float):
        data[key] = str(value)
    else:
        data[key] = value


def _form_values(form, data: dict) -> None:
    for name in form.fields:
        _put(data, form.add_prefix(name), form[name].value())


def change_form_data(response) -> dict:
    """The POST data that resubmits an admin change/add page exactly as it was rendered."""
    data: dict = {}
    _form_values(response.context["adminform"].form, data)
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        _form_values(formset.management_form, data)
        for form in formset.forms:
            _form_values(form, data)
    return data
