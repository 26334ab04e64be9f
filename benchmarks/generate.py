"""Scaled data set for the API benchmark, written to PostgreSQL with COPY.

On top of the demo records (``load_demo``): 20,000 companies (an Organization row and a Company
row each — Company is a multi-table child), 60,000 participations (20,000 of them in the
flagship program), 2,000 events with 6 agenda items, 2 host organizations, 3 participants and
a related program each, 500 awards, 100 extra programs; and the flagship program
(지역 주도형 AI 대전환사업) grown to all 17 regions with hubs, targets with approved results, 40 budget
lines, related and child programs — so its detail and summary have real weight.

Deterministic (fixed seed). Run through ``python -m benchmarks.run`` (``make bench``).
"""

import datetime
import random
import zoneinfo
from decimal import Decimal

from django.db import connection

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")
BRN_WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)

COMPANIES = 20_000
PARTICIPATIONS_PER_COMPANY = 3  # 60,000 participations
EVENTS = 2_000
AGENDA_PER_EVENT = 6
EXTRA_PROGRAMS = 100
AWARDS = 500
FLAGSHIP = "region-led-ai-transformation"

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


class Ids:
    """Next free primary keys, read once; rows are written with explicit ids."""

    def __init__(self, cursor):
        self.cursor = cursor
        self.next: dict[str, int] = {}

    def take(self, table: str, count: int) -> range:
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


def copy(cursor, table: str, columns: tuple[str, ...], rows) -> int:
    names = ", ".join(f'"{c}"' for c in columns)
    count = 0
    with cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as out:
        for row in rows:
            out.write_row(row)
            count += 1
    return count


