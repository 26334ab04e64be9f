"""Intake writes: hand a document in, analyse it (now or as a Celery job), accept proposals.

``intake_accept`` writes every accepted proposal through ``core.services.record_upsert``
(``full_clean`` like the admin), in one transaction: the Source is created once and cited on
every record, a figure an existing record states differently is added beside it with its own
source (never written over), every history row names the intake as its reason, and a regional
editor may only write records of its regions (``core.scoping.can_change``). Any refused record
refuses the whole acceptance: nothing is half-written.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core import scoping
from core.amounts import AmountError, parse_krw
from core.models import Organization, Person, Region, Source
from core.services import record_upsert

from .models import IntakeDocument
from .propose import analyse
from .readers import Document, IntakeInputError, read_text, read_upload

#: files (or pasted texts) above this many bytes are analysed by a Celery job
BACKGROUND_BYTES = 512 * 1024


def intake_document_create(*, user, text: str = "", upload=None, published=None, url: str = ""):
    """A new intake from pasted text or an uploaded file (``name`` and ``read()``).

    Small inputs are analysed at once; a large file is saved in the private storage and
    analysed by a Celery job (``status`` queued, ``progress`` 0..100). Raises
    ``IntakeInputError`` (nothing saved) for input that cannot be read.
    """
    if upload is not None:
        data = upload.read()
        name = upload.name.rsplit("/", 1)[-1][:200]
        document = read_upload(name, data)  # checks type, size and readability first
        background = len(data) > BACKGROUND_BYTES
    else:
        document = read_text(text)
        data, name = None, ""
        background = len(document.text.encode()) > BACKGROUND_BYTES
    with transaction.atomic():
        intake = IntakeDocument(
            title=document.title[:300],
            original_name=name,
            text=document.text,
            published_on=published,
            url=url or document.url,
            user=user,
            status=IntakeDocument.Status.QUEUED,
        )
        if data is not None:
            intake.file.save(name, ContentFile(data), save=False)
        intake.save()
        if background:
            from config.celery import enqueue_on_commit

            from .tasks import intake_document_run_task

            enqueue_on_commit(intake_document_run_task, intake.pk)
    if not background:
        intake_document_run(document_id=intake.pk, document=document)
        intake.refresh_from_db()
    return intake


def _document_of(intake: IntakeDocument) -> Document:
    if intake.file:
        with intake.file.open("rb") as handle:
            return read_upload(intake.original_name, handle.read())
    return Document(text=intake.text, kind="text", title=intake.title, url=intake.url)


def intake_document_run(*, document_id: int, document: Document | None = None, overrides=None):
    """Analyse one intake and store its proposals (idempotent: a second run gives the same)."""
    intake = IntakeDocument.objects.get(pk=document_id)
    if intake.status == IntakeDocument.Status.DONE:
        return intake
    IntakeDocument.objects.filter(pk=intake.pk).update(
        status=IntakeDocument.Status.RUNNING, progress=0
    )

    def progress(done, total):
        IntakeDocument.objects.filter(pk=intake.pk).update(
            progress=min(99, int(done * 100 / max(total, 1)))
        )

    try:
        document = document or _document_of(intake)
        if intake.url and not document.url:
            document.url = intake.url
        result = analyse(
            document, published=intake.published_on, progress=progress, overrides=overrides
        )
    except IntakeInputError as error:
        IntakeDocument.objects.filter(pk=intake.pk).update(
            status=IntakeDocument.Status.FAILED, error=error.message[:300]
        )
        intake.refresh_from_db()
        return intake
    intake.result = result
    intake.text = document.text
    intake.title = intake.title or result["source"]["title"][:300]
    intake.status = IntakeDocument.Status.READY
    intake.progress = 100
    intake.error = ""
    intake.save()
    return intake


def intake_items_override(*, intake: IntakeDocument, relevant: dict[int, bool], user):
    """Staff override the relevance of items; the proposals are made again for them."""
    overrides = {int(k): bool(v) for k, v in relevant.items()}
    intake._history_user = user
    return intake_document_run(document_id=intake.pk, overrides=overrides)


# --- acceptance --------------------------------------------------------------------------


class _Batch:
    """The records written so far in one acceptance, by the names proposals use."""

    def __init__(self, intake, user):
        self.intake = intake
        self.user = user
        self.reason = intake.history_reason
        self.source: Source | None = None
        self.programs: dict[str, object] = {}
        self.events: dict[str, object] = {}
        self.people: dict[str, Person] = {}
        self.written: dict[str, str] = {}


def _save(batch: _Batch, model, *, lookup, values, update=True, label=""):
    """``record_upsert`` with the intake's history reason and the region check."""
    instance = model.objects.filter(**lookup).first()
    candidate = instance or model(**lookup, **values)
    if instance is not None and update:
        for name, value in values.items():
            setattr(candidate, name, value)
    action = "change" if instance is not None else "add"
    meta = model._meta
    if batch.user is not None and not batch.user.has_perm(
        f"{meta.app_label}.{action}_{meta.model_name}"
    ):
        raise ValidationError(
            _("%(record)s: %(model)s을(를) %(action)s할 권한이 없습니다.")
            % {
                "record": label or str(candidate),
                "model": meta.verbose_name,
                "action": _("추가") if action == "add" else _("수정"),
            },
            code="permission",
        )
    if not scoping.can_change(batch.user, candidate):
        raise ValidationError(
            _("%(record)s: 담당 지역이 아닌 기록은 입수할 수 없습니다.")
            % {"record": label or str(candidate)},
            code="region_scope",
        )
    if instance is not None:
        instance.refresh_from_db()
    return record_upsert(
        model,
        lookup=lookup,
        values=values,
        update=update,
        change_reason=batch.reason,
        history_user=batch.user,
    )[0]


