"""Money fields in the admin: 억/조 typed, integer KRW stored, unusual amounts confirmed first."""

import pytest
from django.apps import apps
from django.urls import reverse

from programs.models import BudgetLine
from tests import factories
from tests.staff.conftest import change_form_data

EOK = 100_000_000
JO = 10_000 * EOK


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("staff", "staff@example.org", "pw-123456")
    client.force_login(user)
    return client


def budget_line_data(program, source, amount, **extra):
    return {
        "program": program.pk,
        "amount_krw": amount,
        "funding_source": "national",
        "vehicle": "main",
        "status": "announced",
        "source": source.pk,
        **extra,
    }


def add_budget_line(client, amount, **extra):
    program, source = factories.ProgramFactory(), factories.SourceFactory()
    return client.post(
        reverse("admin:programs_budgetline_add"), budget_line_data(program, source, amount, **extra)
    )


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("234억", 234 * EOK),
        ("234억 원", 234 * EOK),
        ("1조 2,000억", JO + 2000 * EOK),
        ("23,400,000,000", 23_400_000_000),
        ("23400000000", 23_400_000_000),
        ("5천만 원", 50_000_000),
        ("２３４억", 234 * EOK),
    ],
)
def test_typed_amount_is_stored_as_integer_krw(staff_client, typed, stored):
    response = add_budget_line(staff_client, typed)
    assert response.status_code == 302
    assert list(BudgetLine.objects.values_list("amount_krw", flat=True)) == [stored]


def test_unreadable_amount_is_refused_with_a_message_naming_it(staff_client):
    response = add_budget_line(staff_client, "이백억")
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["amount_krw"] == [
        "금액을 읽을 수 없습니다: '이백억' (예: 234억, 1조 2,000억, 5천만 원, 23,400,000,000)"
    ]
    assert BudgetLine.objects.count() == 0


@pytest.mark.parametrize(
    ("typed", "warning"),
    [
        (
            "0",
            "0원 — 0원이 맞는지 확인해 주세요. 맞으면 '저장 확인'에 체크하고 다시 저장하세요.",
        ),
        (
            "2,340조",
            "2,340조 원 — 이 항목에는 흔치 않은 금액입니다(보통 1,000만 원~10조 원). "
            "자릿수를 확인해 주세요. 맞으면 '저장 확인'에 체크하고 다시 저장하세요.",
        ),
        (
            "500만",
            "500만 원 — 이 항목에는 흔치 않은 금액입니다(보통 1,000만 원~10조 원). "
            "자릿수를 확인해 주세요. 맞으면 '저장 확인'에 체크하고 다시 저장하세요.",
        ),
    ],
)
def test_unusual_amount_asks_for_confirmation_and_saves_nothing(staff_client, typed, warning):
    response = add_budget_line(staff_client, typed)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["amount_krw"] == [warning]
    assert response.context["amount_warnings"] == [f"금액 (원): {warning}"]
    body = response.content.decode()
    assert 'name="_confirm_amounts"' in body
    assert "저장 확인: 위 금액이 맞습니다" in body
    assert BudgetLine.objects.count() == 0


def test_confirmed_unusual_amount_is_saved(staff_client):
    response = add_budget_line(staff_client, "2,340조", _confirm_amounts="1")
    assert response.status_code == 302
    assert list(BudgetLine.objects.values_list("amount_krw", flat=True)) == [2340 * JO]


