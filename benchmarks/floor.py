"""The floor: the same payloads as the API, built by hand-written SQL.

Each function takes a :class:`FloorRequest` (query parameters and the site's origin) and returns
the payload (None: not found). ``benchmarks.endpoints`` declares which API endpoint each one
mirrors; it is served twice by the same gunicorn: as a Django view through the site's whole
middleware (``/bench-floor/``, ``benchmarks.urls``), and as a bare WSGI callable with no
middleware, no request object and no URL resolver (``/bench-bare/``, ``benchmarks.bare``).
The queries mirror the API's (same rows, same order), so the ratio to the first measures what
DRF, django-filter, the ORM and the shape builders cost, the ratio to the second what the whole
framework costs. ``tests/benchmarks`` fails when a payload here differs from the API's: a field
added to a benchmarked resource is added here too.
"""

import base64
import datetime
import hashlib
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

import orjson
from django.db import connection

KST = datetime.timezone(datetime.timedelta(hours=9), "KST")


def iso(value):
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.astimezone(KST).isoformat()
    return value.isoformat()


def num(value: Decimal | None):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def fetch(sql: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


class FloorRequest:
    """What a floor reads of a request: its query parameters and the origin of absolute URLs."""

    __slots__ = ("origin", "query")

    def __init__(self, query, origin: str):
        self.query = query
        self.origin = origin

    def absolute(self, path: str) -> str:
        return self.origin + path


def render(payload) -> bytes:
    return orjson.dumps(payload)


def page_params(request: FloorRequest) -> tuple[int | None, int, int, int]:
    """(page number or None for the first cursor page, page size, LIMIT, OFFSET): a cursor
    page reads one row more, to know whether there is a next page."""
    size = int(request.query.get("page_size", 50))
    if "page" not in request.query:
        return None, size, size + 1, 0
    page = int(request.query["page"])
    return page, size, size, (page - 1) * size


def cursor_token(ordering: tuple[str, ...], key: tuple) -> str:
    """The API's cursor after a row with sort key ``key`` (core/api/pagination.py)."""
    tag = hashlib.blake2b(",".join(ordering).encode(), digest_size=4).hexdigest()
    values = [v.isoformat() if isinstance(v, datetime.datetime) else v for v in key]
    return base64.urlsafe_b64encode(orjson.dumps(["n", values, tag])).decode().rstrip("=")


def page_links(
    base, page, size, count, rows, ordering, key, extra=None
) -> tuple[list, str | None, str | None]:
    """The rows shown and the next and previous links: cursor links on a cursor page
    (``key(row)`` is a row's sort key), page links on a numbered page; ``extra`` parameters
    (``search``) follow in sorted order."""
    if page is None:
        more = len(rows) > size
        rows = rows[:size]
        token = cursor_token(ordering, key(rows[-1])) if more else None
        rest = ("&" + urlencode(sorted(extra.items()))) if extra else ""
        return rows, f"{base}?cursor={token}&page_size={size}{rest}" if more else None, None
    return rows, *links(base, page, size, count, extra)


def links(
    base: str, page: int, size: int, count: int, extra: dict | None = None
) -> tuple[str | None, str | None]:
    """Next and previous links as the API writes them: parameters in sorted order (``extra``,
    such as ``search``, sorts after ``page_size``)."""
    rest = ("&" + urlencode(sorted(extra.items()))) if extra else ""
    last = max(1, -(-count // size))
    nxt = f"{base}?page={page + 1}&page_size={size}{rest}" if page < last else None
    if page <= 1:
        prev = None
    elif page == 2:
        prev = f"{base}?page_size={size}{rest}"
    else:
        prev = f"{base}?page={page - 1}&page_size={size}{rest}"
    return nxt, prev


def search_condition(request: FloorRequest, model: str, column: str) -> tuple[str, list, dict]:
    """``search=``: the rows whose search document matches (``core.search``: the same tsquery,
    the same GIN-indexed ``tsvector`` of core_searchdocument), as SQL to AND in, its
    parameters and the link parameters."""
    words = request.query.get("search", "")
    if not words:
        return "", [], {}
    from core.search import query_words, tsquery

    sql = (
        f" AND {column} IN (SELECT d.object_id FROM core_searchdocument d "
        "WHERE d.model = %s AND d.vector @@ %s::tsquery)"
    )
    return sql, [model, tsquery(query_words(words))], {"search": words}


def region(code, name, short_name, name_en):
    if code is None:
        return None
    return {"code": code, "name": name, "short_name": short_name, "name_en": name_en}


def ref(pk, *pairs):
    if pk is None:
        return None
    out = {"id": pk}
    for key, value in zip(pairs[::2], pairs[1::2], strict=True):
        out[key] = value
    return out


def source(pk, key, kind, publisher, title, link, published_at):
    if pk is None:
        return None
    return {
        "id": pk,
        "key": key,
        "kind": kind,
        "publisher": publisher,
        "title": title,
        "link": link,
        "published_at": iso(published_at),
    }


# --- /api/v1/companies/ -----------------------------------------------------------------------


def companies(request: FloorRequest):
    page, size, limit, offset = page_params(request)
    base = request.absolute("/api/v1/companies/")
    (count,) = fetch("SELECT COUNT(*) FROM companies_company")[0]
    rows = fetch(
        "SELECT o.id, o.name, o.name_en, o.short_name, r.code, r.name, r.short_name, r.name_en, "
        "o.website, c.business_number, c.ksic_code, c.industry, c.size, c.is_ai_supplier, "
        "c.is_ai_demand, c.ceo_name, c.address, o.created_at, o.updated_at, o.version, "
        "c.industry_en, c.ceo_name_en, c.address_en "
        "FROM companies_company c JOIN core_organization o ON o.id = c.organization_ptr_id "
        "LEFT JOIN core_region r ON r.id = o.region_id "
        "ORDER BY o.name, o.id LIMIT %s OFFSET %s",
        [limit, offset],
    )
    rows, nxt, prev = page_links(
        base, page, size, count, rows, ("name", "id"), lambda r: (r[1], r[0])
    )
    results = [
        {
            "id": r[0],
            "url": f"{base}{r[0]}/",
            "name": r[1],
            "name_en": r[2],
            "short_name": r[3],
            "region": region(r[4], r[5], r[6], r[7]),
            "website": r[8],
            "business_number": r[9],
            "ksic_code": r[10],
            "industry": r[11],
            "industry_en": r[20],
            "size": r[12],
            "is_ai_supplier": r[13],
            "is_ai_demand": r[14],
            "ceo_name": r[15],
            "ceo_name_en": r[21],
            "address": r[16],
            "address_en": r[22],
            "created_at": iso(r[17]),
            "updated_at": iso(r[18]),
            "version": r[19],
        }
        for r in rows
    ]
    return {"count": count, "next": nxt, "previous": prev, "results": results}


# --- /api/v1/events/ --------------------------------------------------------------------------

# The embargo rule (core.publication): an event is public once its embargo and its main
# event's have passed; ``p`` is the main event, joined.
PUBLIC_EVENTS = (
    "(e.embargo_until IS NULL OR e.embargo_until <= now()) "
    "AND (e.parent_id IS NULL OR p.embargo_until IS NULL OR p.embargo_until <= now())"
)


def events(request: FloorRequest):
    page, size, limit, offset = page_params(request)
    base = request.absolute("/api/v1/events/")
    search, search_params, link_params = search_condition(request, "events.event", "e.id")
    (count,) = fetch(
        "SELECT COUNT(*) FROM events_event e LEFT JOIN events_event p ON p.id = e.parent_id "
        f"WHERE {PUBLIC_EVENTS}{search}",
        search_params,
    )[0]
    rows = fetch(
        "SELECT e.id, e.slug, e.name, e.name_en, e.kind, e.parent_id, p.slug, p.name, p.name_en, "
        "e.starts_at, e.ends_at, e.time_is_known, e.date_note, e.date_note_en, e.venue_name, "
        "e.venue_name_en, e.venue_address, e.city, r.code, r.name, r.short_name, r.name_en, "
        "e.alternative_venue_name, e.alternative_venue_note, e.attendee_count_approx, "
        "e.summary, e.summary_en, e.release_at, e.embargo_until, e.embargo_note, "
        "e.open_to_press, e.created_at, e.updated_at, e.version, e.venue_address_en, e.city_en, "
        "e.alternative_venue_name_en, e.alternative_venue_note_en, e.embargo_note_en "
        "FROM events_event e LEFT JOIN events_event p ON p.id = e.parent_id "
        f"LEFT JOIN core_region r ON r.id = e.region_id WHERE {PUBLIC_EVENTS}{search} "
        "ORDER BY e.starts_at DESC, e.id LIMIT %s OFFSET %s",
        [*search_params, limit, offset],
    )
    rows, nxt, prev = page_links(
        base, page, size, count, rows, ("-starts_at", "id"), lambda r: (r[9], r[0]), link_params
    )
    ids = [r[0] for r in rows]
    programs: dict = {}
    for event_id, pk, slug, name, name_en in fetch(
        "SELECT ep.event_id, p.id, p.slug, p.name, p.name_en FROM events_event_programs ep "
        "JOIN programs_program p ON p.id = ep.program_id WHERE ep.event_id = ANY(%s) "
        "ORDER BY ep.event_id, ep.program_id",
        [ids],
    ):
        programs.setdefault(event_id, []).append(
            {"id": pk, "slug": slug, "name": name, "name_en": name_en}
        )
    roles: dict = {}
    for event_id, pk, org_id, name, name_en, role in fetch(
        "SELECT eo.event_id, eo.id, eo.organization_id, o.name, o.name_en, eo.role "
        "FROM events_eventorganization eo JOIN core_organization o ON o.id = eo.organization_id "
        "WHERE eo.event_id = ANY(%s) ORDER BY eo.event_id, eo.role, eo.id",
        [ids],
    ):
        roles.setdefault(event_id, []).append(
            {
                "id": pk,
                "organization": {"id": org_id, "name": name, "name_en": name_en},
                "role": role,
            }
        )
    results = [
        {
            "id": r[0],
            "url": f"{base}{r[0]}/",
            "slug": r[1],
            "name": r[2],
            "name_en": r[3],
            "kind": r[4],
            "parent": ref(r[5], "slug", r[6], "name", r[7], "name_en", r[8]),
            "starts_at": iso(r[9]),
            "ends_at": iso(r[10]),
            "time_is_known": r[11],
            "date_note": r[12],
            "date_note_en": r[13],
            "venue_name": r[14],
            "venue_name_en": r[15],
            "venue_address": r[16],
            "venue_address_en": r[34],
            "city": r[17],
            "city_en": r[35],
            "region": region(r[18], r[19], r[20], r[21]),
            "alternative_venue_name": r[22],
            "alternative_venue_name_en": r[36],
            "alternative_venue_note": r[23],
            "alternative_venue_note_en": r[37],
            "attendee_count_approx": r[24],
            "summary": r[25],
            "summary_en": r[26],
            "release_at": iso(r[27]),
            "embargo_until": iso(r[28]),
            "embargo_note": r[29],
            "embargo_note_en": r[38],
            "open_to_press": r[30],
            "created_at": iso(r[31]),
            "updated_at": iso(r[32]),
            "version": r[33],
            "programs": programs.get(r[0], []),
            "organizations": roles.get(r[0], []),
        }
        for r in rows
    ]
    return {"count": count, "next": nxt, "previous": prev, "results": results}


# --- /api/v1/programs/{id}/ -------------------------------------------------------------------

SOURCE_COLUMNS = "s.id, s.key, s.kind, s.publisher, s.title, s.url, s.published_at"


def stamps(created, updated, version) -> dict:
    return {"created_at": iso(created), "updated_at": iso(updated), "version": version}


def program_ref(pk, slug, name, name_en) -> dict:
    return {"id": pk, "slug": slug, "name": name, "name_en": name_en}


def program_detail(request: FloorRequest, program: int):
    pk = program
    base = request.absolute("/api/v1/programs/")
    found = fetch(
        "SELECT p.id, p.slug, p.name, p.name_en, p.short_name, p.kind, p.status, p.parent_id, "
        "pp.slug, pp.name, pp.name_en, p.lead_ministry_id, lm.name, lm.name_en, p.summary, "
        "p.summary_en, p.description, p.description_en, p.planned_start, p.planned_end, "
        "p.actual_start, p.actual_end, p.application_start, p.application_end, p.date_note, "
        "p.date_note_en, p.url, p.created_at, p.updated_at, p.version, p.reporting_schedule "
        "FROM programs_program p LEFT JOIN programs_program pp ON pp.id = p.parent_id "
        "LEFT JOIN core_organization lm ON lm.id = p.lead_ministry_id WHERE p.id = %s",
        [pk],
    )
    if not found:
        return None
    p = found[0]
    related = [
        program_ref(*r)
        for r in fetch(
            "SELECT p.id, p.slug, p.name, p.name_en FROM programs_program_related t "
            "JOIN programs_program p ON p.id = t.to_program_id WHERE t.from_program_id = %s "
            "ORDER BY t.to_program_id",
            [pk],
        )
    ]
    sources = [
        source(*s)
        for s in fetch(
            f"SELECT {SOURCE_COLUMNS} FROM programs_program_sources t "
            "JOIN core_source s ON s.id = t.source_id WHERE t.program_id = %s "
            "ORDER BY t.source_id",
            [pk],
        )
    ]
    regions = [
        code
        for (code,) in fetch(
            "SELECT r.code FROM programs_regionalparticipation rp "
            "JOIN core_region r ON r.id = rp.region_id WHERE rp.program_id = %s ORDER BY r.code",
            [pk],
        )
    ]
    linked_regions = [
        code
        for (code,) in fetch(
            "SELECT DISTINCT r.code FROM programs_regionalparticipation_linked_programs t "
            "JOIN programs_regionalparticipation rp ON rp.id = t.regionalparticipation_id "
            "JOIN core_region r ON r.id = rp.region_id WHERE t.program_id = %s "
            "AND NOT EXISTS (SELECT 1 FROM programs_regionalparticipation own "
            "WHERE own.program_id = t.program_id AND own.region_id = rp.region_id) "
            "ORDER BY r.code",
            [pk],
        )
    ]
    organizations = [
        {"id": i, "organization": {"id": o, "name": n, "name_en": e}, "role": role}
        for i, o, n, e, role in fetch(
            "SELECT po.id, po.organization_id, o.name, o.name_en, po.role "
            "FROM programs_programorganization po "
            "JOIN core_organization o ON o.id = po.organization_id "
            "WHERE po.program_id = %s ORDER BY po.role, po.id",
            [pk],
        )
    ]
    budget_lines = [
        {
            "id": b[0],
            "amount_krw": b[1],
            "funding_source": b[2],
            "vehicle": b[3],
            "fiscal_year": b[4],
            "period_start_year": b[5],
            "period_end_year": b[6],
            "status": b[7],
            "purpose": b[8],
            "purpose_en": b[9],
            "quoted_text": b[10],
            "source": source(*b[11:18]),
            **stamps(*b[18:21]),
            "region": b[21],
        }
        for b in fetch(
            "SELECT b.id, b.amount_krw, b.funding_source, b.vehicle, b.fiscal_year, "
            "b.period_start_year, b.period_end_year, b.status, b.purpose, b.purpose_en, "
            f"b.quoted_text, {SOURCE_COLUMNS}, b.created_at, b.updated_at, b.version, r.code "
            "FROM programs_budgetline b "
            "LEFT JOIN programs_regionalparticipation rp ON rp.id = b.regional_participation_id "
            "LEFT JOIN core_region r ON r.id = rp.region_id "
            "JOIN core_source s ON s.id = b.source_id "
            "WHERE b.program_id = %s ORDER BY b.amount_krw DESC, b.id",
            [pk],
        )
    ]
    rps = fetch(
        "SELECT rp.id, r.code, r.name, r.short_name, r.name_en, rp.status, rp.selected_on, "
        "rp.strategy_title, rp.strategy_title_en, rp.plan_title, rp.executing_organization_id, "
        "eo.name, eo.name_en, rp.official_id, pe.name, pe.name_en, pe.position, pe.position_en, "
        "rp.budget_krw, rp.summary, rp.summary_en, rp.created_at, rp.updated_at, rp.version, "
        "rp.plan_title_en "
        "FROM programs_regionalparticipation rp JOIN core_region r ON r.id = rp.region_id "
        "LEFT JOIN core_organization eo ON eo.id = rp.executing_organization_id "
        "LEFT JOIN core_person pe ON pe.id = rp.official_id "
        "WHERE rp.program_id = %s ORDER BY r.code",
        [pk],
    )
    rp_ids = [r[0] for r in rps]
    hubs: dict = {}
    for h in fetch(
        "SELECT t.regionalparticipation_id, h.id, h.name, h.name_en, r.code, r.name, "
        "r.short_name, r.name_en, h.operator_id, o.name, o.name_en, h.site_name, h.address, "
        "h.city, h.capabilities, h.capabilities_en, h.has_gpu, h.has_testbed, h.opening_hours, "
        "h.opening_hours_en, h.created_at, h.updated_at, h.version, h.site_name_en, h.address_en, "
        "h.city_en "
        "FROM programs_regionalparticipation_hubs t JOIN programs_hub h ON h.id = t.hub_id "
        "JOIN core_region r ON r.id = h.region_id "
        "LEFT JOIN core_organization o ON o.id = h.operator_id "
        "WHERE t.regionalparticipation_id = ANY(%s) "
        "ORDER BY t.regionalparticipation_id, h.name, t.hub_id",
        [rp_ids],
    ):
        hubs.setdefault(h[0], []).append(
            {
                "id": h[1],
                "name": h[2],
                "name_en": h[3],
                "region": region(h[4], h[5], h[6], h[7]),
                "operator": ref(h[8], "name", h[9], "name_en", h[10]),
                "site_name": h[11],
                "site_name_en": h[23],
                "address": h[12],
                "address_en": h[24],
                "city": h[13],
                "city_en": h[25],
                "capabilities": h[14],
                "capabilities_en": h[15],
                "has_gpu": h[16],
                "has_testbed": h[17],
                "opening_hours": h[18],
                "opening_hours_en": h[19],
                **stamps(*h[20:23]),
            }
        )
    targets = fetch(
        "SELECT t.id, t.program_id, t.regional_participation_id, t.metric, t.metric_en, t.unit, "
        "t.direction, t.comparator, t.baseline_value, t.target_value, t.period_start, "
        f"t.period_end, t.applies_to, t.applies_to_en, t.note, {SOURCE_COLUMNS}, "
        "t.reporting_schedule, t.aggregation, t.measure, t.trajectory, t.rollup, "
        "t.contributes_to_id, ct.metric, ct.metric_en, t.outcome_statistic, t.outcome_metric, "
        "t.outcome_threshold, t.current_value, t.achievement_pct, t.status, t.created_at, "
        "t.updated_at, t.version, t.note_en FROM programs_target t "
        "LEFT JOIN core_source s ON s.id = t.source_id "
        "LEFT JOIN programs_target ct ON ct.id = t.contributes_to_id "
        "WHERE t.program_id = %s OR t.regional_participation_id = ANY(%s) ORDER BY t.id",
        [pk, rp_ids],
    )
    linked: dict = {}
    for rp_id, *program_row in fetch(
        "SELECT t.regionalparticipation_id, p.id, p.slug, p.name, p.name_en "
        "FROM programs_regionalparticipation_linked_programs t "
        "JOIN programs_program p ON p.id = t.program_id "
        "WHERE t.regionalparticipation_id = ANY(%s) "
        "ORDER BY t.regionalparticipation_id, p.name, t.program_id",
        [rp_ids],
    ):
        linked.setdefault(rp_id, []).append(program_ref(*program_row))
    program_targets: list = []
    rp_targets: dict = {}
    for t in targets:
        item = {
            "id": t[0],
            "metric": t[3],
            "metric_en": t[4],
            "unit": t[5],
            "direction": t[6],
            "comparator": t[7],
            "baseline_value": num(t[8]),
            "target_value": num(t[9]),
            "period_start": iso(t[10]),
            "period_end": iso(t[11]),
            "applies_to": t[12],
            "applies_to_en": t[13],
            "note": t[14],
            "note_en": t[39],
            "source": source(*t[15:22]),
            "reporting_schedule": t[22],
            "aggregation": t[23],
            "measure": t[24],
            "trajectory": t[25],
            "rollup": t[26],
            "contributes_to": ref(t[27], "metric", t[28], "metric_en", t[29]),
            "outcome_statistic": t[30],
            "outcome_metric": t[31],
            "outcome_threshold": num(t[32]),
            "current_value": num(t[33]),
            "achievement_pct": num(t[34]),
            "status": t[35],
            **stamps(*t[36:39]),
        }
        if t[1] is not None:
            program_targets.append(item)
        else:
            rp_targets.setdefault(t[2], []).append(item)
    children = [
        program_ref(*r)
        for r in fetch(
            "SELECT id, slug, name, name_en FROM programs_program WHERE parent_id = %s "
            "ORDER BY name, id",
            [pk],
        )
    ]
    return {
        "id": p[0],
        "url": f"{base}{p[0]}/",
        "slug": p[1],
        "name": p[2],
        "name_en": p[3],
        "short_name": p[4],
        "kind": p[5],
        "status": p[6],
        "parent": ref(p[7], "slug", p[8], "name", p[9], "name_en", p[10]),
        "lead_ministry": ref(p[11], "name", p[12], "name_en", p[13]),
        "summary": p[14],
        "summary_en": p[15],
        "description": p[16],
        "description_en": p[17],
        "planned_start": iso(p[18]),
        "planned_end": iso(p[19]),
        "actual_start": iso(p[20]),
        "actual_end": iso(p[21]),
        "application_start": iso(p[22]),
        "application_end": iso(p[23]),
        "date_note": p[24],
        "date_note_en": p[25],
        "link": p[26],
        "reporting_schedule": p[30],
        **stamps(*p[27:30]),
        "related": related,
        "sources": sources,
        "regions": regions,
        "linked_regions": linked_regions,
        "headline_budget_krw": budget(pk)["headline_krw"],
        "organizations": organizations,
        "budget_lines": budget_lines,
        "regional_participations": [
            {
                "id": r[0],
                "region": region(r[1], r[2], r[3], r[4]),
                "status": r[5],
                "selected_on": iso(r[6]),
                "strategy_title": r[7],
                "strategy_title_en": r[8],
                "plan_title": r[9],
                "plan_title_en": r[24],
                "executing_organization": ref(r[10], "name", r[11], "name_en", r[12]),
                "official": ref(
                    r[13], "name", r[14], "name_en", r[15], "position", r[16], "position_en", r[17]
                ),
                "budget_krw": r[18],
                "summary": r[19],
                "summary_en": r[20],
                **stamps(*r[21:24]),
                "hubs": hubs.get(r[0], []),
                "targets": rp_targets.get(r[0], []),
                "linked_programs": linked.get(r[0], []),
            }
            for r in rps
        ],
        "targets": program_targets,
        "children": children,
    }


# --- /api/v1/programs/{id}/summary/ -----------------------------------------------------------

PARTICIPATION_STATUSES = ("applied", "selected", "in_progress", "completed", "dropped")
TARGET_STATUSES = ("no_period", "no_data", "achieved", "on_track", "at_risk", "off_track")


def amount_groups(lines: list[tuple], index: int) -> list[dict]:
    """Sums of budget lines (amount first) by the column at ``index``, in key order (null last)."""
    sums: dict = {}
    for line in lines:
        group = sums.get(line[index])
        if group is None:
            group = sums[line[index]] = {"key": line[index], "amount_krw": 0, "lines": 0}
        group["amount_krw"] += line[0]
        group["lines"] += 1
    return [sums[k] for k in sorted(sums, key=lambda k: (k is None, k or 0))]


def budget(pk: int) -> dict:
    """Per source its figure: its lines for the program as a whole, or its regional lines when
    it states no overall figure; the headline is the largest figure (the first on a tie)."""
    per_source: dict = {}
    for line in fetch(
        "SELECT b.amount_krw, b.funding_source, b.vehicle, b.fiscal_year, "
        f"b.regional_participation_id, {SOURCE_COLUMNS} FROM programs_budgetline b "
        "JOIN core_source s ON s.id = b.source_id WHERE b.program_id = %s "
        "ORDER BY s.published_at, b.source_id, b.id",
        [pk],
    ):
        per_source.setdefault(line[5], []).append(line)
    by_source = []
    headline = None
    for lines in per_source.values():
        national = [line for line in lines if line[4] is None]
        used = national or lines
        figure = {
            "source": source(*used[0][5:12]),
            "amount_krw": sum(line[0] for line in used),
            "lines": len(used),
            "regional_only": not national,
            "by_funding_source": amount_groups(used, 1),
            "by_vehicle": amount_groups(used, 2),
            "by_year": amount_groups(used, 3),
        }
        if headline is None or figure["amount_krw"] > headline["amount_krw"]:
            headline = figure
        by_source.append(figure)
    return {
        "headline_krw": headline["amount_krw"] if headline else None,
        "headline_source": headline["source"] if headline else None,
        "figures": len(by_source),
        "lines": sum(len(lines) for lines in per_source.values()),
        "by_source": by_source,
    }


def program_summary(request: FloorRequest, program: int):
    pk = program
    found = fetch("SELECT id, slug, name, name_en FROM programs_program WHERE id = %s", [pk])
    if not found:
        return None
    regions = [
        {
            "region": region(*r[:4]),
            "linked": False,
            "linked_via": None,
            "status": r[4],
            "selected_on": iso(r[5]),
            "budget_krw": r[6],
            "hubs": r[7],
            "targets": r[8],
        }
        for r in fetch(
            "SELECT r.code, r.name, r.short_name, r.name_en, rp.status, rp.selected_on, "
            "rp.budget_krw, COUNT(DISTINCT h.hub_id), COUNT(DISTINCT t.id) "
            "FROM programs_regionalparticipation rp JOIN core_region r ON r.id = rp.region_id "
            "LEFT JOIN programs_regionalparticipation_hubs h ON h.regionalparticipation_id = rp.id "
            "LEFT JOIN programs_target t ON t.regional_participation_id = rp.id "
            "WHERE rp.program_id = %s GROUP BY r.code, r.name, r.short_name, r.name_en, "
            "rp.status, rp.selected_on, rp.budget_krw ORDER BY r.code",
            [pk],
        )
    ]
    taking_part = {r["region"]["code"] for r in regions}
    regions += [
        {
            "region": region(*r[:4]),
            "linked": True,
            "linked_via": program_ref(*r[4:]),
            "status": None,
            "selected_on": None,
            "budget_krw": None,
            "hubs": 0,
            "targets": 0,
        }
        for r in fetch(
            "SELECT r.code, r.name, r.short_name, r.name_en, p.id, p.slug, p.name, p.name_en "
            "FROM programs_regionalparticipation_linked_programs t "
            "JOIN programs_regionalparticipation rp ON rp.id = t.regionalparticipation_id "
            "JOIN core_region r ON r.id = rp.region_id "
            "JOIN programs_program p ON p.id = rp.program_id WHERE t.program_id = %s "
            "ORDER BY r.code, p.name, rp.program_id",
            [pk],
        )
        if r[0] not in taking_part
    ]
    company_rows = fetch(
        "SELECT status, COUNT(id), SUM(support_amount_krw)::bigint FROM programs_participation "
        "WHERE program_id = %s GROUP BY status",
        [pk],
    )
    company_counts = {status: n for status, n, _support in company_rows}
    items = [
        {
            "id": t[0],
            "region": t[1],
            "metric": t[2],
            "metric_en": t[3],
            "unit": t[4],
            "comparator": t[5],
            "baseline_value": num(t[6]),
            "target_value": num(t[7]),
            "latest_value": num(t[8]),
            "achievement_pct": num(t[9]),
            "status": t[10],
        }
        for t in fetch(
            "SELECT t.id, r.code, t.metric, t.metric_en, t.unit, t.comparator, t.baseline_value, "
            "t.target_value, t.current_value, t.achievement_pct, t.status "
            "FROM programs_target t "
            "LEFT JOIN programs_regionalparticipation rp ON rp.id = t.regional_participation_id "
            "LEFT JOIN core_region r ON r.id = rp.region_id "
            "WHERE t.program_id = %s OR rp.program_id = %s ORDER BY r.code ASC NULLS FIRST, t.id",
            [pk, pk],
        )
    ]
    target_counts = dict(
        fetch(
            "SELECT t.status, COUNT(t.id) FROM programs_target t "
            "LEFT JOIN programs_regionalparticipation rp ON rp.id = t.regional_participation_id "
            "WHERE t.program_id = %s OR rp.program_id = %s GROUP BY t.status",
            [pk, pk],
        )
    )
    (awards,) = fetch(
        "SELECT COUNT(*) FROM events_award a LEFT JOIN events_event e ON e.id = a.event_id "
        "LEFT JOIN events_event p ON p.id = e.parent_id "
        f"WHERE a.program_id = %s AND (a.event_id IS NULL OR ({PUBLIC_EVENTS}))",
        [pk],
    )[0]
    return {
        "program": dict(zip(("id", "slug", "name", "name_en"), found[0], strict=True)),
        "url": request.absolute(f"/api/v1/programs/{pk}/summary/"),
        "budget": budget(pk),
        "regions": regions,
        "companies": {
            "total": sum(n for _s, n, _support in company_rows),
            "support_total_krw": sum(support or 0 for _s, _n, support in company_rows),
            "by_status": [
                {"status": s, "count": company_counts.get(s, 0)} for s in PARTICIPATION_STATUSES
            ],
        },
        "targets": {
            "total": len(items),
            "by_status": [{"status": s, "count": target_counts.get(s, 0)} for s in TARGET_STATUSES],
            "items": items,
        },
        "awards": awards,
        "cofinancing": cofinancing(pk),
    }


COFINANCING_SPLIT = {"national", "local", "private"}


def cofinancing_pct(part: int, whole: int) -> Decimal:
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def cofinancing_judge(bound: str, percent: Decimal, pct: Decimal) -> str:
    held = pct <= percent if bound == "at_most" else pct >= percent
    return "compliant" if held else "violation"


def cofinancing_overall(statuses) -> str | None:
    statuses = set(statuses) - {None}
    if not statuses:
        return None
    if "violation" in statuses:
        return "violation"
    return "compliant" if statuses == {"compliant"} else "unknown"


def cofinancing(pk: int) -> dict:
    """The program's co-financing rules and each region's compliance (programs.cofinancing):
    regional budgets per source statement, company participations one by one."""
    rules = fetch(
        "SELECT c.id, c.scope, c.share, c.bound, c.percent, c.basis, c.source_id, s.key, s.kind, "
        "s.publisher, s.title, s.url, s.published_at, c.created_at, c.updated_at, c.version "
        "FROM programs_cofinancingrule c LEFT JOIN core_source s ON s.id = c.source_id "
        "WHERE c.program_id = %s ORDER BY c.scope, c.share, c.bound, c.id",
        [pk],
    )
    if not rules:
        return {"rules": [], "regions": []}
    regions: dict = {}
    for rp_id, *rg in fetch(
        "SELECT rp.id, r.code, r.name, r.short_name, r.name_en "
        "FROM programs_regionalparticipation rp JOIN core_region r ON r.id = rp.region_id "
        "WHERE rp.program_id = %s",
        [pk],
    ):
        regions[rg[0]] = {"rp": rp_id, "region": region(*rg), "checks": []}
    statements: dict = {}
    for line in fetch(
        "SELECT b.regional_participation_id, b.source_id, b.fiscal_year, b.period_start_year, "
        f"b.period_end_year, b.funding_source, b.amount_krw, {SOURCE_COLUMNS} "
        "FROM programs_budgetline b JOIN core_source s ON s.id = b.source_id "
        "JOIN programs_regionalparticipation rp ON rp.id = b.regional_participation_id "
        "WHERE rp.program_id = %s ORDER BY b.program_id, b.amount_krw DESC, b.id",
        [pk],
    ):
        statement = statements.setdefault(line[0], {}).setdefault(
            tuple(line[1:5]), {"source": source(*line[7:14]), "funding": {}}
        )
        statement["funding"][line[5]] = statement["funding"].get(line[5], 0) + line[6]
    regional = [r for r in rules if r[1] == "regional_budget"]
    for entry in regions.values():
        for statement in statements.get(entry["rp"], {}).values():
            funding = statement["funding"]
            total = sum(funding.values())
            unclear = set(funding) - COFINANCING_SPLIT
            split = len(set(funding) & COFINANCING_SPLIT)
            for rule in regional:
                check = {"rule": rule[0], "source": statement["source"]}
                if unclear:
                    reason = "재원이 섞였거나 밝혀지지 않은 금액이 있음"
                elif split < 2 or total == 0:
                    reason = "이 출처는 재원별로 나누어 밝히지 않음"
                else:
                    reason = ""
                if reason:
                    check.update(status="unknown", share_pct=None, reason=reason)
                else:
                    pct = cofinancing_pct(funding.get(rule[2], 0), total)
                    status = cofinancing_judge(rule[3], rule[4], pct)
                    check.update(status=status, share_pct=num(pct), reason="")
                entry["checks"].append(check)
    company_rules = [r for r in rules if r[1] == "company_support"]
    for pr in fetch(
        "SELECT COALESCE(r.code, cr.code), COALESCE(r.name, cr.name), "
        "COALESCE(r.short_name, cr.short_name), COALESCE(r.name_en, cr.name_en), "
        "pa.support_amount_krw, pa.self_funding_krw FROM programs_participation pa "
        "JOIN core_organization c ON c.id = pa.company_id "
        "LEFT JOIN core_region r ON r.id = pa.region_id "
        "LEFT JOIN core_region cr ON cr.id = c.region_id "
        "WHERE pa.program_id = %s",
        [pk],
    ):
        if not company_rules or pr[0] is None:
            continue
        support, own = pr[4], pr[5]
        statuses = set()
        for rule in company_rules:
            base = None
            if support is not None and own is not None:
                base = support + own if rule[5] == "total" else support
            if not base:
                statuses.add("unknown")
            else:
                statuses.add(cofinancing_judge(rule[3], rule[4], cofinancing_pct(own, base)))
        entry = regions.setdefault(pr[0], {"rp": None, "region": region(*pr[:4]), "checks": []})
        companies = entry.setdefault("companies", {"compliant": 0, "violation": 0, "unknown": 0})
        companies[cofinancing_overall(statuses)] += 1
    out = []
    for code in sorted(regions):
        entry = regions[code]
        companies = entry.get("companies", {"compliant": 0, "violation": 0, "unknown": 0})
        budget_status = cofinancing_overall(c["status"] for c in entry["checks"])
        out.append(
            {
                "region": entry["region"],
                "status": cofinancing_overall(
                    {budget_status} | {status for status, n in companies.items() if n}
                ),
                "budget_status": budget_status,
                "budget_checks": entry["checks"],
                "companies": companies,
            }
        )
    return {
        "rules": [
            {
                "id": r[0],
                "scope": r[1],
                "share": r[2],
                "bound": r[3],
                "percent": num(r[4]),
                "basis": r[5],
                "source": None if r[6] is None else source(*r[6:13]),
                **stamps(*r[13:16]),
            }
            for r in rules
        ],
        "regions": out,
    }
