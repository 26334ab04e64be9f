"""Scaled data set for the API benchmark, written to PostgreSQL with COPY.

On top of the demo records (``load_demo``), at full scale (:data:`FULL`): 20,000 companies (an
Organization row and a Company row each — Company is a multi-table child), 60,000
participations (20,000 of them in the flagship program), 2,000 events with 6 agenda items, 2
host organizations, 3 participants and a related program each, 500 awards, 100 extra programs;
and the flagship program (지역 주도형 AI 대전환사업) grown to all 17 regions with hubs, targets
with approved results, 40 budget lines, related and child programs — so its detail and summary have real
weight. :data:`SMALL` is the same shape at a hundredth of the rows (the payload test in
``tests/benchmarks``).

The columns come from the models, not from a list here: each table is written with every
concrete column of its model (``_meta.local_concrete_fields``). A row names the values that
matter to the benchmark; every other column gets its model default, NULL where it may be null,
"" for optional text, and otherwise a value generated from its type — so a column added to a
model later is filled without touching this file. What cannot be generated (a required foreign
key, a unique column) raises :class:`MissingColumn`, and a row naming a column the model no
longer has raises too; the payload test runs this generator, so either fails in CI.

Deterministic (fixed seed). Run through ``python -m benchmarks.run`` (``make bench``).
"""

import dataclasses
import datetime
import random
import zoneinfo
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.db import connection, models

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")
BRN_WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)
FLAGSHIP = "region-led-ai-transformation"
NOW = datetime.datetime(2026, 11, 1, 9, 0, tzinfo=SEOUL)


@dataclass(frozen=True)
class Scale:
    """How many rows of each kind the generator adds."""

    companies: int = 20_000
    participations_per_company: int = 3
    events: int = 2_000
    agenda_per_event: int = 6
    extra_programs: int = 100  # at least 15: 5 children and 10 related programs of the flagship
    awards: int = 500

    def times(self, factor: float) -> "Scale":
        """This scale with every row count multiplied by ``factor`` (a moderate run: 0.5)."""
        if factor == 1:
            return self
        return dataclasses.replace(
            self,
            companies=max(100, round(self.companies * factor)),
            events=max(20, round(self.events * factor)),
            extra_programs=max(15, round(self.extra_programs * factor)),
            awards=max(5, round(self.awards * factor)),
        )

    def describe(self) -> str:
        return (
            f"{self.companies:,} companies, "
            f"{self.companies * self.participations_per_company:,} participations, "
            f"{self.events:,} events with {self.events * self.agenda_per_event:,} agenda items"
        )


FULL = Scale()
SMALL = Scale(companies=200, events=120, extra_programs=20, awards=10)

PREFIXES = (
    "한국",
    "대한",
    "동양",
    "서울",
    "부산",
    "경남",
    "대구",
    "창원",
    "울산",
    "제주",
    "광주",
    "세종",
)
TRADES = ("정밀", "기계", "전자", "화학", "소재", "로보틱스", "모빌리티", "바이오", "식품", "섬유")
SUFFIXES = ("주식회사", "(주)", "산업", "테크", "엔지니어링")
INDUSTRIES = ("자동차 부품", "금속 가공", "전자 부품", "화학 제품", "식료품", "섬유", "기계 장비")
SIZES = ("micro", "small", "small", "medium", "medium", "midsize")
STATUSES = ("applied", "selected", "selected", "in_progress", "in_progress", "completed", "dropped")
EVENT_KINDS = (
    "conference",
    "roundtable",
    "council_meeting",
    "debate",
    "ir",
    "exhibition",
    "training",
)


def check_digit(first_nine: str) -> int:
    digits = [int(c) for c in first_nine]
    total = sum(d * w for d, w in zip(digits, BRN_WEIGHTS, strict=True)) + digits[8] * 5 // 10
    return (10 - total % 10) % 10


def business_number(n: int) -> str:
    first_nine = f"{200000000 + n:09d}"
    return f"{first_nine}{check_digit(first_nine)}"


# --- columns from the models -------------------------------------------------------------------


