"""The admin reads Korean throughout: third-party sections, stock strings without broken
particles, revert with its reason, one datetime format."""

import glob
import re
from pathlib import Path

import django
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from django.urls import reverse
from django.utils import translation

from core.models import Source
from programs.models import BudgetLine
from tests import factories

from .conftest import change_form_data

SITE = Path(django.__file__).parent.parent
KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
}
TEMPLATE_STRING = re.compile(r"""\{%\s*(?:trans|translate)\s+(["'])(.+?)\1""")
TEMPLATE_BLOCK = re.compile(
    r"\{%\s*(?:blocktrans|blocktranslate)\b[^%]*%\}(.*?)\{%\s*(?:endblocktrans|endblocktranslate|plural)",
    re.S,
)
# Strings staff never read (the package's own development messages) would also pass; these
# read the same in Korean on purpose.
SAME_IN_KOREAN = {"Yes", "No"}


def package_strings(package: str) -> set[str]:
    """Every translatable string of an installed package: Python sources and templates."""
    found = set()
    for filename, _line, message, _comments, context in extract_from_dir(
        SITE / package, method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        if "migrations" in filename or "/tests" in filename or context:
            continue
        found.add(message if isinstance(message, str) else message[0])
    for template in glob.glob(str(SITE / package / "**" / "*.html"), recursive=True):
        text = Path(template).read_text()
        found |= {m.group(2) for m in TEMPLATE_STRING.finditer(text)}
        for block in TEMPLATE_BLOCK.finditer(text):
            found.add(re.sub(r"\{\{\s*(\w+)[^}]*\}\}", r"%(\1)s", block.group(1)).strip())
    return found - SAME_IN_KOREAN


@pytest.mark.parametrize(
    "package", ["simple_history", "import_export", "axes", "django_celery_beat"]
)
def test_every_string_of_the_third_party_admin_sections_reads_korean(package):
    with translation.override("ko"):
        english = sorted(s for s in package_strings(package) if translation.gettext(s) == s)
    assert english == []


BROKEN_PARTICLE = re.compile(
    r"은/는|는/은|이/가|가/이|을/를|를/을|와/과|과/와|\((을|를|은|는|이|가|으)\)"
)


def test_no_stock_korean_string_shows_a_particle_placeholder():
    catalogues = [
        SITE / "django/conf/locale/ko/LC_MESSAGES/django.po",
        SITE / "django/contrib/admin/locale/ko/LC_MESSAGES/django.po",
        SITE / "django/contrib/auth/locale/ko/LC_MESSAGES/django.po",
        SITE / "django/contrib/contenttypes/locale/ko/LC_MESSAGES/django.po",
        SITE / "import_export/locale/ko/LC_MESSAGES/django.po",
    ]
    broken = []
    with translation.override("ko"):
        for path in catalogues:
            with path.open("rb") as handle:
                for message in read_po(handle):
                    if not message.id or isinstance(message.id, tuple) or message.context:
                        continue
                    if BROKEN_PARTICLE.search(translation.gettext(message.id)):
                        broken.append(message.id)
    assert broken == []


@pytest.mark.parametrize(
    ("msgid", "korean"),
    [
        (
            "Please enter the correct %(username)s and password for a staff account. "
            "Note that both fields may be case-sensitive.",
            "직원 계정의 사용자 이름과 비밀번호를 입력해 주세요. 두 칸 모두 대소문자를 구분합니다.",
        ),
        ("Select %s to view", "볼 %s 선택"),
        ("Revert", "이 버전으로 되돌리기"),
        ("This exporter will export the following fields: ", "다음 항목을 내보냅니다: "),
        ("Periodic Tasks", "예약 작업"),
        ("clocked", "지정 시각"),
        ("access attempts", "로그인 시도"),
    ],
)
def test_korean_overrides(msgid, korean):
    with translation.override("ko"):
        assert translation.gettext(msgid) == korean


def test_the_index_names_the_third_party_sections_in_korean(client, superuser):
    client.force_login(superuser)
    body = client.get(reverse("admin:index")).content.decode()
    for korean in [
        "로그인 보호",
        "로그인 시도",
        "로그인 실패",
        "로그인 기록",
        "예약 작업",
        "지정 시각",
        "크론 일정",
        "반복 간격",
        "해·달 기준 일정",
    ]:
        assert korean in body, korean
    for english in [
        "Axes",
        "AXES",
        "Clocked",
        "Crontabs",
        "Intervals",
        "Periodic tasks",
        "Solar events",
        "Access attempts",
        "(들)",
    ]:
        assert english not in body, english


def test_the_schedule_list_reads_cron_lines_in_korean(client, superuser):
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    crontab = CrontabSchedule.objects.create(minute="30", hour="6", timezone="Asia/Seoul")
    PeriodicTask.objects.create(
        name="시험 작업", task="reports.tasks.reminders_send", crontab=crontab
    )
    client.force_login(superuser)
    body = client.get(reverse("admin:django_celery_beat_periodictask_changelist")).content.decode()
    assert "매일 06:30 (크론 30 6 * * *, Asia/Seoul)" in body
    assert "작업 이름 기준" in body
    assert "Scheduler" not in body and "Task Name" not in body


def test_the_export_page_is_korean(client, superuser):
    client.force_login(superuser)
    body = client.get(reverse("admin:programs_budgetline_export")).content.decode()
    assert "다음 항목을 내보냅니다:" in body
    assert "This exporter" not in body


def test_revert_asks_for_its_reason_and_records_it(client, superuser):
    client.force_login(superuser)
    line = factories.BudgetLineFactory(amount_krw=35_000_000_000)
    change = reverse("admin:programs_budgetline_change", args=[line.pk])
    data = change_form_data(client.get(change))
    data["amount_krw"] = "2,340조"
    data["_confirm_amounts"] = "1"
    assert client.post(change, data).status_code == 302
    first = line.history.order_by("history_id").first()
    revert = reverse("admin:programs_budgetline_simple_history", args=[line.pk, first.history_id])

    page = client.get(revert)
    body = page.content.decode()
    assert "되돌리는 이유" in body
    assert "되돌리기: 버전 1" in body  # breadcrumbs in Korean
    assert ">사업</a>" in body and ">예산</a>" in body and "Historical" not in body
    assert "Revert" not in body

    data = change_form_data(page)
    refused = client.post(revert, data)
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["revert_reason"] == [
        "되돌리는 이유를 적어 주세요."
    ]
    assert BudgetLine.objects.get(pk=line.pk).amount_krw == 2340 * 10**12

    data["revert_reason"] = "자릿수 실수"
    assert client.post(revert, data).status_code == 302
    line.refresh_from_db()
    assert (line.amount_krw, line.version) == (35_000_000_000, 3)
    assert (
        line.history.latest("history_date").history_change_reason == "되돌리기(버전 1): 자릿수 실수"
    )


def test_datetimes_read_one_way(client, superuser):
    import datetime

    from django.utils.formats import date_format

    moment = datetime.datetime(
        2026, 3, 5, 14, 7, tzinfo=datetime.timezone(datetime.timedelta(hours=9))
    )
    with translation.override("ko"):
        assert date_format(moment, "DATETIME_FORMAT") == "2026년 3월 5일 14:07"
        assert date_format(moment.date(), "DATE_FORMAT") == "2026년 3월 5일"
    client.force_login(superuser)
    source = factories.SourceFactory()
    Source.objects.filter(pk=source.pk).update(updated_at=moment, published_at=moment)
    body = client.get(reverse("admin:core_source_change", args=[source.pk])).content.decode()
    assert '<div class="readonly">2026년 3월 5일 14:07</div>' in body
    listing = client.get(reverse("admin:core_source_changelist")).content.decode()
    assert "2026년 3월 5일 14:07" in listing
    assert "오후" not in body and "오전" not in body