def test_plausible_range_is_per_field(staff_client):
    # 60억 is an ordinary budget line but an unusual support for one company
    response = add_budget_line(staff_client, "60억")
    assert response.status_code == 302
    participation = factories.ParticipationFactory()
    page = staff_client.get(reverse("admin:programs_participation_change", args=[participation.pk]))
    data = change_form_data(page)
    data["support_amount_krw"] = "60억"
    response = staff_client.post(
        reverse("admin:programs_participation_change", args=[participation.pk]), data
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["support_amount_krw"] == [
        "60억 원 — 이 항목에는 흔치 않은 금액입니다(보통 100만 원~50억 원). "
        "자릿수를 확인해 주세요. 맞으면 '저장 확인'에 체크하고 다시 저장하세요."
    ]
    participation.refresh_from_db()
    assert participation.support_amount_krw == 200_000_000


def test_an_unchanged_unusual_amount_is_not_asked_about_again(staff_client):
    line = factories.BudgetLineFactory(amount_krw=0, purpose="")
    page = staff_client.get(reverse("admin:programs_budgetline_change", args=[line.pk]))
    data = change_form_data(page)
    data["purpose"] = "추경 확보분"
    response = staff_client.post(reverse("admin:programs_budgetline_change", args=[line.pk]), data)
    assert response.status_code == 302
    line.refresh_from_db()
    assert (line.purpose, line.amount_krw) == ("추경 확보분", 0)


def test_inline_amount_is_read_and_confirmed_too(staff_client):
    program = factories.ProgramFactory()
    source = factories.SourceFactory()
    change = reverse("admin:programs_program_change", args=[program.pk])
    data = change_form_data(staff_client.get(change))
    data.update(
        {
            "budget_lines-TOTAL_FORMS": "1",
            "budget_lines-0-amount_krw": "2,340조",
            "budget_lines-0-funding_source": "national",
            "budget_lines-0-vehicle": "main",
            "budget_lines-0-status": "announced",
            "budget_lines-0-source": str(source.pk),
        }
    )
    response = staff_client.post(change, data)
    assert response.status_code == 200
    assert response.context["amount_warnings"] == [
        "금액 (원): 2,340조 원 — 이 항목에는 흔치 않은 금액입니다(보통 1,000만 원~10조 원). "
        "자릿수를 확인해 주세요. 맞으면 '저장 확인'에 체크하고 다시 저장하세요."
    ]
    assert BudgetLine.objects.count() == 0

    data["budget_lines-0-amount_krw"] = "234억"
    response = staff_client.post(change, data)
    assert response.status_code == 302
    assert list(program.budget_lines.values_list("amount_krw", flat=True)) == [234 * EOK]


def test_money_input_is_wide_and_shows_the_stored_reading(staff_client):
    line = factories.BudgetLineFactory(amount_krw=1_234_000_000)
    body = staff_client.get(
        reverse("admin:programs_budgetline_change", args=[line.pk])
    ).content.decode()
    assert 'value="1,234,000,000"' in body
    assert 'size="24"' in body
    assert 'inputmode="numeric"' in body
    assert 'data-krw-field="programs.budgetline.amount_krw"' in body
    assert ">12억 3,400만 원</output>" in body
    assert "core/krw-input.js" in body


@pytest.mark.parametrize(
    ("params", "answer"),
    [
        (
            {"value": "1조 2,000억", "field": "programs.budgetline.amount_krw"},
            {"ok": True, "krw": JO + 2000 * EOK, "reading": "1조 2,000억 원", "warning": None},
        ),
        (
            {"value": "60억", "field": "programs.participation.support_amount_krw"},
            {
                "ok": True,
                "krw": 60 * EOK,
                "reading": "60억 원",
                "warning": "이 항목에는 흔치 않은 금액입니다(보통 100만 원~50억 원). "
                "자릿수를 확인해 주세요. 맞으면 '저장 확인'에 체크하고 다시 저장하세요.",
            },
        ),
        (
            {"value": "12억 3400"},
            {
                "ok": False,
                "error": "금액을 읽을 수 없습니다: '12억 3400' "
                "(예: 234억, 1조 2,000억, 5천만 원, 23,400,000,000)",
            },
        ),
        ({"value": " "}, {"ok": True, "krw": None, "reading": "", "warning": None}),
        (
            {"value": "5억", "field": "programs.nosuch.amount_krw"},
            {"ok": True, "krw": 5 * EOK, "reading": "5억 원", "warning": None},
        ),
    ],
)
def test_live_reading_answers_json(staff_client, params, answer):
    response = staff_client.get(reverse("admin-amount-reading"), params)
    assert response.status_code == 200
    assert response.json() == answer


def test_live_reading_is_for_staff_only(client):
    response = client.get(reverse("admin-amount-reading"), {"value": "5억"})
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_history_diff_shows_eok_beside_the_digits(staff_client):
    line = factories.BudgetLineFactory(amount_krw=35_000_000_000)
    page = staff_client.get(reverse("admin:programs_budgetline_change", args=[line.pk]))
    data = change_form_data(page)
    data["amount_krw"] = "234억"
    assert (
        staff_client.post(
            reverse("admin:programs_budgetline_change", args=[line.pk]), data
        ).status_code
        == 302
    )
    body = staff_client.get(
        reverse("admin:programs_budgetline_history", args=[line.pk])
    ).content.decode()
    assert "35,000,000,000원 (350억 원) &rarr; 23,400,000,000원 (234억 원)" in body


def test_every_money_field_of_the_admin_uses_the_amount_field():
    from django.contrib import admin
    from django.test import RequestFactory

    from core.admin_money import KrwField

    request = RequestFactory().get("/")
    found = []
    for model, model_admin in admin.site._registry.items():
        for field in model._meta.concrete_fields:
            if field.name.endswith("_krw"):
                formfield = model_admin.formfield_for_dbfield(field, request)
                found.append((model._meta.label_lower, field.name, type(formfield)))
    assert sorted(found) == [
        ("programs.budgetline", "amount_krw", KrwField),
        ("programs.participation", "self_funding_krw", KrwField),
        ("programs.participation", "support_amount_krw", KrwField),
        ("programs.regionalparticipation", "budget_krw", KrwField),
    ]
    # and every one of them states its usual range
    for label, name, _field_class in found:
        model = apps.get_model(label)
        low, high = model.PLAUSIBLE_KRW[name]
        assert 0 < low < high
