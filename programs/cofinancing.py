"""One computation of a program's co-financing rules (``CofinancingRule``), used by the admin's
warnings, the data-quality page and mail, and the API program summary.

- **Regional budget** rules are checked per source: the budget lines of one regional
  participation are grouped by the source that states them (and by fiscal year / period), as
  figures of different sources are never added up. A group can be judged only when it splits
  the money by funding source (at least two of 국비, 지방비, 민간·자부담) and holds no line
  whose funding is mixed or unknown; otherwise it is "판단 불가".
- **Company support** rules are checked per participation: 자부담 against the total project
  cost (지원금 + 자부담) or against the support, when both amounts are recorded.

A participation is counted in the region it is registered in (else its company's region).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import Region

from .models import BudgetLine, CofinancingRule, Participation, Program, RegionalParticipation

COMPLIANT, VIOLATION, UNKNOWN = "compliant", "violation", "unknown"
STATUS_LABELS = {
    COMPLIANT: gettext_lazy("지킴"),
    VIOLATION: gettext_lazy("위반"),
    UNKNOWN: gettext_lazy("판단 불가"),
}
STATUS_CHOICES = list(STATUS_LABELS.items())
Rule = CofinancingRule
Share = CofinancingRule.Share
FUNDING_OF_SHARE = {
    Share.NATIONAL: BudgetLine.FundingSource.NATIONAL,
    Share.LOCAL: BudgetLine.FundingSource.LOCAL,
    Share.PRIVATE: BudgetLine.FundingSource.PRIVATE,
}
SPLIT_FUNDING = set(FUNDING_OF_SHARE.values())


@dataclass
class Check:
    """One rule applied to one statement (a source's regional budget, or a participation)."""

    rule: CofinancingRule
    status: str
    share_pct: Decimal | None = None
    subject: object = None  # RegionalParticipation or Participation
    source: object = None  # the Source whose lines were judged (regional rules)
    reason: str = ""

    @property
    def message(self) -> str:
        where = str(self.subject)
        if self.source is not None:
            where = f"{where} (출처: {self.source})"
        if self.status == UNKNOWN:
            return f"{where}: {self.rule} — {STATUS_LABELS[UNKNOWN]} ({self.reason})"
        return _("%(where)s: %(share)s 비율 %(pct)s%% — 규칙 ‘%(rule)s’ %(status)s") % {
            "where": where,
            "share": self.rule.get_share_display(),
            "pct": self.share_pct,
            "rule": self.rule,
            "status": STATUS_LABELS[self.status],
        }


@dataclass
class RegionCompliance:
    """A region's standing against a program's rules, for the API summary."""

    region: object
    budget_status: str | None = None  # None: no regional-budget rule
    budget_checks: list[Check] = field(default_factory=list)
    companies: dict[str, int] = field(
        default_factory=lambda: {COMPLIANT: 0, VIOLATION: 0, UNKNOWN: 0}
    )

    @property
    def status(self) -> str | None:
        """The region's standing: its budget's and its companies' together."""
        return overall_status(
            {self.budget_status} | {status for status, n in self.companies.items() if n}
        )


def _pct(part: int, whole: int) -> Decimal:
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _judge(rule: CofinancingRule, pct: Decimal) -> str:
    if rule.bound == Rule.Bound.AT_MOST:
        return COMPLIANT if pct <= rule.percent else VIOLATION
    return COMPLIANT if pct >= rule.percent else VIOLATION


def _statements(lines):
    """Budget lines grouped into statements: (source, year or period) → lines."""
    groups = defaultdict(list)
    for line in lines:
        key = (line.source_id, line.fiscal_year, line.period_start_year, line.period_end_year)
        groups[key].append(line)
    return list(groups.values())


def regional_checks(participation: RegionalParticipation, rules, lines) -> list[Check]:
    """The regional-budget ``rules`` applied to each source's statement in ``lines`` (the
    regional participation's budget lines)."""
    rules = [r for r in rules if r.scope == Rule.Scope.REGIONAL_BUDGET]
    checks = []
    for statement in _statements(lines):
        source = statement[0].source
        by_funding = defaultdict(int)
        for line in statement:
            by_funding[line.funding_source] += line.amount_krw
        total = sum(by_funding.values())
        unclear = set(by_funding) - SPLIT_FUNDING
        split = len(set(by_funding) & SPLIT_FUNDING)
        for rule in rules:
            if unclear:
                reason = _("재원이 섞였거나 밝혀지지 않은 금액이 있음")
            elif split < 2 or total == 0:
                reason = _("이 출처는 재원별로 나누어 밝히지 않음")
            else:
                reason = ""
            if reason:
                checks.append(Check(rule, UNKNOWN, None, participation, source, reason))
                continue
            pct = _pct(by_funding.get(FUNDING_OF_SHARE[rule.share], 0), total)
            checks.append(Check(rule, _judge(rule, pct), pct, participation, source))
    return checks


def _support_judgements(support, own, rules):
    """(rule, status, share in percent, reason) of each company-support rule for one
    participation's support and self-funding."""
    for rule in rules:
        if rule.scope != Rule.Scope.COMPANY_SUPPORT:
            continue
        base = None
        if support is not None and own is not None:
            base = support + own if rule.basis == Rule.Basis.TOTAL else support
        if not base:
            yield rule, UNKNOWN, None, _("지원금과 자부담이 모두 기록되지 않음")
            continue
        pct = _pct(own, base)
        yield rule, _judge(rule, pct), pct, ""


def company_checks(participation: Participation, rules) -> list[Check]:
    """The company-support ``rules`` applied to one participation's support and self-funding."""
    return [
        Check(rule, status, pct, participation, None, reason)
        for rule, status, pct, reason in _support_judgements(
            participation.support_amount_krw, participation.self_funding_krw, rules
        )
    ]


def _overall(checks) -> str | None:
    return overall_status({c.status for c in checks})


def overall_status(statuses) -> str | None:
    """One status for several: a violation wins, then "판단 불가"; None for no status at all."""
    statuses = set(statuses) - {None}
    if not statuses:
        return None
    if VIOLATION in statuses:
        return VIOLATION
    return COMPLIANT if statuses == {COMPLIANT} else UNKNOWN


def _rules_by_program(program_ids) -> dict[int, list[CofinancingRule]]:
    rules = defaultdict(list)
    for rule in CofinancingRule.objects.filter(program_id__in=program_ids):
        rules[rule.program_id].append(rule)
    return rules


def _everything(queryset):
    return queryset


def regional_participation_checks(participations, visible=_everything) -> dict[int, list[Check]]:
    """Regional-budget checks of many regional participations, in two queries. ``visible``
    narrows the budget lines read (the API passes the caller's visibility rule)."""
    participations = list(participations)
    rules = _rules_by_program({p.program_id for p in participations})
    lines = defaultdict(list)
    for line in visible(
        BudgetLine.objects.filter(regional_participation__in=[p.pk for p in participations])
    ).select_related("source"):
        lines[line.regional_participation_id].append(line)
    return {
        p.pk: regional_checks(p, rules.get(p.program_id, []), lines.get(p.pk, []))
        for p in participations
    }


def participation_checks(participations) -> dict[int, list[Check]]:
    """Company-support checks of many participations, in two queries."""
    participations = list(participations)
    rules = _rules_by_program({p.program_id for p in participations})
    return {p.pk: company_checks(p, rules.get(p.program_id, [])) for p in participations}


def violations(regional_participations=None, participations=None) -> list[Check]:
    """Every violated check among the given rows (all rows of programs with rules by default)."""
    ruled = CofinancingRule.objects.values("program_id")
    if regional_participations is None:
        regional_participations = RegionalParticipation.objects.filter(program__in=ruled)
    if participations is None:
        participations = Participation.objects.filter(program__in=ruled)
    regional_participations = regional_participations.select_related("program", "region")
    participations = participations.select_related("program", "company")
    found = [
        check
        for checks in regional_participation_checks(regional_participations).values()
        for check in checks
        if check.status == VIOLATION
    ]
    found += [
        check
        for checks in participation_checks(participations).values()
        for check in checks
        if check.status == VIOLATION
    ]
    return found


def program_compliance(program: Program, visible=_everything) -> dict:
    """The program's rules and each region's compliance, for the API program summary::

    {"rules": [CofinancingRule...], "regions": [RegionCompliance...]}  (in region code order)

    ``visible`` narrows every queryset read (the API passes the caller's visibility rule). At
    most four queries whatever the program holds (one without rules, three without
    company-support rules), so the summary's query count does not grow with the program.
    """
    rules = list(visible(CofinancingRule.objects.filter(program=program)))
    if not rules:
        return {"rules": [], "regions": []}
    participations = list(
        visible(RegionalParticipation.objects.filter(program=program)).select_related(
            "region", "program"
        )
    )
    # The rules are known already: read only the budget lines (one query).
    lines = defaultdict(list)
    for line in visible(
        BudgetLine.objects.filter(regional_participation__in=[p.pk for p in participations])
    ).select_related("source"):
        lines[line.regional_participation_id].append(line)
    regions = {}
    for rp in participations:
        checks = regional_checks(rp, rules, lines.get(rp.pk, []))
        regions[rp.region_id] = RegionCompliance(
            region=rp.region, budget_status=_overall(checks), budget_checks=checks
        )
    company_rules = [r for r in rules if r.scope == Rule.Scope.COMPANY_SUPPORT]
    # The companies are counted, never loaded: one row per (region, support, self-funding)
    # with its number of participations, the region's columns alongside (the region it is
    # registered in, else its company's).
    region_columns = [f.attname for f in Region._meta.concrete_fields]  # a whole Region
    effective = {
        f"r_{c}": Coalesce(f"region__{c}", f"company__region__{c}") for c in region_columns
    }
    groups = (
        visible(Participation.objects.filter(program=program))
        .order_by()
        .annotate(**effective)
        .values_list(*effective, "support_amount_krw", "self_funding_krw")
        .annotate(n=Count("pk"))
    )
    for *region_values, support, own, n in groups if company_rules else []:
        if region_values[0] is None:
            continue
        status = overall_status(s for _r, s, _p, _w in _support_judgements(support, own, rules))
        entry = regions.get(region_values[0])
        if entry is None:
            region = Region(**dict(zip(region_columns, region_values, strict=True)))
            entry = regions[region.pk] = RegionCompliance(region=region)
        entry.companies[status] += n
    return {
        "rules": rules,
        "regions": sorted(regions.values(), key=lambda r: r.region.code),
    }
