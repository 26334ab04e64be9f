"""Roles: the data migration's groups and their permissions; create_staff_user."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from core.scoping import ROLE_GROUPS, restricted_region_ids
from staff.models import StaffProfile

pytestmark = pytest.mark.django_db


def perms_of(role: str) -> set[str]:
    group = Group.objects.get(name=ROLE_GROUPS[role])
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }


def test_the_migration_created_the_four_role_groups():
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "관리자",
        "중기부 편집자",
        "지역 편집자",
        "열람자",
    }


def test_administrator_holds_every_permission():
    assert {"auth.change_user", "auth.change_group", "companies.delete_company"} <= perms_of(
        "administrator"
    )


def test_ministry_editor_changes_every_record_but_no_accounts():
    perms = perms_of("ministry-editor")
    assert {
        "programs.change_program",
        "programs.change_budgetline",
        "companies.delete_company",
        "events.add_event",
        "indicators.change_observation",
        "staff.add_importjob",
    } <= perms
    assert "auth.change_user" not in perms
    assert "core.change_region" not in perms


def test_regional_editor_changes_regional_records_and_reads_the_rest():
    perms = perms_of("regional-editor")
    assert {
        "companies.change_company",
        "programs.change_participation",
        "programs.change_hub",
        "programs.change_regionalparticipation",
        "events.change_event",
        "events.change_agendaitem",
        "programs.view_program",
        "core.add_source",
    } <= perms
    assert not {"programs.change_program", "core.change_source", "auth.view_user"} & perms


def test_viewer_only_views():
    perms = perms_of("viewer")
    assert "programs.view_program" in perms
    assert {p.split(".")[1].split("_")[0] for p in perms} == {"view"}


def test_create_staff_user_creates_a_regional_editor(monkeypatch, capsys):
    monkeypatch.setenv("DJANGO_STAFF_PASSWORD", "from-the-env-123")
    # when
    call_command(
        "create_staff_user",
        "--username",
        "busan",
        "--role",
        "regional-editor",
        "--region",
        "26",
        "--region",
        "48",
    )
    # then
    user = get_user_model().objects.get(username="busan")
    assert user.is_staff and not user.is_superuser
    assert user.check_password("from-the-env-123")
    assert [g.name for g in user.groups.all()] == ["지역 편집자"]
    assert sorted(user.staff_profile.regions.values_list("code", flat=True)) == ["26", "48"]
    assert restricted_region_ids(user) == frozenset(
        user.staff_profile.regions.values_list("id", flat=True)
    )
    assert "created: busan" in capsys.readouterr().out


def test_create_staff_user_updates_an_existing_account(monkeypatch):
    monkeypatch.delenv("DJANGO_STAFF_PASSWORD", raising=False)
    call_command(
        "create_staff_user",
        "--username",
        "kim",
        "--role",
        "regional-editor",
        "--region",
        "48",
        "--no-input",
    )
    user = get_user_model().objects.get(username="kim")
    password_hash = user.password
    # when promoted to ministry editor
    call_command(
        "create_staff_user", "--username", "kim", "--role", "ministry-editor", "--no-input"
    )
    # then: one account, new role, no regions, password kept
    user.refresh_from_db()
    assert get_user_model().objects.filter(username="kim").count() == 1
    assert [g.name for g in user.groups.all()] == ["중기부 편집자"]
    assert StaffProfile.objects.get(user=user).regions.count() == 0
    assert user.password == password_hash


def test_no_input_prints_a_generated_password_once(monkeypatch, capsys):
    monkeypatch.delenv("DJANGO_STAFF_PASSWORD", raising=False)
    call_command("create_staff_user", "--username", "lee", "--role", "viewer", "--no-input")
    out = capsys.readouterr().out
    password = out.split("Generated password (shown only once): ")[1].strip()
    assert get_user_model().objects.get(username="lee").check_password(password)


def test_password_prompt_is_used_when_interactive(monkeypatch):
    monkeypatch.delenv("DJANGO_STAFF_PASSWORD", raising=False)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "typed-password-123")
    call_command("create_staff_user", "--username", "park", "--role", "administrator")
    assert get_user_model().objects.get(username="park").check_password("typed-password-123")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "regional-editor"], "needs at least one --region"),
        (["--role", "regional-editor", "--region", "99"], "Unknown region(s): 99."),
        (["--role", "viewer", "--region", "48"], "regional-editor role only"),
    ],
)
def test_create_staff_user_refuses_bad_arguments(monkeypatch, args, message):
    monkeypatch.setenv("DJANGO_STAFF_PASSWORD", "x-123456789")
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call_command("create_staff_user", "--username", "bad", *args)
    assert not get_user_model().objects.filter(username="bad").exists()