def _cite(batch, instance):
    """Add the intake's source to a record's sources (many-to-many), logged like a save."""
    if batch.source is not None and hasattr(instance, "sources"):
        instance.sources.add(batch.source)


def _date(value):
    if not value:
        return None
    if isinstance(value, dt.date):
        return value
    text = str(value)
    if len(text) == 4:
        return dt.date(int(text), 1, 1)
    if len(text) == 7:
        return dt.date(int(text[:4]), int(text[5:7]), 1)
    return dt.date.fromisoformat(text[:10])


def _datetime(value):
    if not value:
        return None
    text = str(value)
    if "T" in text:
        return dt.datetime.fromisoformat(text)
    from .values import SEOUL

    return dt.datetime.combine(_date(text), dt.time(), SEOUL)


def _decimal(value):
    try:
        return Decimal(str(value).replace(",", ""))
    except (InvalidOperation, ValueError) as error:
        raise ValidationError(_("숫자가 아닙니다: %(v)s") % {"v": value}) from error


def _krw(value):
    try:
        return parse_krw(value if isinstance(value, int) else str(value))
    except AmountError as error:
        raise ValidationError(str(error)) from error


def _region(code):
    if not code:
        return None
    region = Region.objects.filter(code=str(code)).first()
    if region is None:
        from .regions import region_code

        region = Region.objects.filter(code=region_code(str(code)) or "").first()
    if region is None:
        raise ValidationError(_("지역을 찾을 수 없습니다: %(v)s") % {"v": code})
    return region


def _unique_slug(model, text, fallback):
    base = slugify(text, allow_unicode=False)[:60] or fallback
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"[:80]
    return slug


def _organization(batch, name, kind="other"):
    if not name:
        return None
    from .entities import Matcher

    found = (
        Organization.objects.filter(name=name).first()
        or Organization.objects.filter(short_name=name).first()
    )
    if found:
        return found
    match = Matcher._match(
        Matcher._index(
            Organization.objects.values_list("id", "name", "short_name"), "core.organization"
        ),
        name,
    )
    if match["status"] == "existing":
        return Organization.objects.get(pk=match["id"])
    return _save(batch, Organization, lookup={"name": name, "kind": kind}, values={}, label=name)


