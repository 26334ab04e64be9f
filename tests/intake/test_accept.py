"""Accepting proposals: one transaction, the Source once and cited, a differing figure added
beside the existing one, the history naming the intake, region scope."""

import datetime as dt

import pytest

from events.models import AgendaItem, Event, EventParticipant
from intake.models import IntakeDocument
from intake.services import IntakeRefused, intake_accept, intake_document_create
from programs.models import BudgetLine
from tests import factories as f
from tests.staff.conftest import make_staff

from .conftest import text_of


@pytest.fixture
def editor(db):
    return make_staff("intake-ministry", "ministry-editor")


@pytest.fixture
def intake(editor):
    return intake_document_create(
        user=editor, text=text_of("01_press_release_forum.txt"), published=dt.date(2026, 3, 12)
    )


def ids(intake, kind, article=None):
    return [
        p["id"]
        for n, a in enumerate(intake.result["articles"])
        if article is None or n == article
        for p in a["proposals"]
        if p["kind"] == kind
    ]


def test_a_pasted_text_is_analysed_at_once(intake):
    assert (intake.status, intake.progress, intake.title) == (
        "ready",
        100,
        "중소기업 제조현장 AI 확산을 위한 「지역 AX 혁신 포럼」 개최",
    )


def test_accepting_writes_the_event_agenda_and_contacts_with_one_source(intake, editor):
    event_id = ids(intake, "event")[0]
    decisions = {
        pid: {"accept": True}
        for pid in [
            event_id,
            *ids(intake, "agenda_item"),
            *ids(intake, "person", 1),
            *ids(intake, "event_participant", 1),
        ]
    }
    written = intake_accept(intake=intake, decisions=decisions, user=editor)
    intake.refresh_from_db()
    event = Event.objects.get(name="지역 AX 혁신 포럼")
    assert list(event.sources.all()) == [intake.source]
    assert intake.source.key == f"intake-{intake.pk}"
    assert (intake.source.publisher, intake.source.kind) == ("중소벤처기업부", "press_release")
    assert event.embargo_until.isoformat() == "2026-03-12T00:00:00+00:00"
    assert AgendaItem.objects.filter(event=event).count() == 5
    contacts = EventParticipant.objects.filter(event=event, role="press_contact")
    assert sorted((c.person.name, c.person.phone, c.is_public) for c in contacts) == [
        ("이준호", "044-204-7101", False),
        ("최민지", "044-204-7102", False),
    ]
    assert len(written) == len(decisions)
    assert intake.status == "done"
    # the history of every record names the intake
    assert event.history.first().history_change_reason == intake.history_reason
    assert event.history.first().history_user == editor
    assert intake.history_reason.startswith(f"보도자료 입수 #{intake.pk}: ")


def test_a_differing_figure_is_added_as_a_second_line_with_its_own_source(intake, editor):
    program = f.ProgramFactory(name="제조 AI 전환 지원사업")
    other_source = f.SourceFactory()
    existing = f.BudgetLineFactory(
        program=program, amount_krw=30_000_000_000, fiscal_year=2026, source=other_source
    )
    intake.result["articles"][0]["proposals"][0]  # the stored proposals name the program
    from intake.services import intake_document_run

    intake = intake_document_run(document_id=intake.pk)
    line_id = ids(intake, "budget_line", 0)[0]
    proposal = next(p for p in intake.proposals() if p["id"] == line_id)
    assert proposal["match"]["status"] == "differs"
    intake_accept(
        intake=intake,
        decisions={line_id: {"accept": True, "fields": {"program": program.name}}},
        user=editor,
    )
    existing.refresh_from_db()
    assert existing.amount_krw == 30_000_000_000 and existing.source == other_source
    lines = BudgetLine.objects.filter(program=program).order_by("amount_krw")
    assert [(b.amount_krw, b.source.key) for b in lines] == [
        (30_000_000_000, other_source.key),
        (35_000_000_000, f"intake-{intake.pk}"),
    ]


def test_one_refused_proposal_writes_nothing(intake, editor):
    event_id = ids(intake, "event")[0]
    line_id = ids(intake, "budget_line", 0)[0]  # names no existing program
    with pytest.raises(IntakeRefused) as refused:
        intake_accept(
            intake=intake,
            decisions={event_id: {"accept": True}, line_id: {"accept": True}},
            user=editor,
        )
    assert list(refused.value.errors) == [line_id]
    assert refused.value.errors[line_id] == (
        "예산: 사업 '제조 AI 전환 지원사업'이(가) 없습니다. 사업 제안을 함께 승인하거나 기존 사업 이름을 적어 주세요."
    )
    assert not Event.objects.filter(name="지역 AX 혁신 포럼").exists()
    intake.refresh_from_db()
    assert (intake.status, intake.source) == ("ready", None)


def test_edited_fields_are_written(intake, editor):
    event_id = ids(intake, "event")[0]
    intake_accept(
        intake=intake,
        decisions={event_id: {"accept": True, "fields": {"name": "AX 혁신 포럼 (창원)"}}},
        user=editor,
    )
    assert Event.objects.filter(name="AX 혁신 포럼 (창원)").count() == 1


def test_a_regional_editor_intakes_only_for_its_regions(db):
    busan = make_staff("intake-busan", "regional-editor", ["26"])
    intake = intake_document_create(
        user=busan, text=text_of("01_press_release_forum.txt"), published=dt.date(2026, 3, 12)
    )
    event_id = ids(intake, "event")[0]
    # the event is in 경남 (창원): 부산's editor may not write it
    with pytest.raises(IntakeRefused) as refused:
        intake_accept(
            intake=intake,
            decisions={event_id: {"accept": True, "fields": {"region": "48"}}},
            user=busan,
        )
    assert "담당 지역이 아닌 기록은 입수할 수 없습니다" in refused.value.errors[event_id]
    assert not Event.objects.exists()
    # in its own region it may
    intake_accept(
        intake=intake,
        decisions={event_id: {"accept": True, "fields": {"region": "26"}}},
        user=busan,
    )
    assert Event.objects.get().region.code == "26"


def test_nothing_to_accept_is_refused(intake, editor):
    with pytest.raises(IntakeRefused) as refused:
        intake_accept(intake=intake, decisions={}, user=editor)
    assert refused.value.errors == {"_": "승인할 제안을 하나 이상 고르세요."}
    assert IntakeDocument.objects.get(pk=intake.pk).status == "ready"


def test_a_side_event_is_written_under_its_main_event(intake, editor):
    main, side = ids(intake, "event")
    intake_accept(
        intake=intake, decisions={main: {"accept": True}, side: {"accept": True}}, user=editor
    )
    exhibition = Event.objects.get(name="제조 AI 솔루션 전시회")
    assert (exhibition.parent.name, exhibition.kind) == ("지역 AX 혁신 포럼", "exhibition")
    intake.refresh_from_db()
    assert list(exhibition.sources.all()) == [intake.source]
