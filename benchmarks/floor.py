"""The floor: the same payloads as the API, built by hand-written SQL and orjson.

Served by the same server (through the same middleware) only when ``settings.BENCH_FLOOR`` is
on (``benchmarks.settings``); ``benchmarks.run`` checks that each floor payload equals the API's
before it measures. The queries mirror the API's (same rows, same order, same number), so the
ratio measures what the framework costs: DRF, django-filter, the ORM and the readers.
"""

import datetime
from decimal import Decimal

import orjson
from django.db import connection
from django.http import Http404, HttpResponse

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


def respond(payload) -> HttpResponse:
    return HttpResponse(orjson.dumps(payload), content_type="application/json")


def page_params(request) -> tuple[int, int]:
    return int(request.GET.get("page", 1)), int(request.GET.get("page_size", 50))


def links(base: str, page: int, size: int, count: int) -> tuple[str | None, str | None]:
    last = max(1, -(-count // size))
    nxt = f"{base}?page={page + 1}&page_size={size}" if page < last else None
    if page <= 1:
        prev = None
    elif page == 2:
        prev = f"{base}?page_size={size}"
    else:
        prev = f"{base}?page={page - 1}&page_size={size}"
    return nxt, prev


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


def companies(request):
    page, size = page_params(request)
    base = request.build_absolute_uri("/api/v1/companies/")
    (count,) = fetch(
        "SELECT COUNT(*) FROM companies_company c "
        "JOIN core_organization o ON o.id = c.organization_ptr_id"
    )[0]
    rows = fetch(
        "SELECT o.id, o.name, o.name_en, o.short_name, c.business_number, c.ksic_code, "
        "c.industry, c.size, c.is_ai_supplier, c.is_ai_demand, c.ceo_name, c.address, "
        "o.website, r.code, r.name, r.short_name, r.name_en, o.updated_at, o.version "
        "FROM companies_company c JOIN core_organization o ON o.id = c.organization_ptr_id "
        "LEFT JOIN core_region r ON r.id = o.region_id "
        "ORDER BY o.name, o.id LIMIT %s OFFSET %s",
        [size, (page - 1) * size],
    )
    results = [
        {
            "id": r[0],
            "url": f"{base}{r[0]}/",
            "name": r[1],
            "name_en": r[2],
            "short_name": r[3],
            "business_number": r[4],
            "ksic_code": r[5],
            "industry": r[6],
            "size": r[7],
            "is_ai_supplier": r[8],
            "is_ai_demand": r[9],
            "ceo_name": r[10],
            "address": r[11],
            "website": r[12],
            "region": region(r[13], r[14], r[15], r[16]),
            "updated_at": iso(r[17]),
            "version": r[18],
        }
        for r in rows
    ]
    nxt, prev = links(base, page, size, count)
    return respond({"count": count, "next": nxt, "previous": prev, "results": results})


# --- /api/v1/events/ --------------------------------------------------------------------------

PUBLIC_EVENTS = "(e.embargo_until IS NULL OR e.embargo_until <= now())"


def events(request):
    page, size = page_params(request)
    base = request.build_absolute_uri("/api/v1/events/")
    (count,) = fetch(f"SELECT COUNT(*) FROM events_event e WHERE {PUBLIC_EVENTS}")[0]
    rows = fetch(
        "SELECT e.id, e.slug, e.name, e.name_en, e.kind, e.parent_id, p.slug, p.name, p.name_en, "
        "e.starts_at, e.ends_at, e.time_is_known, e.date_note, e.venue_name, e.venue_name_en, "
        "e.venue_address, e.city, r.code, r.name, r.short_name, r.name_en, "
        "e.alternative_venue_name, e.alternative_venue_note, e.attendee_count_approx, "
        "e.summary, e.summary_en, e.release_at, e.embargo_until, e.embargo_note, "
        "e.open_to_press, e.updated_at, e.version "
        "FROM events_event e LEFT JOIN events_event p ON p.id = e.parent_id "
        f"LEFT JOIN core_region r ON r.id = e.region_id WHERE {PUBLIC_EVENTS} "
        "ORDER BY e.starts_at DESC, e.id LIMIT %s OFFSET %s",
        [size, (page - 1) * size],
    )
    ids = [r[0] for r in rows]
    roles: dict = {}
    for event_id, role, org_id, name, name_en in fetch(
        "SELECT eo.event_id, eo.role, eo.organization_id, o.name, o.name_en "
        "FROM events_eventorganization eo JOIN core_organization o ON o.id = eo.organization_id "
        "WHERE eo.event_id = ANY(%s) ORDER BY eo.event_id, eo.role, eo.id",
        [ids],
    ):
        roles.setdefault(event_id, []).append(
            {"organization": {"id": org_id, "name": name, "name_en": name_en}, "role": role}
        )
    programs: dict = {}
    for event_id, pk, slug, name, name_en in fetch(
        "SELECT ep.event_id, p.id, p.slug, p.name, p.name_en FROM events_event_programs ep "
        "JOIN programs_program p ON p.id = ep.program_id WHERE ep.event_id = ANY(%s) "
        "ORDER BY ep.event_id, p.name, ep.program_id",
        [ids],
    ):
        programs.setdefault(event_id, []).append(
            {"id": pk, "slug": slug, "name": name, "name_en": name_en}
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
            "venue_name": r[13],
            "venue_name_en": r[14],
            "venue_address": r[15],
            "city": r[16],
            "region": region(r[17], r[18], r[19], r[20]),
            "alternative_venue_name": r[21],
            "alternative_venue_note": r[22],
            "attendee_count_approx": r[23],
            "summary": r[24],
            "summary_en": r[25],
            "release_at": iso(r[26]),
            "embargo_until": iso(r[27]),
            "embargo_note": r[28],
            "open_to_press": r[29],
            "organizations": roles.get(r[0], []),
            "programs": programs.get(r[0], []),
            "updated_at": iso(r[30]),
            "version": r[31],
        }
        for r in rows
    ]
    nxt, prev = links(base, page, size, count)
    return respond({"count": count, "next": nxt, "previous": prev, "results": results})


# --- /api/v1/programs/{id}/ -------------------------------------------------------------------

SOURCE_COLUMNS = "s.id, s.key, s.kind, s.publisher, s.title, s.url, s.published_at"


def program_detail(request, pk: int):
    base = request.build_absolute_uri("/api/v1/programs/")
    found = fetch(
        "SELECT p.id, p.slug, p.name, p.name_en, p.short_name, p.kind, p.status, p.parent_id, "
        "pp.slug, pp.name, pp.name_en, p.lead_ministry_id, lm.name, lm.name_en, p.summary, "
        "p.summary_en, p.planned_start, p.planned_end, p.actual_start, p.actual_end, "
        "p.application_start, p.application_end, p.date_note, p.url, p.updated_at, p.version, "
        "p.description, p.description_en FROM programs_program p "
        "LEFT JOIN programs_program pp ON pp.id = p.parent_id "
        "LEFT JOIN core_organization lm ON lm.id = p.lead_ministry_id WHERE p.id = %s",
        [pk],
    )
    if not found:
        raise Http404
    p = found[0]
    regions = [
        code
        for (code,) in fetch(
            "SELECT r.code FROM programs_regionalparticipation rp "
            "JOIN core_region r ON r.id = rp.region_id WHERE rp.program_id = %s ORDER BY r.code",
            [pk],
        )
    ]
    organizations = [
        {"organization": {"id": o, "name": n, "name_en": e}, "role": role, "note": note}
        for role, note, o, n, e in fetch(
            "SELECT po.role, po.note, po.organization_id, o.name, o.name_en "
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
            "region": b[11],
            "source": source(*b[12:19]),
            "updated_at": iso(b[19]),
        }
        for b in fetch(
            "SELECT b.id, b.amount_krw, b.funding_source, b.vehicle, b.fiscal_year, "
            "b.period_start_year, b.period_end_year, b.status, b.purpose, b.purpose_en, "
            f"b.quoted_text, r.code, {SOURCE_COLUMNS}, b.updated_at FROM programs_budgetline b "
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
        "eo.name, eo.name_en, rp.official_id, pe.name, pe.name_en, pe.position, rp.budget_krw, "
        "rp.summary, rp.summary_en, rp.updated_at FROM programs_regionalparticipation rp "
        "JOIN core_region r ON r.id = rp.region_id "
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
        "h.city, h.capabilities, h.capabilities_en, h.has_gpu, h.has_testbed, h.opening_hours "
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
                "address": h[12],
                "city": h[13],
                "capabilities": h[14],
                "capabilities_en": h[15],
                "has_gpu": h[16],
                "has_testbed": h[17],
                "opening_hours": h[18],
            }
        )
    linked: dict = {}
    for rp_id, lp, slug, name, name_en in fetch(
        "SELECT t.regionalparticipation_id, p.id, p.slug, p.name, p.name_en "
        "FROM programs_regionalparticipation_linked_programs t "
        "JOIN programs_program p ON p.id = t.program_id "
        "WHERE t.regionalparticipation_id = ANY(%s) "
        "ORDER BY t.regionalparticipation_id, p.name, t.program_id",
        [rp_ids],
    ):
        linked.setdefault(rp_id, []).append(
            {"id": lp, "slug": slug, "name": name, "name_en": name_en}
        )
    targets = fetch(
        "SELECT t.id, t.program_id, t.regional_participation_id, t.metric, t.metric_en, t.unit, "
        "t.direction, t.comparator, t.baseline_value, t.target_value, t.period_start, "
        f"t.period_end, t.applies_to, t.note, t.achievement_pct, t.status, {SOURCE_COLUMNS}, "
        "t.updated_at, t.reporting_schedule, t.aggregation, t.measure, t.trajectory, t.rollup, "
        "t.outcome_statistic, t.outcome_metric, t.outcome_threshold, t.current_value, "
        "ct.id, ct.metric, ct.metric_en "
        "FROM programs_target t LEFT JOIN core_source s ON s.id = t.source_id "
        "LEFT JOIN programs_target ct ON ct.id = t.contributes_to_id "
        "WHERE t.program_id = %s OR t.regional_participation_id = ANY(%s) ORDER BY t.id",
        [pk, rp_ids],
    )
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
            "note": t[13],
            "achievement_pct": num(t[14]),
            "status": t[15],
            "source": source(*t[16:23]),
            "updated_at": iso(t[23]),
            "reporting_schedule": t[24],
            "aggregation": t[25],
            "measure": t[26],
            "trajectory": t[27],
            "rollup": t[28],
            "outcome_statistic": t[29],
            "outcome_metric": t[30],
            "outcome_threshold": num(t[31]),
            "current_value": num(t[32]),
            "contributes_to": None
            if t[33] is None
            else {"id": t[33], "metric": t[34], "metric_en": t[35]},
        }
        if t[1] is not None:
            program_targets.append(item)
        else:
            rp_targets.setdefault(t[2], []).append(item)
    related = [
        {"id": i, "slug": s, "name": n, "name_en": e}
        for i, s, n, e in fetch(
            "SELECT p.id, p.slug, p.name, p.name_en FROM programs_program_related t "
            "JOIN programs_program p ON p.id = t.to_program_id WHERE t.from_program_id = %s "
            "ORDER BY p.name, t.to_program_id",
            [pk],
        )
    ]
    children = [
        {"id": i, "slug": s, "name": n, "name_en": e}
        for i, s, n, e in fetch(
            "SELECT id, slug, name, name_en FROM programs_program WHERE parent_id = %s "
            "ORDER BY name, id",
            [pk],
        )
    ]
    sources = [
        source(*s)
        for s in fetch(
            f"SELECT {SOURCE_COLUMNS} FROM programs_program_sources t "
            "JOIN core_source s ON s.id = t.source_id WHERE t.program_id = %s "
            "ORDER BY s.published_at, t.source_id",
            [pk],
        )
    ]
    payload = {
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
        "planned_start": iso(p[16]),
        "planned_end": iso(p[17]),
        "actual_start": iso(p[18]),
        "actual_end": iso(p[19]),
        "application_start": iso(p[20]),
        "application_end": iso(p[21]),
        "date_note": p[22],
        "link": p[23],
        "regions": regions,
        "updated_at": iso(p[24]),
        "version": p[25],
        "description": p[26],
        "description_en": p[27],
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
                "executing_organization": ref(r[10], "name", r[11], "name_en", r[12]),
                "official": ref(r[13], "name", r[14], "name_en", r[15], "position", r[16]),
                "budget_krw": r[17],
                "summary": r[18],
                "summary_en": r[19],
                "hubs": hubs.get(r[0], []),
                "targets": rp_targets.get(r[0], []),
                "linked_programs": linked.get(r[0], []),
                "updated_at": iso(r[20]),
            }
            for r in rps
        ],
        "targets": program_targets,
        "related": related,
        "children": children,
        "sources": sources,
    }
    return respond(payload)