class MissingColumn(Exception):
    """A column the generator cannot fill by itself: name it in the rows."""


def filler(f: models.Field) -> Callable[[int], object]:
    """The value of column ``f`` for rows that do not name it (given the row's number)."""
    if f.has_default():
        if callable(f.default):
            return lambda n: f.get_default()
        default = f.get_default()
        return lambda n: default
    if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
        return lambda n: NOW
    if f.null:
        return lambda n: None
    where = f"{f.model._meta.label}.{f.name}"
    if f.is_relation or f.primary_key:
        raise MissingColumn(f"{where}: a required reference; name it in the generated rows")
    if f.unique:
        raise MissingColumn(f"{where}: unique; name it in the generated rows")
    if f.choices and not f.blank:
        first = next(iter(f.flatchoices))[0]
        return lambda n: first
    if isinstance(f, models.CharField | models.TextField):
        value = "" if f.blank else f"bench {f.name}"[: f.max_length or None]
        return lambda n: value
    if isinstance(f, models.BooleanField):
        return lambda n: False
    if isinstance(f, models.DateTimeField):
        return lambda n: NOW
    if isinstance(f, models.DateField):
        return lambda n: NOW.date()
    if isinstance(f, models.DecimalField):
        return lambda n: Decimal(0)
    if isinstance(f, models.IntegerField | models.FloatField):
        return lambda n: 0
    if isinstance(f, models.JSONField):
        return lambda n: "{}"
    raise MissingColumn(f"{where}: no generated value for {type(f).__name__}")


def copy(cursor, model: type[models.Model], rows: Iterable[dict]) -> int:
    """COPY ``rows`` (dicts by field name or attname) into ``model``'s table, every column of
    the model present (module docstring)."""
    fields = model._meta.local_concrete_fields
    known = {f.name for f in fields} | {f.attname for f in fields}
    plan = []
    for f in fields:
        try:
            fill = filler(f)
        except MissingColumn as exc:
            fill = exc
        plan.append((f.attname, f.name, fill))
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    count = 0
    with cursor.copy(
        f"COPY {connection.ops.quote_name(model._meta.db_table)} ({names}) FROM STDIN"
    ) as out:
        for n, row in enumerate(rows):
            if n == 0 and not known.issuperset(row):
                unknown = ", ".join(sorted(set(row) - known))
                raise MissingColumn(f"{model._meta.label} has no column {unknown}")
            values = []
            for attname, name, fill in plan:
                if attname in row:
                    values.append(row[attname])
                elif name in row:
                    values.append(row[name])
                elif isinstance(fill, MissingColumn):
                    raise fill
                else:
                    values.append(fill(n))
            out.write_row(values)
            count += 1
    return count


def through(label: str, field: str) -> type[models.Model]:
    """The table behind a many-to-many field."""
    return apps.get_model(label)._meta.get_field(field).remote_field.through


class Ids:
    """Next free primary keys, read once; rows are written with explicit ids."""

    def __init__(self, cursor):
        self.cursor = cursor
        self.next: dict[str, int] = {}

    def take(self, model: type[models.Model], count: int) -> range:
        table = model._meta.db_table
        if table not in self.next:
            self.cursor.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{table}"')
            self.next[table] = self.cursor.fetchone()[0]
        start = self.next[table]
        self.next[table] = start + count
        return range(start, start + count)

    def reset_sequences(self):
        for table in self.next:
            self.cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                f'(SELECT MAX(id) FROM "{table}"))'
            )


def stamped(row: dict) -> dict:
    """A tracked record's bookkeeping columns."""
    return {"created_at": NOW, "updated_at": NOW, "version": 1, **row}


# --- the data set ------------------------------------------------------------------------------


