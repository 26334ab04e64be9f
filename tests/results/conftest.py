"""Fixtures of the results tests: one account per role, a regional and a program-level target
with half-yearly periods over 2025–2026."""

import datetime
from decimal import Decimal

import pytest

from core.models import Region
from core.scoping import MINISTRY_EDITOR, REGIONAL_EDITOR, VIEWER
from programs.models import ReportingSchedule, Target
from results import services
from tests import factories as f
from tests.staff.conftest import make_staff

START, END = datetime.date(2025, 1, 1), datetime.date(2026, 12, 31)


@pytest.fixture
def gyeongnam(db) -> Region:
    return Region.objects.get(code="48")


@pytest.fixture
def busan(db) -> Region:
    return Region.objects.get(code="26")


@pytest.fixture
def regional(db):
    user = make_staff("gyeongnam", REGIONAL_EDITOR, ["48"])
    user.email = "gyeongnam@example.go.kr"
    user.save()
    return user


@pytest.fixture
def busan_editor(db):
    return make_staff("busan", REGIONAL_EDITOR, ["26"])


@pytest.fixture
def ministry(db):
    user = make_staff("ministry", MINISTRY_EDITOR)
    user.email = "ministry@example.go.kr"
    user.save()
    return user


@pytest.fixture
def ministry2(db):
    return make_staff("ministry2", MINISTRY_EDITOR)


@pytest.fixture
def viewer(db):
    return make_staff("viewer", VIEWER)


@pytest.fixture
def program(db):
    return f.ProgramFactory(
        slug="region-led",
        name="지역 주도형 AI 대전환사업",
        planned_start=START,
        planned_end=END,
        reporting_schedule=ReportingSchedule.HALF_YEARLY,
    )


@pytest.fixture
def rp(program, gyeongnam):
    return f.RegionalParticipationFactory(program=program, region=gyeongnam)


@pytest.fixture
def target(rp):
    """경남: 30 SMEs by open call (cumulative), half-yearly periods 2025–2026."""
    target = f.TargetFactory(
        program=None,
        regional_participation=rp,
        metric="맞춤형 AI 솔루션 지원 중소기업",
        unit="개사",
        comparator=Target.Comparator.EQ,
        target_value=Decimal("30"),
        aggregation=Target.Aggregation.SUM,
    )
    services.periods_generate(target=target)
    return target


def period(target, start: datetime.date):
    return target.periods.get(start=start)


H1_2025, H2_2025 = datetime.date(2025, 1, 1), datetime.date(2025, 7, 1)
H1_2026, H2_2026 = datetime.date(2026, 1, 1), datetime.date(2026, 7, 1)