def _program(batch, name):
    from programs.models import Program

    if not name:
        raise ValidationError(_("사업을 정해 주세요."))
    if name in batch.programs:
        return batch.programs[name]
    program = (
        Program.objects.filter(name=name).first() or Program.objects.filter(short_name=name).first()
    )
    if program is None:
        raise ValidationError(
            _(
                "사업 '%(name)s'이(가) 없습니다. 사업 제안을 함께 승인하거나 기존 사업 이름을 적어 주세요."
            )
            % {"name": name}
        )
    batch.programs[name] = program
    return program


def _event(batch, name):
    from events.models import Event

    if name in batch.events:
        return batch.events[name]
    event = Event.objects.filter(name=name).first()
    if event is None:
        raise ValidationError(
            _("행사 '%(name)s'이(가) 없습니다. 행사 제안을 함께 승인해 주세요.") % {"name": name}
        )
    batch.events[name] = event
    return event


def _write_source(batch, fields):
    match = fields.get("match") or {}
    if match.get("status") == "existing":
        return Source.objects.get(pk=match["id"])
    published = _datetime(fields.get("published_at"))
    key = f"intake-{batch.intake.pk}"
    return _save(
        batch,
        Source,
        lookup={"key": key},
        values={
            "kind": fields.get("kind") or "other",
            "publisher": (fields.get("publisher") or "미상")[:120],
            "author": (fields.get("author") or "")[:120],
            "title": (fields.get("title") or batch.intake.title or key)[:300],
            "url": fields.get("url") or "",
            "published_at": published,
            "published_precision": fields.get("published_precision") if published else "unknown",
        },
        update=False,
        label=_("출처"),
    )


def _w_program(batch, f, match):
    from programs.models import Program

    if match.get("status") == "existing":
        program = Program.objects.get(pk=match["id"])
    else:
        program = _save(
            batch,
            Program,
            lookup={"name": f["name"]},
            values={
                "slug": _unique_slug(
                    Program, f.get("slug") or f["name"], f"program-{batch.intake.pk}"
                ),
                "kind": f.get("kind") or "program",
                "status": f.get("status") or "announced",
            },
            update=False,
            label=f["name"],
        )
    _cite(batch, program)
    batch.programs[f["name"]] = program
    return program


def _w_event(batch, f, match):
    from events.models import Event

    values = {
        "kind": f.get("kind") or "meeting",
        "starts_at": _datetime(f.get("starts_at")),
        "ends_at": _datetime(f.get("ends_at")),
        "time_is_known": bool(f.get("time_is_known")),
        "venue_name": f.get("venue_name") or "",
        "alternative_venue_name": f.get("alternative_venue_name") or "",
        "alternative_venue_note": f.get("alternative_venue_note") or "",
        "region": _region(f.get("region")),
        "attendee_count_approx": f.get("attendee_count_approx") or None,
        "embargo_until": _datetime(f.get("embargo_until")),
        "embargo_note": f.get("embargo_note") or "",
    }
    if values["starts_at"] is None:
        raise ValidationError(_("행사 '%(name)s'의 시작 일시를 적어 주세요.") % {"name": f["name"]})
    if f.get("parent"):
        values["parent"] = _event(batch, f["parent"])
    if match.get("status") == "existing":
        event = Event.objects.get(pk=match["id"])
        # an existing event keeps what it states; only empty fields are filled in
        missing = {
            k: v
            for k, v in values.items()
            if v not in (None, "") and getattr(event, k) in (None, "")
        }
        event = _save(batch, Event, lookup={"pk": event.pk}, values=missing, label=event.name)
    else:
        event = _save(
            batch,
            Event,
            lookup={
                "slug": _unique_slug(Event, f.get("slug") or f["name"], f"event-{batch.intake.pk}")
            },
            values={"name": f["name"], **values},
            label=f["name"],
        )
    _cite(batch, event)
    batch.events[f["name"]] = event
    return event