def generate(scale: Scale = FULL, stdout=print, vacuum: bool = True) -> dict:
    """Add the scaled rows to a database holding the demo data; ``vacuum`` needs autocommit
    (off inside a test's transaction)."""
    model = apps.get_model
    Source, Organization, Company = (
        model("core.Source"),
        model("core.Organization"),
        model("companies.Company"),
    )
    Program, ProgramOrganization, RegionalParticipation = (
        model("programs.Program"),
        model("programs.ProgramOrganization"),
        model("programs.RegionalParticipation"),
    )
    Hub, Target = model("programs.Hub"), model("programs.Target")
    ReportingPeriod, ResultUpdate = model("results.ReportingPeriod"), model("results.ResultUpdate")
    BudgetLine, Participation = model("programs.BudgetLine"), model("programs.Participation")
    Event, AgendaItem = model("events.Event"), model("events.AgendaItem")
    EventOrganization, EventParticipant, Award = (
        model("events.EventOrganization"),
        model("events.EventParticipant"),
        model("events.Award"),
    )
    companies = scale.companies
    rng = random.Random(20251119)
    counts: dict[str, int] = {}
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor  # the psycopg cursor: COPY support
        ids = Ids(cursor)
        cursor.execute("SELECT id, code FROM core_region ORDER BY code")
        region_ids = [r[0] for r in cursor.fetchall()]
        cursor.execute("SELECT id FROM programs_program WHERE slug = %s", [FLAGSHIP])
        flagship = cursor.fetchone()[0]
        cursor.execute("SELECT id FROM core_organization WHERE kind = 'ministry' ORDER BY id")
        ministry = cursor.fetchone()[0]

        # --- sources ---------------------------------------------------------------------
        source_ids = list(ids.take(Source, 50))
        copy(
            cursor,
            Source,
            (
                stamped(
                    {
                        "id": i,
                        "key": f"bench-source-{i}",
                        "kind": "news",
                        "publisher": "뉴스스텝",
                        "author": "최선경",
                        "title": f"제조 AI 전환 기사 {i}",
                        "url": f"https://example.kr/news/{i}",
                        "published_at": NOW - datetime.timedelta(days=i),
                        "published_precision": "day",
                    }
                )
                for i in source_ids
            ),
        )

        # --- companies: Organization + Company rows -------------------------------------
        org_ids = list(ids.take(Organization, companies))
        names = [
            f"{rng.choice(PREFIXES)}{rng.choice(TRADES)} {n:05d} {rng.choice(SUFFIXES)}"
            for n in range(companies)
        ]
        company_regions = [rng.choice(region_ids) for _ in range(companies)]
        counts["companies"] = copy(
            cursor,
            Organization,
            (
                stamped(
                    {
                        "id": pk,
                        "name": names[n],
                        "name_en": f"Company {n:05d}",
                        "kind": "company",
                        "website": f"https://company{n}.example.kr",
                        "region_id": company_regions[n],
                    }
                )
                for n, pk in enumerate(org_ids)
            ),
        )
        copy(
            cursor,
            Company,
            (
                {
                    "organization_ptr_id": pk,
                    "business_number": business_number(n),
                    "ksic_code": f"C{rng.randint(10, 33)}",
                    "industry": rng.choice(INDUSTRIES),
                    "size": rng.choice(SIZES),
                    "is_ai_supplier": n % 10 == 0,
                    "is_ai_demand": n % 10 != 0,
                    "ceo_name": f"대표{n:05d}",
                    "address": f"경상남도 창원시 성산구 공단로 {n}",
                }
                for n, pk in enumerate(org_ids)
            ),
        )

        # --- programs ---------------------------------------------------------------------
        program_ids = list(ids.take(Program, scale.extra_programs))
        copy(
            cursor,
            Program,
            (
                stamped(
                    {
                        "id": pk,
                        "slug": f"bench-program-{pk}",
                        "name": f"제조 AI 지원사업 {n:03d}",
                        "name_en": f"Manufacturing AI program {n:03d}",
                        "kind": "program",
                        "status": "in_progress",
                        "summary": "중소 제조기업의 AI 도입 지원",
                        "summary_en": "AI adoption support",
                        "description": "설명",
                        "description_en": "Description",
                        "planned_start": datetime.date(2025, 1, 1),
                        "planned_end": datetime.date(2027, 12, 31),
                        "url": "https://www.mss.go.kr/",
                        "lead_ministry_id": ministry,
                        "parent_id": flagship if n < 5 else None,
                    }
                )
                for n, pk in enumerate(program_ids)
            ),
        )
        counts["programs"] = scale.extra_programs
        related = through("programs.Program", "related")
        pairs = [pair for p in program_ids[5:15] for pair in ((flagship, p), (p, flagship))]
        copy(
            cursor,
            related,
            (
                {"id": pk, "from_program_id": a, "to_program_id": b}
                for pk, (a, b) in zip(ids.take(related, len(pairs)), pairs, strict=True)
            ),
        )
        program_sources = through("programs.Program", "sources")
        copy(
            cursor,
            program_sources,
            (
                {"id": pk, "program_id": flagship, "source_id": s}
                for pk, s in zip(ids.take(program_sources, 10), source_ids[:10], strict=True)
            ),
        )
        copy(
            cursor,
            ProgramOrganization,
            (
                {"id": pk, "role": "partner", "organization_id": org_ids[n], "program_id": flagship}
                for n, pk in enumerate(ids.take(ProgramOrganization, 8))
            ),
        )

        # --- the flagship in every region: hubs, targets with results, budget lines -------
        cursor.execute(
            "SELECT region_id FROM programs_regionalparticipation WHERE program_id = %s",
            [flagship],
        )
        present = {r[0] for r in cursor.fetchall()}
        missing = [r for r in region_ids if r not in present]
        rp_new = list(ids.take(RegionalParticipation, len(missing)))
        copy(
            cursor,
            RegionalParticipation,
            (
                stamped(
                    {
                        "id": pk,
                        "status": "proposed",
                        "strategy_title": "지역 특화 AI 전환",
                        "strategy_title_en": "Regional AI",
                        "budget_krw": 4_000_000_000,
                        "summary": "지역 제조 AI 확산",
                        "executing_organization_id": org_ids[n],
                        "program_id": flagship,
                        "region_id": region,
                    }
                )
                for n, (pk, region) in enumerate(zip(rp_new, missing, strict=True))
            ),
        )
        cursor.execute(
            "SELECT id, region_id FROM programs_regionalparticipation WHERE program_id = %s",
            [flagship],
        )
        flagship_rps = cursor.fetchall()
        hub_ids = list(ids.take(Hub, 2 * len(flagship_rps)))
        copy(
            cursor,
            Hub,
            (
                stamped(
                    {
                        "id": pk,
                        "name": f"제조AI 거점 {pk}",
                        "name_en": f"AI hub {pk}",
                        "site_name": "산학융합원",
                        "address": "주소",
                        "city": "시",
                        "capabilities": "GPU, 테스트베드",
                        "capabilities_en": "GPUs, test-bed",
                        "has_gpu": True,
                        "has_testbed": True,
                        "opening_hours": "24시간",
                        "operator_id": org_ids[n],
                        "region_id": flagship_rps[n // 2][1],
                    }
                )
                for n, pk in enumerate(hub_ids)
            ),
        )
        rp_hubs = through("programs.RegionalParticipation", "hubs")
        copy(
            cursor,
            rp_hubs,
            (
                {
                    "id": pk,
                    "regionalparticipation_id": flagship_rps[n // 2][0],
                    "hub_id": hub_ids[n],
                }
                for n, pk in enumerate(ids.take(rp_hubs, len(hub_ids)))
            ),
        )
        owners = [(None, rp) for rp, _region in flagship_rps for _ in range(3)]
        owners += [(flagship, None)] * 5
        target_ids = list(ids.take(Target, len(owners)))
        copy(
            cursor,
            Target,
            (
                stamped(
                    {
                        "id": pk,
                        "metric": f"참여 기업 수 {n}",
                        "metric_en": "Companies",
                        "unit": "개사",
                        "direction": "higher",
                        "comparator": "gte",
                        "target_value": Decimal(30),
                        "period_start": datetime.date(2025, 1, 1),
                        "period_end": datetime.date(2027, 12, 31),
                        "current_value": Decimal(30),
                        "achievement_pct": Decimal("40.0"),
                        "status": "on_track",
                        "program_id": program,
                        "regional_participation_id": rp,
                        "source_id": source_ids[n % 50],
                    }
                )
                for n, (pk, (program, rp)) in enumerate(zip(target_ids, owners, strict=True))
            ),
        )
        # four approved quarterly results per target: a reporting period and its update
        period_ids = list(ids.take(ReportingPeriod, 4 * len(target_ids)))
        quarters = [
            (datetime.date(2025, 3 * q + 1, 1), datetime.date(2025, 3 * q + 3, 28))
            for q in range(4)
        ]
        copy(
            cursor,
            ReportingPeriod,
            (
                stamped(
                    {
                        "id": pk,
                        "start": quarters[n % 4][0],
                        "end": quarters[n % 4][1],
                        "deadline": quarters[n % 4][1] + datetime.timedelta(days=20),
                        "approved_value": Decimal(3 * (n % 4 + 1)),
                        "target_id": target_ids[n // 4],
                    }
                )
                for n, pk in enumerate(period_ids)
            ),
        )
        copy(
            cursor,
            ResultUpdate,
            (
                stamped(
                    {
                        "id": pk,
                        "status": "approved",
                        "value": Decimal(3 * (n % 4 + 1)),
                        "as_of": quarters[n % 4][1],
                        "period_id": period_ids[n],
                    }
                )
                for n, pk in enumerate(ids.take(ResultUpdate, len(period_ids)))
            ),
        )
        funding = ("national", "local", "private", "national_and_other")
        vehicles = ("main", "supplementary_1", "supplementary_2", "unspecified")
        copy(
            cursor,
            BudgetLine,
            (
                stamped(
                    {
                        "id": pk,
                        "amount_krw": 100_000_000 * (n + 1),
                        "funding_source": funding[n % 4],
                        "vehicle": vehicles[n // 4 % 4],
                        "fiscal_year": 2025 + n % 3,
                        "status": "announced",
                        "purpose": "GPU 인프라",
                        "purpose_en": "GPU",
                        "source_id": source_ids[n % 50],
                        "program_id": flagship,
                        "regional_participation_id": (
                            flagship_rps[n % len(flagship_rps)][0] if n % 2 else None
                        ),
                    }
                )
                for n, pk in enumerate(ids.take(BudgetLine, 40))
            ),
        )

        # --- participations: each company in 3 programs, the first is the flagship --------
        others = program_ids
        per_company = scale.participations_per_company
        counts["participations"] = copy(
            cursor,
            Participation,
            (
                stamped(
                    {
                        "id": pk,
                        "status": STATUSES[(n * 7 + k) % len(STATUSES)],
                        "applied_on": datetime.date(2025, 2, 1),
                        "selected_on": datetime.date(2025, 3, 14),
                        "support_amount_krw": 50_000_000 * (1 + n % 4),
                        "self_funding_krw": 10_000_000,
                        "solution_name": "AI 비전 검사",
                        "consent_to_publish": n % 3 == 0,
                        "company_id": org_ids[n],
                        "region_id": company_regions[n],
                        "supplier_id": (
                            org_ids[(n + 10) - (n + 10) % 10] if (n + 10) < companies else None
                        ),
                        "program_id": flagship if k == 0 else others[(n + 7 * k) % len(others)],
                    }
                )
                for (n, k), pk in zip(
                    ((n, k) for n in range(companies) for k in range(per_company)),
                    ids.take(Participation, companies * per_company),
                    strict=True,
                )
            ),
        )

        # --- events with agendas, hosts, participants, programs --------------------------
        event_ids = list(ids.take(Event, scale.events))
        starts = [
            datetime.datetime(2024, 1, 8, 10, 0, tzinfo=SEOUL)
            + datetime.timedelta(days=(n * 7) % 1000, hours=n % 6)
            for n in range(scale.events)
        ]
        counts["events"] = copy(
            cursor,
            Event,
            (
                stamped(
                    {
                        "id": pk,
                        "slug": f"bench-event-{pk}",
                        "name": f"제조 AI 간담회 {n:04d}",
                        "name_en": f"Manufacturing AI meeting {n:04d}",
                        "kind": EVENT_KINDS[n % len(EVENT_KINDS)],
                        "starts_at": starts[n],
                        "ends_at": starts[n] + datetime.timedelta(hours=3),
                        "time_is_known": True,
                        "venue_name": "창원컨벤션센터",
                        "venue_name_en": "Changwon Convention Center",
                        "venue_address": "창원시 의창구 원이대로 362",
                        "city": "창원시",
                        "attendee_count_approx": 100 + n % 200,
                        "summary": "중소기업 AI 전환 논의",
                        "summary_en": "SME AI transformation",
                        "open_to_press": True,
                        "region_id": region_ids[n % len(region_ids)],
                    }
                )
                for n, pk in enumerate(event_ids)
            ),
        )
        per_event = scale.agenda_per_event
        counts["agenda_items"] = copy(
            cursor,
            AgendaItem,
            (
                stamped(
                    {
                        "id": pk,
                        "order": slot + 1,
                        "starts_at": starts[n] + datetime.timedelta(minutes=30 * slot),
                        "ends_at": starts[n] + datetime.timedelta(minutes=30 * slot + 25),
                        "title": f"발표 {slot + 1}",
                        "title_en": f"Talk {slot + 1}",
                        "kind": "talk",
                        "presenter_note": "공공기관",
                        "presenter_note_en": "Public bodies",
                        "open_to_press": True,
                        "presenter_organization_id": org_ids[(n + slot) % companies],
                        "event_id": event_ids[n],
                    }
                )
                for (n, slot), pk in zip(
                    ((n, s) for n in range(scale.events) for s in range(per_event)),
                    ids.take(AgendaItem, scale.events * per_event),
                    strict=True,
                )
            ),
        )
        copy(
            cursor,
            EventOrganization,
            (
                {
                    "id": pk,
                    "role": "host" if k == 0 else "organizer",
                    "event_id": event_ids[n],
                    "organization_id": ministry if k == 0 else org_ids[n],
                }
                for (n, k), pk in zip(
                    ((n, k) for n in range(scale.events) for k in range(2)),
                    ids.take(EventOrganization, scale.events * 2),
                    strict=True,
                )
            ),
        )
        event_programs = through("events.Event", "programs")
        copy(
            cursor,
            event_programs,
            (
                {
                    "id": pk,
                    "event_id": event_ids[n],
                    "program_id": flagship if n % 2 else others[n % len(others)],
                }
                for n, pk in enumerate(ids.take(event_programs, scale.events))
            ),
        )
        copy(
            cursor,
            EventParticipant,
            (
                stamped(
                    {
                        "id": pk,
                        "role": "attendee",
                        "order": k,
                        "is_public": k != 2,
                        "event_id": event_ids[n],
                        "organization_id": org_ids[n + k],
                    }
                )
                for (n, k), pk in zip(
                    ((n, k) for n in range(scale.events) for k in range(3)),
                    ids.take(EventParticipant, scale.events * 3),
                    strict=True,
                )
            ),
        )
        counts["awards"] = copy(
            cursor,
            Award,
            (
                stamped(
                    {
                        "id": pk,
                        "name": "AX 우수사례",
                        "name_en": "AX best practice",
                        "year": starts[n].year,
                        "selected_count": 10,
                        "rank": "우수상",
                        "prize": "장관상",
                        "program_id": flagship if n % 2 else None,
                        "recipient_company_id": org_ids[n * 3],
                        "event_id": event_ids[n],
                    }
                )
                for n, pk in enumerate(ids.take(Award, scale.awards))
            ),
        )
        ids.reset_sequences()
    # COPY bypasses the save-time search index: index the benchmarked searchable rows (events,
    # programs; the 20,000 companies are left to `rebuild_search_index`, minutes of analysis).
    from core.search import rebuild

    rebuild([model("events.Event"), model("programs.Program")])
    if vacuum:
        # Outside a transaction: fresh visibility maps let counts use index-only scans.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    stdout(f"generated: {counts}")
    return counts
