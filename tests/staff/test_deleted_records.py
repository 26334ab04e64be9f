"""삭제된 기록: deleted records found in the history, restored with their relations."""

import datetime

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from companies.models import Company
from core.models import Source
from programs.models import (
    BudgetLine,
    Outcome,
    Participation,
    Program,
    RegionalParticipation,
    Target,
)
from results.models import ResultUpdate
from tests import factories

from .conftest import OWN_REGION


def admin_url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def delete_in_admin(client, obj):
    response = client.post(admin_url(type(obj), "delete", obj.pk), {"post": "yes"})
    assert response.status_code == 302, response.content.decode()[:2000]


def deletion_row(model, pk):
    return model.history.filter(history_type="-", **{model._meta.pk.attname: pk}).latest(
        "history_date"
    )


@pytest.fixture
def program_tree(db):
    """A program with a national budget line, its sources, and a region whose participation
    holds a budget line and a target with an actual."""
    sources = factories.SourceFactory.create_batch(2)
    program = factories.ProgramFactory(name="삭제 시험 사업")
    program.sources.set(sources)
    national = factories.BudgetLineFactory(program=program, amount_krw=35_000_000_000)
    rp = factories.RegionalParticipationFactory(program=program, region__code="97")
    regional = factories.BudgetLineFactory(
        program=program, regional_participation=rp, amount_krw=2_000_000_000
    )
    target = factories.TargetFactory(program=None, regional_participation=rp)
    actual = factories.approved_result(target, datetime.date(2025, 6, 30), 10)
    target = Target.objects.get(pk=target.pk)  # as stored (decimals), as the history holds it
    actual = ResultUpdate.objects.get(pk=actual.pk)
    return {
        "program": program,
        "sources": sources,
        "national": national,
        "rp": rp,
        "regional": regional,
        "target": target,
        "actual": actual,
    }


def test_deleted_program_is_listed_and_restored_with_its_relations(client, superuser, program_tree):
    client.force_login(superuser)
    program = program_tree["program"]
    created_at = Program.objects.get(pk=program.pk).created_at
    expected = sorted(
        [
            f"예산 “{program_tree['national']}”",
            f"예산 “{program_tree['regional']}”",
            f"지역 참여 “{program_tree['rp']}”",
            f"목표 “{program_tree['target']}”",
            f"보고 기간 “{program_tree['actual'].period}”",
            f"실적 보고 “{program_tree['actual']}”",
        ]
    )
    delete_in_admin(client, program)
    assert not Program.objects.filter(pk=program.pk).exists()
    assert BudgetLine.objects.count() == 0
    assert ResultUpdate.objects.count() == 0

    # the changelist links to the deleted records, which list the program
    changelist = client.get(admin_url(Program, "changelist")).content.decode()
    assert admin_url(Program, "deleted") in changelist
    listing = client.get(admin_url(Program, "deleted"))
    assert [item["label"] for item in listing.context["rows"]] == ["삭제 시험 사업"]

    # the restore page says what comes back
    row = deletion_row(Program, program.pk)
    page = client.get(admin_url(Program, "restore", row.history_id))
    body = page.content.decode()
    labels = [item.label for item in page.context["plan"].items]
    assert labels[0] == "사업·정책 “삭제 시험 사업”"
    assert sorted(labels[1:]) == expected
    assert "‘출처’ 연결 2건" in body

    # restoring asks for a reason first and writes nothing without one
    response = client.post(admin_url(Program, "restore", row.history_id), {"reason": " "})
    assert response.status_code == 200
    assert response.context["errors"] == ["복원하는 이유를 적어 주세요."]
    assert not Program.objects.filter(pk=program.pk).exists()

    response = client.post(
        admin_url(Program, "restore", row.history_id), {"reason": "실수로 삭제함"}
    )
    assert response.status_code == 302
    assert response["Location"] == admin_url(Program, "change", program.pk)

    restored = Program.objects.get(pk=program.pk)
    assert restored.created_at == created_at
    assert sorted(restored.sources.values_list("pk", flat=True)) == sorted(
        s.pk for s in program_tree["sources"]
    )
    assert sorted(restored.budget_lines.values_list("pk", "amount_krw")) == sorted(
        [
            (program_tree["national"].pk, 35_000_000_000),
            (program_tree["regional"].pk, 2_000_000_000),
        ]
    )
    assert RegionalParticipation.objects.get(pk=program_tree["rp"].pk).program_id == program.pk
    assert Target.objects.get(pk=program_tree["target"].pk).regional_participation_id == (
        program_tree["rp"].pk
    )
    assert ResultUpdate.objects.filter(pk=program_tree["actual"].pk).exists()
    # recorded in the history, with who and why, as a new version
    latest = restored.history.order_by("-history_date", "-history_id").first()
    assert latest.history_change_reason == "복원: 실수로 삭제함"
    assert latest.history_user == superuser
    assert restored.version == 2
    line_history = BudgetLine.history.filter(id=program_tree["national"].pk).latest("history_date")
    assert (line_history.history_type, line_history.history_change_reason) == (
        "+",
        "복원: 실수로 삭제함",
    )
    assert LogEntry.objects.filter(object_id=str(program.pk), action_flag=ADDITION).exists()
    # and it is no longer in the deleted list
    assert client.get(admin_url(Program, "deleted")).context["rows"] == []