def _w_agenda_item(batch, f, match):
    from events.models import AgendaItem

    event = _event(batch, f["event"])
    presenter = Organization.objects.filter(name=f.get("presenter_organization") or "").first()
    return _save(
        batch,
        AgendaItem,
        lookup={"event": event, "order": int(f["order"])},
        values={
            "starts_at": _datetime(f["starts_at"]),
            "ends_at": _datetime(f["ends_at"]),
            "title": f["title"][:300],
            "kind": f.get("kind") or "talk",
            "presenter_organization": presenter,
            "presenter_note": (f.get("presenter_note") or "")[:200],
            "open_to_press": bool(f.get("open_to_press", True)),
        },
        update=False,
        label=f["title"],
    )


def _w_person(batch, f, match):
    organization = _organization(batch, f.get("organization") or "")
    values = {"position": (f.get("position") or "")[:120]}
    # contact data is staff-only person data (Person.phone / Person.email are never published)
    if f.get("phone"):
        values["phone"] = re.sub(r"[^0-9+ -]", "", f["phone"]).strip()[:30]
    if f.get("email"):
        values["email"] = f["email"]
    if match.get("status") == "existing":
        person = Person.objects.get(pk=match["id"])
        missing = {k: v for k, v in values.items() if v and not getattr(person, k)}
        person = _save(batch, Person, lookup={"pk": person.pk}, values=missing, label=person.name)
    else:
        person = _save(
            batch,
            Person,
            lookup={"name": f["name"], "organization": organization},
            values=values,
            update=False,
            label=f["name"],
        )
    batch.people[f["name"]] = person
    return person


def _w_event_participant(batch, f, match):
    from events.models import EventParticipant

    event = _event(batch, f["event"])
    person = (
        batch.people.get(f.get("person") or "")
        or Person.objects.filter(name=f.get("person") or "").first()
    )
    organization = (
        _organization(batch, f.get("organization") or "") if not person else person.organization
    )
    lookup = {
        "event": event,
        "person": person,
        "organization": organization,
        "role": f.get("role") or "attendee",
    }
    return _save(
        batch,
        EventParticipant,
        lookup=lookup,
        values={
            "title_at_event": (f.get("title_at_event") or "")[:200],
            "is_public": bool(f.get("is_public", True)),
        },
        update=False,
        label=str(f.get("person") or ""),
    )


def _regional_participation(batch, program, code):
    from programs.models import RegionalParticipation

    if not code:
        return None
    return RegionalParticipation.objects.filter(program=program, region=_region(code)).first()


def _w_budget_line(batch, f, match):
    from programs.models import BudgetLine

    program = _program(batch, f.get("program"))
    values = {
        "regional_participation": _regional_participation(batch, program, f.get("region")),
        "amount_krw": _krw(f["amount_krw"]),
        "funding_source": f.get("funding_source") or "unspecified",
        "vehicle": f.get("vehicle") or "unspecified",
        "fiscal_year": f.get("fiscal_year") or None,
        "period_start_year": f.get("period_start_year") or None,
        "period_end_year": f.get("period_end_year") or None,
        "status": f.get("status") or "announced",
        "quoted_text": (f.get("quoted_text") or "")[:200],
        "note": (f.get("note") or "")[:300],
    }
    # a figure is always this source's line: one that another source states differently stays
    # as it is and this one is added beside it
    return _save(
        batch,
        BudgetLine,
        lookup={
            "program": program,
            "source": batch.source,
            "amount_krw": values.pop("amount_krw"),
            "fiscal_year": values.pop("fiscal_year"),
        },
        values=values,
        update=False,
        label=str(program),
    )


def _w_regional_participation(batch, f, match):
    from programs.models import RegionalParticipation

    program = _program(batch, f["program"])
    participation = _save(
        batch,
        RegionalParticipation,
        lookup={"program": program, "region": _region(f["region"])},
        values={
            "status": f.get("status")
            if f.get("status") in ("proposed", "selected")
            else "proposed",
            "selected_on": _date(f.get("selected_on")),
        },
        update=False,
        label=f"{program} · {f['region']}",
    )
    _cite(batch, participation)
    return participation


