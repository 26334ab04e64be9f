"""Export of exactly what the changelist shows after filtering: CSV (UTF-8 with BOM) and XLSX."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def companies(own_region, other_region):
    return {
        "own": [f.CompanyFactory(name=f"경남 {i}", region=own_region) for i in range(3)],
        "other": [f.CompanyFactory(name=f"부산 {i}", region=other_region) for i in range(2)],
    }


def export(client, fmt: str, query: str = ""):
    url = reverse("admin:companies_company_export") + query
    return client.post(url, {"format": fmt, "resource": "0"})


def test_csv_export_follows_the_changelist_filter(client, ministry_editor, own_region, companies):
    client.force_login(ministry_editor)
    query = f"?region__id__exact={own_region.pk}"
    shown = client.get(reverse("admin:companies_company_changelist") + query).context["cl"]
    # when
    response = export(client, "0", query)
    # then
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert sorted(r["기업명"] for r in rows) == sorted(c.name for c in shown.queryset)
    assert sorted(r["기업명"] for r in rows) == ["경남 0", "경남 1", "경남 2"]
    assert {r["지역"] for r in rows} == {"48"}


def test_xlsx_export_follows_search(client, ministry_editor, companies):
    client.force_login(ministry_editor)
    # when
    response = export(client, "1", "?q=부산")
    # then
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][:2] == ("사업자등록번호", "기업명")
    assert sorted(row[1] for row in values[1:]) == ["부산 0", "부산 1"]


def test_exported_file_imports_back_unchanged(client, ministry_editor, companies):
    """The export uses the import's columns, so a round trip changes nothing."""
    client.force_login(ministry_editor)
    exported = export(client, "0").content
    # when
    from django.core.files.uploadedfile import SimpleUploadedFile

    from staff.models import ImportJob

    client.post(
        reverse("staff:import-upload", args=["companies"]),
        {"file": SimpleUploadedFile("export.csv", exported)},
    )
    job = ImportJob.objects.latest("id")
    # then
    assert job.status == ImportJob.Status.CHECKED, job.errors
    assert job.report["counts"] == {"new": 0, "updated": 0, "unchanged": 5}


def test_viewer_may_export(client, viewer, companies):
    client.force_login(viewer)
    response = export(client, "0")
    assert response.status_code == 200
    assert len(response.content.decode("utf-8-sig").strip().splitlines()) == 6


@pytest.mark.parametrize(
    ("changelist", "kind"),
    [
        ("admin:companies_company_changelist", "companies"),
        ("admin:programs_participation_changelist", "participations"),
        ("admin:events_event_changelist", "events"),
        ("admin:indicators_observation_changelist", "observations"),
    ],
)
def test_changelists_link_their_import_page_and_export(client, ministry_editor, changelist, kind):
    client.force_login(ministry_editor)
    page = client.get(reverse(changelist)).content.decode()
    assert reverse("staff:import-upload", args=[kind]) in page
    assert "export_link" in page