# --- /api/v1/programs/{id}/summary/ -----------------------------------------------------------

PARTICIPATION_STATUSES = ("applied", "selected", "in_progress", "completed", "dropped")
TARGET_STATUSES = ("no_data", "achieved", "on_track", "at_risk", "off_track")


def amount_groups(pk: int, column: str) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = {}
    for source_id, key, amount, lines in fetch(
        f"SELECT source_id, {column}, SUM(amount_krw)::bigint, COUNT(id) FROM programs_budgetline "
        f"WHERE program_id = %s GROUP BY source_id, {column} "
        f"ORDER BY source_id, {column} ASC NULLS LAST",
        [pk],
    ):
        out.setdefault(source_id, []).append(
            {"key": key, "amount_krw": amount or 0, "lines": lines}
        )
    return out


def program_summary(request, pk: int):
    found = fetch("SELECT id, slug, name, name_en FROM programs_program WHERE id = %s", [pk])
    if not found:
        raise Http404
    program = dict(zip(("id", "slug", "name", "name_en"), found[0], strict=True))
    (headline,) = fetch(
        "SELECT MAX(amount_krw)::bigint FROM programs_budgetline WHERE program_id = %s", [pk]
    )[0]
    groups = {
        name: amount_groups(pk, column)
        for name, column in (
            ("by_funding_source", "funding_source"),
            ("by_vehicle", "vehicle"),
            ("by_year", "fiscal_year"),
        )
    }
    by_source = [
        {
            "source": source(*r[:7]),
            "amount_krw": r[7] or 0,
            "lines": r[8],
            **{name: per.get(r[0], []) for name, per in groups.items()},
        }
        for r in fetch(
            f"SELECT {SOURCE_COLUMNS}, SUM(b.amount_krw)::bigint, COUNT(b.id) FROM programs_budgetline b "
            "JOIN core_source s ON s.id = b.source_id WHERE b.program_id = %s "
            "GROUP BY s.id, s.key, s.kind, s.publisher, s.title, s.url, s.published_at "
            "ORDER BY s.published_at, s.id",
            [pk],
        )
    ]
    regions = [
        {
            "region": region(*r[:4]),
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
        "SELECT COUNT(a.id) FROM programs_program p "
        "LEFT JOIN events_award a ON a.program_id = p.id WHERE p.id = %s",
        [pk],
    )[0]
    payload = {
        "program": program,
        "url": request.build_absolute_uri(f"/api/v1/programs/{pk}/summary/"),
        "budget": {
            "headline_krw": headline,
            "lines": sum(s["lines"] for s in by_source),
            "by_source": by_source,
        },
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
    }
    return respond(payload)