def _w_hub(batch, f, match):
    from programs.models import Hub

    hub = _save(
        batch,
        Hub,
        lookup={"name": f["name"], "region": _region(f["region"])},
        values={},
        update=False,
        label=f["name"],
    )
    _cite(batch, hub)
    return hub


def _w_target(batch, f, match):
    from programs.models import Target

    program = _program(batch, f["program"])
    return _save(
        batch,
        Target,
        lookup={"program": program, "metric": f["metric"][:200], "source": batch.source},
        values={
            "unit": (f.get("unit") or "")[:20],
            "direction": f.get("direction") or "higher",
            "comparator": f.get("comparator") or "gte",
            "target_value": _decimal(f["target_value"]),
            "period_end": _date(f.get("period_end")),
        },
        update=False,
        label=f["metric"],
    )


def _w_company(batch, f, match):
    from companies.models import Company

    if match.get("status") == "existing":
        return Organization.objects.get(pk=match["id"])
    return _save(
        batch,
        Company,
        lookup={"name": f["name"], "kind": Organization.Kind.COMPANY},
        values={"ceo_name": (f.get("ceo_name") or "")[:60], "region": _region(f.get("region"))},
        update=False,
        label=f["name"],
    )


def _w_organization(batch, f, match):
    if match.get("status") == "existing":
        return Organization.objects.get(pk=match["id"])
    return _save(
        batch,
        Organization,
        lookup={"name": f["name"], "kind": f.get("kind") or "other"},
        values={},
        update=False,
        label=f["name"],
    )


def _w_outcome(batch, f, match):
    from companies.models import Company
    from programs.models import Outcome

    company = Company.objects.filter(name=f.get("company") or "").first()
    if company is None:
        raise ValidationError(_("성과의 기업을 적어 주세요 (기존 기업 이름)."))
    values = {"unit": (f.get("unit") or "")[:20]}
    if f.get("change_pct") not in (None, ""):
        values["change_pct"] = _decimal(f["change_pct"])
    if f.get("result_value") not in (None, ""):
        values["result_value"] = _decimal(f["result_value"])
    return _save(
        batch,
        Outcome,
        lookup={"company": company, "metric": f["metric"][:200], "source": batch.source},
        values=values,
        update=False,
        label=f["metric"],
    )


def _w_award(batch, f, match):
    from events.models import Award

    values = {
        "rank": (f.get("rank") or "")[:60],
        "prize": (f.get("prize") or "")[:120],
        "selected_count": f.get("selected_count") or None,
    }
    award = _save(
        batch,
        Award,
        lookup={"name": f["name"][:200], "year": int(f.get("year") or 0)},
        values=values,
        update=False,
        label=f["name"],
    )
    _cite(batch, award)
    return award


def _w_observation(batch, f, match):
    from indicators.models import Observation, StatisticSeries

    series = StatisticSeries.objects.filter(name=f["series"]).first()
    if series is None:
        series = _save(
            batch,
            StatisticSeries,
            lookup={
                "slug": _unique_slug(StatisticSeries, f["series"], f"series-{batch.intake.pk}")
            },
            values={
                "name": f["series"][:200],
                "unit": (f.get("unit") or "")[:20],
                "source": batch.source,
            },
            label=f["series"],
        )
    return _save(
        batch,
        Observation,
        lookup={
            "series": series,
            "segment": (f.get("segment") or "전체")[:100],
            "period": (f.get("period") or "")[:10],
        },
        values={
            "dimension": f.get("dimension") or "total",
            "value": _decimal(f["value"]),
            "printed_value": (f.get("printed_value") or "")[:30],
        },
        update=False,
        label=f["series"],
    )