def test_restore_revalidates_and_restores_nothing_on_failure(client, superuser, db):
    client.force_login(superuser)
    line = factories.BudgetLineFactory()
    source = line.source
    delete_in_admin(client, line)
    Source.objects.filter(pk=source.pk).delete()  # the cited source is gone meanwhile
    row = deletion_row(BudgetLine, line.pk)

    response = client.post(admin_url(BudgetLine, "restore", row.history_id), {"reason": "복구"})

    assert response.status_code == 200
    [error] = response.context["errors"]
    assert error.startswith(f"예산 “{row.instance}”: 복원할 수 없습니다.")
    assert not BudgetLine.objects.filter(pk=line.pk).exists()


def test_company_restore_brings_back_participations_outcomes_and_emptied_links(
    client, superuser, db
):
    client.force_login(superuser)
    company = factories.CompanyFactory(name="복원기업")
    participation = factories.ParticipationFactory(company=company)
    outcome = factories.OutcomeFactory(company=company, participation=participation)
    supplied = factories.ParticipationFactory(supplier=company)  # another company's
    delete_in_admin(client, company)
    supplied.refresh_from_db()
    assert supplied.supplier_id is None

    row = deletion_row(Company, company.pk)
    plan = client.get(admin_url(Company, "restore", row.history_id)).context["plan"]
    assert [relink.record.pk for relink in plan.relinks] == [supplied.pk]
    response = client.post(admin_url(Company, "restore", row.history_id), {"reason": "복구"})
    assert response.status_code == 302

    assert Company.objects.get(pk=company.pk).name == "복원기업"
    assert Participation.objects.get(pk=participation.pk).company_id == company.pk
    assert Outcome.objects.get(pk=outcome.pk).participation_id == participation.pk
    supplied.refresh_from_db()
    assert supplied.supplier_id == company.pk


def test_deleted_records_are_region_scoped(client, regional_editor, other_region, own_region):
    own = factories.CompanyFactory(name="경남기업", region=own_region)
    other = factories.CompanyFactory(name="부산기업", region=other_region)
    own_pk, other_pk = own.pk, other.pk
    own.delete()
    other.delete()
    client.force_login(regional_editor)

    listing = client.get(admin_url(Company, "deleted"))
    assert [item["label"] for item in listing.context["rows"]] == ["경남기업"]

    other_row = deletion_row(Company, other_pk)
    response = client.post(
        admin_url(Company, "restore", other_row.history_id), {"reason": "남의 지역"}
    )
    assert response.status_code == 302
    assert not Company.objects.filter(pk=other_pk).exists()

    own_row = deletion_row(Company, own_pk)
    response = client.post(admin_url(Company, "restore", own_row.history_id), {"reason": "복구"})
    assert response.status_code == 302
    assert Company.objects.get(pk=own_pk).region.code == OWN_REGION


def test_only_those_allowed_to_delete_see_and_restore(client, viewer, db):
    company = factories.CompanyFactory()
    pk = company.pk
    company.delete()
    client.force_login(viewer)
    assert client.get(admin_url(Company, "deleted")).status_code == 403
    row = deletion_row(Company, pk)
    assert (
        client.post(admin_url(Company, "restore", row.history_id), {"reason": "x"}).status_code
        == 403
    )
    assert "삭제된 기록" not in client.get(admin_url(Company, "changelist")).content.decode()
    assert not Company.objects.filter(pk=pk).exists()


def test_opening_a_deleted_record_says_so_and_links_to_restore(client, superuser, db):
    client.force_login(superuser)
    line = factories.BudgetLineFactory()
    delete_in_admin(client, line)
    row = deletion_row(BudgetLine, line.pk)

    response = client.get(admin_url(BudgetLine, "change", line.pk), follow=True)

    *_deleted_notice, message = [str(m) for m in response.context["messages"]]
    when = date_format(timezone.localtime(row.history_date), "DATETIME_FORMAT")
    assert message == (
        f"이 예산 기록(“{row.instance}”)은 {when}에 root 님이 삭제했습니다. "
        f'<a href="{admin_url(BudgetLine, "restore", row.history_id)}">복원하기</a>'
    )


def test_another_regions_record_is_not_called_deleted(client, regional_editor, other_region):
    company = factories.CompanyFactory(region=other_region)
    client.force_login(regional_editor)

    response = client.get(admin_url(Company, "change", company.pk), follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        "다른 지역의 기록이라 볼 수 없습니다. 담당 지역의 기록만 열 수 있습니다."
    ]
    assert response.redirect_chain == [(admin_url(Company, "changelist"), 302)]
    assert "삭제" not in str(list(response.context["messages"]))


def test_deleted_list_query_count_does_not_grow(
    client, superuser, db, django_assert_max_num_queries
):
    client.force_login(superuser)
    for _ in range(2):
        factories.SourceFactory().delete()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as two:
        assert client.get(admin_url(Source, "deleted")).status_code == 200
    for _ in range(18):
        factories.SourceFactory().delete()
    with CaptureQueriesContext(connection) as twenty:
        response = client.get(admin_url(Source, "deleted"))
    assert len(response.context["rows"]) == 20
    assert len(twenty.captured_queries) == len(two.captured_queries)


def test_restore_keeps_a_record_deleted_separately_earlier_out(client, superuser, program_tree):
    client.force_login(superuser)
    national = program_tree["national"]
    national.delete()  # deleted on its own first
    BudgetLine.history.filter(id=national.pk, history_type="-").update(
        history_date=timezone.now() - datetime.timedelta(hours=1)
    )
    delete_in_admin(client, program_tree["program"])
    row = deletion_row(Program, program_tree["program"].pk)
    client.post(admin_url(Program, "restore", row.history_id), {"reason": "복구"})
    assert list(BudgetLine.objects.values_list("pk", flat=True)) == [program_tree["regional"].pk]
