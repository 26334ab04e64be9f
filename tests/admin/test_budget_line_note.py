"""A budget line's note is its own field: correcting it leaves the quoted source text alone."""

from django.urls import reverse

from tests import factories
from tests.staff.conftest import change_form_data

from .test_money_fields import staff_client  # noqa: F401  (fixture)


def test_note_is_edited_apart_from_the_source_quote(staff_client):  # noqa: F811
    line = factories.BudgetLineFactory(quoted_text="2차 추경 350억 원", note="")
    change = reverse("admin:programs_budgetline_change", args=[line.pk])
    page = staff_client.get(change)
    body = page.content.decode()
    assert 'name="quoted_text"' in body
    assert 'name="note"' in body
    assert "비고 (직원 메모, 비공개)" in body

    data = change_form_data(page)
    data["note"] = "중기부 확인: 2차 추경분만 해당"
    assert staff_client.post(change, data).status_code == 302

    line.refresh_from_db()
    assert (line.quoted_text, line.note) == ("2차 추경 350억 원", "중기부 확인: 2차 추경분만 해당")
    assert line.history.first().history_type == "~"


def test_note_stays_out_of_the_public_api(client, db):
    line = factories.BudgetLineFactory(note="NOTE-MARKER-7731")
    response = client.get(f"/api/v1/programs/{line.program.slug}/")
    assert response.status_code == 200
    assert [b["amount_krw"] for b in response.json()["budget_lines"]] == [35_000_000_000]
    assert "NOTE-MARKER-7731" not in response.content.decode()
