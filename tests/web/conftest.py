"""Fixtures of the public-page tests: the demo data set and a world that grows on demand."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction

from core.models import Region
from events.models import SEOUL
from tests.factories import (
    AgendaItemFactory,
    AwardFactory,
    BudgetLineFactory,
    CompanyFactory,
    EventFactory,
    EventOrganizationFactory,
    EventParticipantFactory,
    HubFactory,
    ObservationFactory,
    OrganizationFactory,
    OutcomeFactory,
    ParticipationFactory,
    ProgramFactory,
    ProgramOrganizationFactory,
    RegionalParticipationFactory,
    SourceFactory,
    StatisticSeriesFactory,
    TargetFactory,
    approved_result,
)


@pytest.fixture(scope="module")
def demo_module(django_db_setup, django_db_blocker):
    """The demo data set (demo/*.yaml), loaded once per test module inside a transaction rolled back at the
    end of the module (each test runs in its own savepoint inside it, as with ``db``)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("load_demo", verbosity=0)
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def demo(demo_module, db):
    """The demo data set for one test (changes a test makes are rolled back after it)."""


class World:
    """One program, region, company and event whose related rows grow by ``grow(n)``.

    Every page type reads a different slice of it; the query-count tests load a page with 2
    rows of everything and again with 20 and expect the same number of queries.
    """

    def __init__(self):
        self.region = Region.objects.get(code="48")
        # The page's own region first, so it has a full participation from the first row on.
        self.regions = [self.region, *Region.objects.exclude(code="48").order_by("code")]
        self.program = ProgramFactory(slug="world-program", name="세계 사업")
        self.company = CompanyFactory(name="세계 제조", region=self.region)
        self.event = EventFactory(slug="world-event", region=self.region)
        self.series = StatisticSeriesFactory(slug="world-series")
        self.count = 0
        self.rp_regions = 0

    def grow(self, n: int):
        for _ in range(n):
            self.count += 1
            i = self.count
            source = SourceFactory()
            other = ProgramFactory(name=f"세계 연계 사업 {i}")
            BudgetLineFactory(program=self.program, source=source, amount_krw=i * 10**9)
            BudgetLineFactory(program=other, source=source)
            ProgramOrganizationFactory(program=self.program, organization=OrganizationFactory())
            self.program.sources.add(source)
            self.program.related.add(other)
            ProgramFactory(name=f"세계 하위 사업 {i}", parent=self.program)
            if self.rp_regions < len(self.regions):  # one participation per region at most
                region = self.regions[self.rp_regions]
                self.rp_regions += 1
                rp = RegionalParticipationFactory(
                    program=self.program, region=region, strategy_title=f"전략 {i}"
                )
                rp.sources.add(source)
                rp.linked_programs.add(other)
                hub = HubFactory(region=region)
                hub.sources.add(source)
                rp.hubs.add(hub)
                target = TargetFactory(program=None, regional_participation=rp, source=source)
                approved_result(target, datetime.date(2025, 6, 30), 10, source=source)
                RegionalParticipationFactory(program=other, region=self.region)
            target = TargetFactory(program=self.program, source=source)
            approved_result(target, datetime.date(2025, 6, 30), Decimal(i))
            company = CompanyFactory(region=self.region)
            participation = ParticipationFactory(
                program=self.program, company=company, consent_to_publish=True
            )
            OutcomeFactory(participation=participation, company=company, source=source)
            supplied = ParticipationFactory(
                program=other,
                company=self.company,
                supplier=company,
                consent_to_publish=bool(i % 2),
            )
            OutcomeFactory(participation=supplied, company=self.company, source=source)
            ParticipationFactory(program=ProgramFactory(), company=company, supplier=self.company)
            award_event = EventFactory(
                region=self.region,
                starts_at=datetime.datetime(2025, 6, 1 + i % 28, 10, tzinfo=SEOUL),
            )
            award = AwardFactory(
                program=self.program, recipient_company=self.company, event=self.event
            )
            award.outcomes.add(OutcomeFactory(participation=None, company=self.company))
            award.sources.add(source)
            AwardFactory(program=other, event=award_event)
            side = EventFactory(
                parent=self.event, starts_at=self.event.starts_at, region=self.region
            )
            side.programs.add(self.program)
            AgendaItemFactory(event=side, order=1)  # shown on the main event's page
            AwardFactory(program=other, event=side, recipient_company=company).sources.add(source)
            self.event.programs.add(other)
            self.event.sources.add(source)
            award_event.programs.add(self.program)
            EventFactory(
                starts_at=datetime.datetime(2099, 1, 1 + i % 28, 10, tzinfo=SEOUL),
                region=self.region,
            )
            AgendaItemFactory(event=self.event, order=i)
            EventParticipantFactory(event=self.event, role="speaker", order=i)
            EventParticipantFactory(event=self.event, person=None, organization=company)
            EventOrganizationFactory(event=self.event, organization=OrganizationFactory())
            series = StatisticSeriesFactory(source=source)
            for period in ("2017", "2023"):
                ObservationFactory(series=series, segment=f"구분 {i}", period=period)
                ObservationFactory(series=self.series, segment=f"구분 {i}", period=period)
        return self


@pytest.fixture
def world(db):
    return World()