def generate(stdout=print) -> dict:
    rng = random.Random(20251119)
    now = datetime.datetime(2026, 11, 1, 9, 0, tzinfo=SEOUL)
    counts: dict[str, int] = {}
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor  # the psycopg cursor: COPY support
        ids = Ids(cursor)
        cursor.execute("SELECT id, code FROM core_region ORDER BY code")
        regions = cursor.fetchall()
        region_ids = [r[0] for r in regions]
        cursor.execute("SELECT id FROM programs_program WHERE slug = %s", [FLAGSHIP])
        flagship = cursor.fetchone()[0]
        cursor.execute("SELECT id FROM core_organization WHERE kind = 'ministry' ORDER BY id")
        ministry = cursor.fetchone()[0]

        # --- sources ---------------------------------------------------------------------
        source_ids = list(ids.take("core_source", 50))
        copy(
            cursor,
            "core_source",
            (
                "id",
                "created_at",
                "updated_at",
                "version",
                "key",
                "kind",
                "publisher",
                "author",
                "title",
                "url",
                "published_at",
                "published_precision",
                "note",
            ),
            (
                (
                    i,
                    now,
                    now,
                    1,
                    f"bench-source-{i}",
                    "news",
                    "뉴스스텝",
                    "최선경",
                    f"제조 AI 전환 기사 {i}",
                    f"https://example.kr/news/{i}",
                    now - datetime.timedelta(days=i),
                    "day",
                    "",
                )
                for i in source_ids
            ),
        )

        # --- companies: Organization + Company rows -------------------------------------
        org_ids = list(ids.take("core_organization", COMPANIES))
        names = [
            f"{rng.choice(PREFIXES)}{rng.choice(TRADES)} {n:05d} {rng.choice(SUFFIXES)}"
            for n in range(COMPANIES)
        ]
        company_regions = [rng.choice(region_ids) for _ in range(COMPANIES)]
        counts["companies"] = copy(
            cursor,
            "core_organization",
            (
                "id",
                "created_at",
                "updated_at",
                "version",
                "name",
                "name_en",
                "short_name",
                "kind",
                "website",
                "parent_id",
                "region_id",
            ),
            (
                (
                    pk,
                    now,
                    now,
                    1,
                    names[n],
                    f"Company {n:05d}",
                    "",
                    "company",
                    f"https://company{n}.example.kr",
                    None,
                    company_regions[n],
                )
                for n, pk in enumerate(org_ids)
            ),
        )
        copy(
            cursor,
            "companies_company",
            (
                "organization_ptr_id",
                "business_number",
                "ksic_code",
                "industry",
                "size",
                "is_ai_supplier",
                "is_ai_demand",
                "ceo_name",
                "address",
            ),
            (
                (
                    pk,
                    business_number(n),
                    f"C{rng.randint(10, 33)}",
                    rng.choice(INDUSTRIES),
                    rng.choice(SIZES),
                    n % 10 == 0,
                    n % 10 != 0,
                    f"대표{n:05d}",
                    f"경상남도 창원시 성산구 공단로 {n}",
                )
                for n, pk in enumerate(org_ids)
            ),
        )

        # --- programs ---------------------------------------------------------------------
        program_ids = list(ids.take("programs_program", EXTRA_PROGRAMS))
        copy(
            cursor,
            "programs_program",
            (
                "id",
                "created_at",
                "updated_at",
                "version",
                "slug",
                "name",
                "name_en",
                "short_name",
                "kind",
                "status",
                "summary",
                "summary_en",
                "description",
                "description_en",
                "planned_start",
                "planned_end",
                "actual_start",
                "actual_end",
                "application_start",
                "application_end",
                "date_note",
                "url",
                "reporting_schedule",
                "lead_ministry_id",
                "parent_id",
            ),
            (
                (
                    pk,
                    now,
                    now,
                    1,
                    f"bench-program-{pk}",
                    f"제조 AI 지원사업 {n:03d}",
                    f"Manufacturing AI program {n:03d}",
                    "",
                    "program",
                    "in_progress",
                    "중소 제조기업의 AI 도입 지원",
                    "AI adoption support",
                    "설명",
                    "Description",
                    datetime.date(2025, 1, 1),
                    datetime.date(2027, 12, 31),
                    None,
                    None,
                    None,
                    None,
                    "",
                    "https://www.mss.go.kr/",
                    "",
                    ministry,
                    flagship if n < 5 else None,
                )
                for n, pk in enumerate(program_ids)
            ),
        )
        counts["programs"] = EXTRA_PROGRAMS
        pairs = [pair for p in program_ids[5:15] for pair in ((flagship, p), (p, flagship))]
        copy(
            cursor,
            "programs_program_related",
            ("id", "from_program_id", "to_program_id"),
            (
                (pk, a, b)
                for pk, (a, b) in zip(
                    ids.take("programs_program_related", len(pairs)), pairs, strict=True
                )
            ),
        )
        copy(
            cursor,
            "programs_program_sources",
            ("id", "program_id", "source_id"),
            (
                (pk, flagship, s)
                for pk, s in zip(
                    ids.take("programs_program_sources", 10), source_ids[:10], strict=True
                )
            ),
        )
        copy(
            cursor,
            "programs_programorganization",
            ("id", "role", "note", "organization_id", "program_id"),
            (
                (pk, "partner", "", org_ids[n], flagship)
                for n, pk in enumerate(ids.take("programs_programorganization", 8))
            ),
        )

        # --- the flagship in every region: hubs, targets with results, budget lines -------
        cursor.execute(
            "SELECT region_id FROM programs_regionalparticipation WHERE program_id = %s",
            [flagship],
        )
        present = {r[0] for r in cursor.fetchall()}
        missing = [r for r in region_ids if r not in present]
        rp_new = list(ids.take("programs_regionalparticipation", len(missing)))
        copy(
            cursor,
            "programs_regionalparticipation",
            (
                "id",
                "created_at",
                "updated_at",
                "version",
                "status",
                "selected_on",
                "strategy_title",
                "strategy_title_en",
                "plan_title",
                "budget_krw",
                "summary",
                "summary_en",
                "executing_organization_id",
                "official_id",
                "program_id",
                "region_id",
            ),
            (
                (
                    pk,
                    now,
                    now,
                    1,
                    "proposed",
                    None,
                    "지역 특화 AI 전환",
                    "Regional AI",
                    "",
                    4_000_000_000,
                    "지역 제조 AI 확산",
                    "",
                    org_ids[n],
                    None,
                    flagship,
                    region,
                )
                for n, (pk, region) in enumerate(zip(rp_new, missing, strict=True))
            ),
        )
        cursor.execute(
            "SELECT id, region_id FROM programs_regionalparticipation WHERE program_id = %s",
            [flagship],
        )
        flagship_rps = cursor.fetchall()
        hub_ids = list(ids.take("programs_hub", 2 * len(flagship_rps)))
        copy(
            cursor,
            "programs_hub",
            (
                "id",
                "created_at",
                "updated_at",
                "version",
                "name",
                "name_en",
                "site_name",
                "address",
                "city",
                "capabilities",
                "capabilities_en",
                "has_gpu",
                "has_testbed",
                "opening_hours",
                "operator_id",
                "region_id",
            ),
            (
                (
                    pk,
                    now,
                    now,
                    1,
                    f"제조AI 거점 {pk}",
                    f"AI hub {pk}",
                    "산학융합원",
                    "주소",
                    "시",
                    "GPU, 테스트베드",
                    "GPUs, test-bed",
                    True,
                    True,
                    "24시간",
                    org_ids[n],
                    flagship_rps[n // 2][1],
                )
                for n, pk in enumerate(hub_ids)
            ),
        )
        copy(
            cursor,
            "programs_regionalparticipation_hubs",
            ("id", "regionalparticipation_id", "hub_id"),
            (
                (pk, flagship_rps[n // 2][0], hub_ids[n])
                for n, pk in enumerate(
                    ids.take("programs_regionalparticipation_hubs", len(hub_ids))
                )
            ),
        )
        owners = [(None, rp) for rp, _region in flagship_rps for _ in range(3)]
        owners += [(flagship, None)] * 5
        target_ids = list(ids.take("programs_target", len(owners)))
        copy(
            cursor,
            "programs_target",
            (
                "id",
                "created_at",
                "updated_at",
                "version",
                "metric",
                "metric_en",
                "unit",
                "direction",
                "comparator",
                "baseline_value",
                "target_value",
                "period_start",
                "period_end",
                "applies_to",
                "note",
                "achievement_pct",
                "status",
                "program_id",
                "regional_participation_id",
                "source_id",
                "reporting_schedule",
                "aggregation",
                "measure",
                "trajectory",
                "rollup",
                "outcome_statistic",
                "outcome_metric",
                "current_value",
            ),
            (
                (
                    pk,
                    now,
                    now,
                    1,
                    f"참여 기업 수 {n}",
                    "Companies",
                    "개사",
                    "higher",
                    "gte",
                    None,
                    Decimal(30),
                    datetime.date(2025, 1, 1),
                    datetime.date(2027, 12, 31),
                    "",
                    "",
                    Decimal("40.0"),
                    "on_track",
                    program,
                    rp,
                    source_ids[n % 50],
                    "quarterly",
                    "sum",
                    "number",
                    "linear",
                    "",
                    "",
                    "",
                    Decimal(30),
                )
                for n, (pk, (program, rp)) in enumerate(zip(target_ids, owners, strict=True))
            ),
        )
        # four approved quarterly results per target (the results app: period + update)
        period_ids = list(ids.take("results_reportingperiod", 4 * len(target_ids)))
        quarter = [
            (datetime.date(2025, 3 * q + 1, 1), datetime.date(2025, 3 * q + 3, 28))
            for q in range(4)
        ]
        copy(
            cursor,
            "results_reportingperiod",
            (
                "id",
                "created_at",
                "updated_at",
                "version",
                "start",
                "end",
                "deadline",
                "locked",
                "lock_reason",
                "approved_value",
                "target_id",
            ),
            (
                (
                    pk,
                    now,
                    now,
                    1,
                    quarter[n % 4][0],
                    quarter[n % 4][1],
                    quarter[n % 4][1] + datetime.timedelta(days=20),
                    False,
                    "",
                    Decimal(3 * (n % 4 + 1)),
                    target_ids[n // 4],
                )
                for n, pk in enumerate(period_ids)
            ),
        )
        copy(
            cursor,
            "results_resultupdate",
            (
                "id",
                "created_at",
                "updated_at",
                "version",
                "status",
                "value",
                "as_of",
                "comment",
                "breakdown_dimension",
                "breakdown_incomplete",
                "return_reason",
                "period_id",
            ),
            (
                (
                    pk,
                    now,
                    now,
                    1,
                    "approved",
                    Decimal(3 * (n % 4 + 1)),
                    quarter[n % 4][1],
                    "",
                    "",
                    False,
                    "",
                    period_ids[n],
                )
                for n, pk in enumerate(ids.take("results_resultupdate", len(period_ids)))
            ),
        )
        funding = ("national", "local", "private", "national_and_other")
        vehicles = ("main", "supplementary_1", "supplementary_2", "unspecified")
        copy(
            cursor,
            "programs_budgetline",
            (
                "id",
                "created_at",
                "updated_at",
                "version",
                "amount_krw",
                "funding_source",
                "vehicle",
                "fiscal_year",
                "period_start_year",
                "period_end_year",
                "status",
                "purpose",
                "purpose_en",
                "quoted_text",
                "source_id",
                "program_id",
                "regional_participation_id",
            ),
            (
                (
                    pk,
                    now,
                    now,
                    1,
                    100_000_000 * (n + 1),
                    funding[n % 4],
                    vehicles[n // 4 % 4],
                    2025 + n % 3,
                    None,
                    None,
                    "announced",
                    "GPU 인프라",
                    "GPU",
                    "",
                    source_ids[n % 50],
                    flagship,
                    flagship_rps[n % len(flagship_rps)][0] if n % 2 else None,
                )
                for n, pk in enumerate(ids.take("programs_budgetline", 40))
            ),
        )

        # --- participations: each company in 3 programs, the first is the flagship --------
        others = program_ids
        counts["participations"] = copy(
            cursor,
            "programs_participation",
            (
                "id",
                "created_at",
                "updated_at",
                "version",
                "status",
                "applied_on",
                "selected_on",
                "support_amount_krw",
                "self_funding_krw",
                "solution_name",
                "consent_to_publish",
                "note",
                "company_id",
                "region_id",
                "supplier_id",
                "program_id",
            ),
            (
                (
                    pk,
                    now,
                    now,
                    1,
                    STATUSES[(n * 7 + k) % len(STATUSES)],
                    datetime.date(2025, 2, 1),
                    datetime.date(2025, 3, 14),
                    50_000_000 * (1 + n % 4),
                    10_000_000,
                    "AI 비전 검사",
                    n % 3 == 0,
                    "",
                    org_ids[n],
                    company_regions[n],
                    org_ids[(n + 10) - (n + 10) % 10] if (n + 10) < COMPANIES else None,
                    flagship if k == 0 else others[(n + 7 * k) % len(others)],
                )
                for (n, k), pk in zip(
                    ((n, k) for n in range(COMPANIES) for k in range(PARTICIPATIONS_PER_COMPANY)),
                    ids.take("programs_participation", COMPANIES * PARTICIPATIONS_PER_COMPANY),
                    strict=True,
                )
            ),
        )

        # --- events with agendas, hosts, participants, programs --------------------------
        event_ids = list(ids.take("events_event", EVENTS))
        starts = [
            datetime.datetime(2024, 1, 8, 10, 0, tzinfo=SEOUL)
            + datetime.timedelta(days=(n * 7) % 1000, hours=n % 6)
            for n in range(EVENTS)
        ]
        counts["events"] = copy(
            cursor,
            "events_event",
            (
                "id",
                "created_at",
                "updated_at",
                "version",
                "slug",
                "name",
                "name_en",
                "kind",
                "starts_at",
                "ends_at",
                "time_is_known",
                "date_note",
                "venue_name",
                "venue_name_en",
                "venue_address",
                "city",
                "alternative_venue_name",
                "alternative_venue_note",
                "attendee_count_approx",
                "summary",
                "summary_en",
                "release_at",
                "embargo_until",
                "embargo_note",
                "open_to_press",
                "parent_id",
                "region_id",
            ),
            (
                (
                    pk,
                    now,
                    now,
                    1,
                    f"bench-event-{pk}",
                    f"제조 AI 간담회 {n:04d}",
                    f"Manufacturing AI meeting {n:04d}",
                    EVENT_KINDS[n % len(EVENT_KINDS)],
                    starts[n],
                    starts[n] + datetime.timedelta(hours=3),
                    True,
                    "",
                    "창원컨벤션센터",
                    "Changwon Convention Center",
                    "창원시 의창구 원이대로 362",
                    "창원시",
                    "",
                    "",
                    100 + n % 200,
                    "중소기업 AI 전환 논의",
                    "SME AI transformation",
                    None,
                    None,
                    "",
                    True,
                    None,
                    region_ids[n % len(region_ids)],
                )
                for n, pk in enumerate(event_ids)
            ),
        )
        counts["agenda_items"] = copy(
            cursor,
            "events_agendaitem",
            (
                "id",
                "created_at",
                "updated_at",
                "version",
                "order",
                "starts_at",
                "ends_at",
                "title",
                "title_en",
                "kind",
                "presenter_note",
                "presenter_note_en",
                "open_to_press",
                "presenter_organization_id",
                "presenter_person_id",
                "event_id",
            ),
            (
                (
                    pk,
                    now,
                    now,
                    1,
                    slot + 1,
                    starts[n] + datetime.timedelta(minutes=30 * slot),
                    starts[n] + datetime.timedelta(minutes=30 * slot + 25),
                    f"발표 {slot + 1}",
                    f"Talk {slot + 1}",
                    "talk",
                    "공공기관",
                    "Public bodies",
                    True,
                    org_ids[(n + slot) % COMPANIES],
                    None,
                    event_ids[n],
                )
                for (n, slot), pk in zip(
                    ((n, s) for n in range(EVENTS) for s in range(AGENDA_PER_EVENT)),
                    ids.take("events_agendaitem", EVENTS * AGENDA_PER_EVENT),
                    strict=True,
                )
            ),
        )
        copy(
            cursor,
            "events_eventorganization",
            ("id", "role", "event_id", "organization_id"),
            (
                (
                    pk,
                    "host" if k == 0 else "organizer",
                    event_ids[n],
                    ministry if k == 0 else org_ids[n],
                )
                for (n, k), pk in zip(
                    ((n, k) for n in range(EVENTS) for k in range(2)),
                    ids.take("events_eventorganization", EVENTS * 2),
                    strict=True,
                )
            ),
        )
        copy(
            cursor,
            "events_event_programs",
            ("id", "event_id", "program_id"),
            (
                (pk, event_ids[n], flagship if n % 2 else others[n % len(others)])
                for n, pk in enumerate(ids.take("events_event_programs", EVENTS))
            ),
        )
        copy(
            cursor,
            "events_eventparticipant",
            (
                "id",
                "created_at",
                "updated_at",
                "version",
                "role",
                "title_at_event",
                "order",
                "is_public",
                "event_id",
                "organization_id",
                "person_id",
            ),
            (
                (pk, now, now, 1, "attendee", "", k, k != 2, event_ids[n], org_ids[n + k], None)
                for (n, k), pk in zip(
                    ((n, k) for n in range(EVENTS) for k in range(3)),
                    ids.take("events_eventparticipant", EVENTS * 3),
                    strict=True,
                )
            ),
        )
        counts["awards"] = copy(
            cursor,
            "events_award",
            (
                "id",
                "created_at",
                "updated_at",
                "version",
                "name",
                "name_en",
                "year",
                "selection_stages",
                "selected_count",
                "rank",
                "prize",
                "recipient_note",
                "citation",
                "citation_en",
                "program_id",
                "recipient_company_id",
                "recipient_person_id",
                "event_id",
            ),
            (
                (
                    pk,
                    now,
                    now,
                    1,
                    "AX 우수사례",
                    "AX best practice",
                    starts[n].year,
                    "",
                    10,
                    "우수상",
                    "장관상",
                    "",
                    "",
                    "",
                    flagship if n % 2 else None,
                    org_ids[n * 3],
                    None,
                    event_ids[n],
                )
                for n, pk in enumerate(ids.take("events_award", AWARDS))
            ),
        )
        ids.reset_sequences()
    # VACUUM (outside a transaction): fresh visibility maps let counts use index-only scans.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    stdout(f"generated: {counts}")
    return counts
