"""create_staff_user: Django's password validators, regions by code or name, existing accounts."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from staff.models import StaffProfile

pytestmark = pytest.mark.django_db


def regions_of(username: str) -> list[str]:
    user = get_user_model().objects.get(username=username)
    return sorted(StaffProfile.objects.get(user=user).regions.values_list("code", flat=True))


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        (
            "1234",
            "이 비밀번호는 너무 짧습니다. 최소 8자 이상이어야 합니다. "
            "너무 흔히 사용되는 비밀번호입니다. 비밀번호가 전부 숫자로 되어 있습니다.",
        ),
        ("password1", "너무 흔히 사용되는 비밀번호입니다."),
        ("9283746501", "비밀번호가 전부 숫자로 되어 있습니다."),
        ("gyeongnam-1", "비밀번호가 ‘사용자 이름’ 항목과 너무 비슷합니다."),
    ],
)
def test_a_weak_password_is_refused_and_nothing_is_saved(monkeypatch, password, reason):
    monkeypatch.setenv("DJANGO_STAFF_PASSWORD", password)
    with pytest.raises(CommandError, match="DJANGO_STAFF_PASSWORD was refused") as error:
        call_command(
            "create_staff_user", "--username", "gyeongnam", "--role", "regional-editor",
            "--region", "48",
        )  # fmt: skip
    assert str(error.value) == f"DJANGO_STAFF_PASSWORD was refused, nothing was saved: {reason}"
    assert not get_user_model().objects.filter(username="gyeongnam").exists()


def test_a_weak_password_for_an_existing_account_keeps_the_old_one(monkeypatch):
    monkeypatch.setenv("DJANGO_STAFF_PASSWORD", "Gyeong-nam-2026")
    call_command("create_staff_user", "--username", "lee", "--role", "viewer")
    monkeypatch.setenv("DJANGO_STAFF_PASSWORD", "1234")
    with pytest.raises(CommandError, match="refused"):
        call_command("create_staff_user", "--username", "lee", "--role", "viewer")
    assert get_user_model().objects.get(username="lee").check_password("Gyeong-nam-2026")


def test_a_weak_typed_password_is_refused(monkeypatch):
    monkeypatch.delenv("DJANGO_STAFF_PASSWORD", raising=False)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "1234")
    with pytest.raises(CommandError, match="The password was refused"):
        call_command("create_staff_user", "--username", "park", "--role", "administrator")
    assert not get_user_model().objects.filter(username="park").exists()


@pytest.mark.parametrize("region", ["48", "경상남도", "경남", " 경남 "])
def test_region_by_code_name_or_short_name(monkeypatch, region):
    monkeypatch.setenv("DJANGO_STAFF_PASSWORD", "Gyeong-nam-2026")
    call_command(
        "create_staff_user", "--username", "gn", "--role", "regional-editor", "--region", region
    )
    assert regions_of("gn") == ["48"]


def test_several_regions_in_any_form_once_each(monkeypatch, capsys):
    monkeypatch.setenv("DJANGO_STAFF_PASSWORD", "Busan-ulsan-2026")
    call_command(
        "create_staff_user", "--username", "bu", "--role", "regional-editor",
        "--region", "울산", "--region", "부산광역시", "--region", "26",
    )  # fmt: skip
    assert regions_of("bu") == ["26", "31"]
    assert "created: bu role: regional-editor regions: 26, 31" in capsys.readouterr().out


def test_an_unknown_region_lists_the_known_ones(monkeypatch):
    monkeypatch.setenv("DJANGO_STAFF_PASSWORD", "Gyeong-nam-2026")
    with pytest.raises(CommandError) as error:
        call_command(
            "create_staff_user",
            "--username",
            "x",
            "--role",
            "regional-editor",
            "--region",
            "경북남",
        )
    message = str(error.value)
    assert message.startswith("Unknown region(s): 경북남. Use a code, name or short name: ")
    assert "48 경상남도 (경남)" in message
    assert not get_user_model().objects.filter(username="x").exists()


def test_help_lists_the_regions(capsys):
    with pytest.raises(SystemExit):
        call_command("create_staff_user", "--help")
    out = " ".join(capsys.readouterr().out.split())
    assert "region by code, name or short name (48, 경상남도, 경남)" in out
    assert "11 서울특별시 (서울)" in out
    assert "48 경상남도 (경남)" in out
    assert "changepassword" in out


def test_an_existing_account_is_told_how_to_reset_its_password(monkeypatch, capsys):
    monkeypatch.setenv("DJANGO_STAFF_PASSWORD", "Gyeong-nam-2026")
    call_command("create_staff_user", "--username", "gn", "--role", "viewer")
    monkeypatch.delenv("DJANGO_STAFF_PASSWORD")
    capsys.readouterr()
    # when: run again without a password
    call_command("create_staff_user", "--username", "gn", "--role", "viewer", "--no-input")
    # then: no traceback, the old password kept, and the way to reset it
    out = capsys.readouterr().out
    assert "Staff account updated: gn role: viewer" in out
    assert "python manage.py changepassword gn" in out
    assert get_user_model().objects.get(username="gn").check_password("Gyeong-nam-2026")


def test_an_invalid_username_is_an_error_not_a_traceback(monkeypatch):
    monkeypatch.setenv("DJANGO_STAFF_PASSWORD", "Gyeong-nam-2026")
    with pytest.raises(CommandError, match="Invalid username"):
        call_command("create_staff_user", "--username", "김 담당", "--role", "viewer")
    assert not get_user_model().objects.exists()