WRITERS = {
    "program": _w_program,
    "organization": _w_organization,
    "company": _w_company,
    "person": _w_person,
    "event": _w_event,
    "agenda_item": _w_agenda_item,
    "event_participant": _w_event_participant,
    "budget_line": _w_budget_line,
    "regional_participation": _w_regional_participation,
    "hub": _w_hub,
    "target": _w_target,
    "outcome": _w_outcome,
    "award": _w_award,
    "observation": _w_observation,
}
#: the order records are written in, so a proposal finds the records it names
ORDER = [
    "organization",
    "company",
    "program",
    "event",
    "person",
    "agenda_item",
    "event_participant",
    "budget_line",
    "regional_participation",
    "hub",
    "target",
    "outcome",
    "award",
    "observation",
]

KIND_LABELS = {
    "source": "출처",
    "program": "사업",
    "organization": "기관",
    "company": "기업",
    "person": "인물",
    "event": "행사",
    "agenda_item": "일정 항목",
    "event_participant": "행사 참여자",
    "budget_line": "예산",
    "regional_participation": "지역 참여",
    "hub": "거점",
    "target": "목표",
    "outcome": "성과",
    "award": "시상",
    "observation": "통계값",
}


class IntakeRefused(ValidationError):
    """The acceptance was refused; ``errors`` maps proposal ids to Korean messages."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(list(errors.values()))
        self.errors = errors


def intake_accept(
    *, intake: IntakeDocument, decisions: dict[str, dict], user, source_fields: dict | None = None
):
    """Write the accepted proposals (``decisions[id] = {"accept": bool, "fields": {...}}``,
    fields as staff edited them). Returns {proposal id: "model:pk"}. Raises
    :class:`IntakeRefused` and writes nothing when any accepted proposal is refused."""
    if intake.status not in (IntakeDocument.Status.READY, IntakeDocument.Status.DONE):
        raise IntakeRefused({"_": _("아직 분석이 끝나지 않은 입수입니다.")})
    proposals = {p["id"]: p for p in intake.proposals()}
    accepted = [(pid, d) for pid, d in decisions.items() if d.get("accept") and pid in proposals]
    if not accepted:
        raise IntakeRefused({"_": _("승인할 제안을 하나 이상 고르세요.")})
    batch = _Batch(intake, user)
    errors: dict[str, str] = {}
    ordered = sorted(accepted, key=lambda pair: (ORDER.index(proposals[pair[0]]["kind"]), pair[0]))
    try:
        with transaction.atomic():
            batch.source = _write_source(
                batch, {**intake.result["source"], **(source_fields or {})}
            )
            for pid, decision in ordered:
                proposal = proposals[pid]
                fields = {**proposal["fields"], **(decision.get("fields") or {})}
                try:
                    with transaction.atomic():
                        record = WRITERS[proposal["kind"]](batch, fields, proposal["match"])
                except ValidationError as error:
                    errors[pid] = f"{KIND_LABELS[proposal['kind']]}: " + " ".join(error.messages)
                    continue
                except (KeyError, TypeError, ValueError) as error:
                    errors[pid] = f"{KIND_LABELS[proposal['kind']]}: " + _(
                        "값이 올바르지 않습니다 (%(e)s)."
                    ) % {"e": error}
                    continue
                batch.written[pid] = f"{record._meta.label_lower}:{record.pk}"
            if errors:
                raise IntakeRefused(errors)
            result = intake.result
            for article in result["articles"]:
                for proposal in article["proposals"]:
                    if proposal["id"] in batch.written:
                        proposal["state"], proposal["record"] = (
                            "accepted",
                            batch.written[proposal["id"]],
                        )
                    elif proposal["id"] in decisions and not decisions[proposal["id"]].get(
                        "accept"
                    ):
                        proposal["state"] = "rejected"
            intake.result = result
            intake.source = batch.source
            intake.status = IntakeDocument.Status.DONE
            intake._change_reason = intake.history_reason
            intake._history_user = user
            intake.save()
    except ValidationError as error:
        if isinstance(error, IntakeRefused):
            raise
        raise IntakeRefused({"_": " ".join(error.messages)}) from error
    return batch.written
