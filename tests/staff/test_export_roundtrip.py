"""Export → import round trip with formula-like text, and the export's file name."""

import csv
import datetime
import io
from urllib.parse import quote

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from companies.models import Company
from core.resources import escape_formula, unescape_formula
from staff.models import ImportJob
from tests import factories as f

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example","클릭")'


def export(client, fmt: str):
    return client.post(reverse("admin:companies_company_export"), {"format": fmt, "resource": "0"})


def import_back(client, name: str, data: bytes) -> ImportJob:
    client.post(
        reverse("staff:import-upload", args=["companies"]),
        {"file": SimpleUploadedFile(name, data)},
    )
    job = ImportJob.objects.latest("id")
    if job.status == ImportJob.Status.CHECKED:
        client.post(reverse("staff:import-job-confirm", args=[job.pk]))
        job.refresh_from_db()
    return job


@pytest.mark.parametrize(
    "text",
    [FORMULA, "+82 55", "-", "@handle", "'=quoted", "''=twice", "'plain", "plain", "-12.5", ""],
)
def test_escaping_round_trips(text):
    assert unescape_formula(escape_formula(text)) == text


def test_formula_text_is_exported_with_an_apostrophe_not_stripped(client, ministry_editor):
    f.CompanyFactory(name="경남 제조", ceo_name=FORMULA)
    client.force_login(ministry_editor)
    # when
    response = export(client, "0")
    # then
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0]["대표자"] == "'" + FORMULA


@pytest.mark.parametrize("fmt, name", [("0", "export.csv"), ("1", "export.xlsx")])
def test_export_then_import_leaves_the_record_unchanged(client, ministry_editor, fmt, name):
    company = f.CompanyFactory(name="=1+1 제조", ceo_name=FORMULA, industry="-")
    client.force_login(ministry_editor)
    before = Company.objects.filter(pk=company.pk).values().get()
    exported = export(client, fmt).content
    if fmt == "1":  # a text cell, not a formula the spreadsheet would run
        cell = openpyxl.load_workbook(io.BytesIO(exported)).active["B2"]
        assert (cell.value, cell.data_type) == ("'=1+1 제조", "s")
    # when
    job = import_back(client, name, exported)
    # then
    assert job.status == ImportJob.Status.DONE, job.errors
    assert job.report["counts"] == {"new": 0, "updated": 0, "unchanged": 1}
    assert Company.objects.filter(pk=company.pk).values().get() == before


def test_export_file_name_is_korean_with_the_seoul_date(client, ministry_editor, monkeypatch):
    f.CompanyFactory()
    client.force_login(ministry_editor)
    # 2026-11-21 21:54 UTC is 2026-11-22 06:54 in Seoul
    moment = datetime.datetime(2026, 11, 21, 21, 54, tzinfo=datetime.UTC)
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)
    # when
    response = export(client, "0")
    # then
    name = "기업-2026-11-22.csv"
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote(name)}"
