"""The bulk open-data package: the API's public tables as CSV and JSON in a ZIP, described by a
Frictionless ``datapackage.json`` and valid against it; built on demand and nightly; served
with ETag / 304; its DCAT-AP catalogue record."""

import csv
import io
import json
import os
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from frictionless import Package

from core.models import Region
from opendata import services
from opendata.models import DataPackage
from opendata.package import build_zip
from programs.models import Program
from tests import factories as f

pytestmark = pytest.mark.django_db

EOK = 100_000_000
TABLES = [
    "regions",
    "organizations",
    "sources",
    "companies",
    "programs",
    "programs.budget_lines",
    "programs.regional_participations",
    "participations",
    "participations.outcomes",
    "events",
    "events.agenda_items",
    "events.participants",
    "awards",
    "statistics",
    "statistic-series",
    "targets",
    "targets.periods",
    "follow-ups",
]
DOCUMENTS = [
    "regions",
    "organizations",
    "sources",
    "companies",
    "programs",
    "participations",
    "events",
    "awards",
    "statistics",
    "statistic-series",
    "targets",
    "follow-ups",
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.OPENDATA_BASE_URL = "http://testserver"


@pytest.fixture
def world():
    """One program in 경남 with two budget sources, a target with an actual, a participation
    with a published outcome, and an event with an agenda item."""
    gyeongnam = Region.objects.get(code="48")
    program = f.ProgramFactory(slug="flagship", name="지역 주도형 AI 대전환사업")
    f.BudgetLineFactory(program=program, amount_krw=350 * EOK)
    f.BudgetLineFactory(program=program, amount_krw=234 * EOK)
    rp = f.RegionalParticipationFactory(program=program, region=gyeongnam)
    f.TargetFactory(program=None, regional_participation=rp, target_value=30)
    participation = f.ParticipationFactory(program=program, consent_to_publish=True)
    f.OutcomeFactory(participation=participation, company=participation.company)
    event = f.EventFactory(slug="ceremony", region=gyeongnam)
    f.AgendaItemFactory(event=event)
    return {"program": program, "event": event}


def unzip(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_package_holds_every_public_table_as_csv_and_json(world):
    # when
    built = build_zip(timezone.now())
    files = unzip(built.content)

    # then
    assert sorted(files) == sorted(
        ["datapackage.json"]
        + [f"csv/{name}.csv" for name in TABLES]
        + [f"json/{name}.json" for name in DOCUMENTS]
    )
    assert built.tables == 18
    names = [r["name"] for r in built.descriptor["resources"]]
    assert names == TABLES + [f"{name}-json" for name in DOCUMENTS]
    assert json.loads(files["datapackage.json"]) == built.descriptor
    # no staff-only resource: people (contact data) is not in the package
    assert not any("people" in name for name in files)


def test_csv_tables_are_the_apis_csv_byte_for_byte(world, client):
    files = unzip(build_zip(timezone.now()).content)
    for name in DOCUMENTS:
        api = client.get(f"/api/v1/{name}/", {"format": "csv", "ordering": "id"}).content
        if name == "regions":
            api = client.get(f"/api/v1/{name}/", {"format": "csv"}).content
        assert files[f"csv/{name}.csv"].startswith("\ufeff".encode()), name
        assert files[f"csv/{name}.csv"] == api, name


def test_json_documents_are_the_apis_details(world, client):
    files = unzip(build_zip(timezone.now()).content)
    programs = json.loads(files["json/programs.json"])
    assert programs == [client.get(f"/api/v1/programs/{world['program'].pk}/").json()]
    events = json.loads(files["json/events.json"])
    assert events == [client.get(f"/api/v1/events/{world['event'].pk}/").json()]


def test_nested_lists_become_tables_with_their_parents_id(world):
    files = unzip(build_zip(timezone.now()).content)
    lines = files["csv/programs.budget_lines.csv"].decode("utf-8-sig").splitlines()
    header = lines[0].split(",")
    assert header[:3] == ["program_id", "id", "amount_krw"]
    assert sorted(line.split(",")[2] for line in lines[1:]) == [str(234 * EOK), str(350 * EOK)]
    assert {line.split(",")[0] for line in lines[1:]} == {str(world["program"].pk)}
    periods = files["csv/targets.periods.csv"].decode("utf-8-sig")
    assert periods.splitlines()[0].startswith("target_id,")


def test_descriptor_types_come_from_the_shapes(world):
    built = build_zip(timezone.now())
    resources = {r["name"]: r for r in built.descriptor["resources"]}
    programs = {fd["name"]: fd for fd in resources["programs"]["schema"]["fields"]}
    assert programs["id"]["type"] == "integer"
    assert programs["headline_budget_krw"]["type"] == "integer"
    assert programs["planned_start"]["type"] == "date"
    assert programs["updated_at"]["type"] == "datetime"
    assert programs["status"] == {
        "name": "status",
        "type": "string",
        "constraints": {"enum": [value for value, _label in Program.Status.choices]},
    }
    assert programs["regions"]["type"] == "string"
    assert programs["lead_ministry.name"]["type"] == "string"
    companies = {fd["name"]: fd for fd in resources["companies"]["schema"]["fields"]}
    booleans = [fd for fd in companies.values() if fd["type"] == "boolean"]
    assert all(fd["trueValues"] == ["true"] and fd["falseValues"] == ["false"] for fd in booleans)
    assert resources["programs"]["schema"]["primaryKey"] == ["id"]
    assert resources["programs.budget_lines"]["schema"]["foreignKeys"] == [
        {"fields": ["program_id"], "reference": {"resource": "programs", "fields": ["id"]}}
    ]
    assert resources["programs"]["encoding"] == "utf-8-sig"
    assert built.descriptor["licenses"][0]["name"] == "KOGL-Type1"


def test_demo_package_is_valid_against_its_own_descriptor(tmp_path):
    # given the demo data set
    call_command("load_demo", verbosity=0)

    # when
    built = build_zip(timezone.now())
    with zipfile.ZipFile(io.BytesIO(built.content)) as archive:
        archive.extractall(tmp_path / "pkg")
    report = Package(str(tmp_path / "pkg" / "datapackage.json")).validate()

    # then: every table's rows match its schema, primary and foreign keys hold
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    assert [task.name for task in report.tasks] == TABLES + [f"{n}-json" for n in DOCUMENTS]
    assert built.rows == sum(task.stats.get("rows") or 0 for task in report.tasks[: len(TABLES)])
    rows = list(
        csv.DictReader(io.StringIO(unzip(built.content)["csv/programs.csv"].decode("utf-8-sig")))
    )
    gyeongnam = sorted(
        (r["slug"], r["regions"], r["linked_regions"])
        for r in rows
        if "48" in r["regions"].split("; ") + r["linked_regions"].split("; ")
    )
    assert gyeongnam == [
        ("ai-factory", "", "48"),
        ("ax-demonstration-complex", "", "48"),
        ("manufacturing-ai-convergence-base", "", "48"),
        ("region-led-ai-transformation", "27; 31; 46; 48; 50", ""),
    ]


def test_same_data_gives_the_same_bytes(world):
    at = timezone.now()
    assert build_zip(at).sha256 == build_zip(at).sha256


def test_a_change_of_public_data_changes_the_package(world):
    before = build_zip(timezone.now()).sha256
    world["program"].name = "이름 바뀐 사업"
    world["program"].save()
    assert build_zip(timezone.now()).sha256 != before


# --- building: on demand, nightly, pruning -------------------------------------------------


def test_management_command_builds_a_ready_package(world, capsys):
    # when
    call_command("opendata_build")

    # then
    package = DataPackage.objects.get()
    assert (package.status, package.trigger, package.tables) == ("ready", "command", 18)
    assert package.size_bytes == package.file.size
    out = capsys.readouterr().out
    assert f"18 tables · {package.rows} rows · {package.size_bytes} bytes" in out
    assert package.sha256 in out


def test_request_reuses_a_waiting_build(world):
    first = DataPackage.objects.create(trigger="admin")
    again = services.opendata_package_request(trigger="nightly")
    assert again.pk == first.pk
    assert DataPackage.objects.count() == 1


def test_nightly_schedule_is_in_the_beat_table():
    task = PeriodicTask.objects.get(task="opendata.tasks.opendata_package_refresh")
    assert (task.crontab.minute, task.crontab.hour, str(task.crontab.timezone)) == (
        "30",
        "3",
        "Asia/Seoul",
    )
    assert task.enabled


def test_nightly_task_builds_a_package(world, django_capture_on_commit_callbacks):
    from opendata import tasks

    with django_capture_on_commit_callbacks(execute=True):
        package_id = tasks.opendata_package_refresh.delay().get()
    package = DataPackage.objects.get(pk=package_id)
    assert (package.status, package.trigger) == ("ready", "nightly")


def test_build_is_idempotent(world):
    package = DataPackage.objects.create(trigger="admin")
    services.opendata_package_build(package_id=package.pk)
    sha = DataPackage.objects.get().sha256
    services.opendata_package_build(package_id=package.pk)  # a redelivered task
    assert list(DataPackage.objects.values_list("sha256", flat=True)) == [sha]


def test_only_the_newest_ready_packages_are_kept(world, settings):
    settings.OPENDATA_KEEP = 2
    files = []
    for _ in range(3):
        package = DataPackage.objects.create(trigger="command")
        files.append(services.opendata_package_build(package_id=package.pk).file.path)
    assert DataPackage.objects.count() == 2
    assert [os.path.exists(p) for p in files] == [False, True, True]


def test_a_failed_build_is_recorded(world, monkeypatch):
    def broken(at):
        raise RuntimeError("디스크 가득 참")

    monkeypatch.setattr(services, "build_zip", broken)
    package = DataPackage.objects.create(trigger="admin")
    with pytest.raises(RuntimeError):
        services.opendata_package_build(package_id=package.pk)
    package.refresh_from_db()
    assert (package.status, package.error) == ("failed", "RuntimeError('디스크 가득 참')")
    assert not package.file


# --- serving --------------------------------------------------------------------------------


def ready_package() -> DataPackage:
    package = DataPackage.objects.create(trigger="command")
    return services.opendata_package_build(package_id=package.pk)


def test_download_serves_the_zip_with_etag_and_304(world, client):
    package = ready_package()

    # when
    response = client.get(reverse("opendata-download"))

    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["ETag"] == f'"{package.sha256[:32]}"'
    assert response["Cache-Control"] == "public, no-cache"
    assert response["Content-Disposition"] == 'attachment; filename="sme-ai-tracker-opendata.zip"'
    body = b"".join(response.streaming_content)
    assert body == package.file.open("rb").read()
    assert "datapackage.json" in unzip(body)

    # when: revalidated
    again = client.get(reverse("opendata-download"), HTTP_IF_NONE_MATCH=response["ETag"])

    # then
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == response["ETag"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_first_download_builds_the_package(world, client):
    # when: nothing is built yet (no broker: the build runs in-process once its row commits)
    response = client.get(reverse("opendata-download"))

    # then
    assert response.status_code == 200
    assert DataPackage.objects.get().trigger == "download"


def test_download_while_building_answers_503(world, client):
    DataPackage.objects.create(trigger="admin", status="running")
    response = client.get(reverse("opendata-download"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json() == {
        "code": "opendata_not_ready",
        "detail": "공개 데이터 묶음을 만드는 중입니다. 잠시 뒤 다시 요청해 주세요.",
    }


def test_descriptor_is_served_alone(world, client):
    package = ready_package()
    response = client.get(reverse("opendata-datapackage"))
    assert response.status_code == 200
    assert response.json() == package.descriptor
    assert (
        client.get(reverse("opendata-datapackage"), HTTP_IF_NONE_MATCH=response["ETag"]).status_code
        == 304
    )


def test_dcat_catalogue_record(world, client):
    package = ready_package()

    # when
    response = client.get(reverse("opendata-catalog"))

    # then
    assert response["Content-Type"] == "application/ld+json; charset=utf-8"
    body = response.json()
    assert body["@type"] == "dcat:Catalog"
    assert body["@id"] == "http://testserver/opendata/catalog.jsonld"
    (dataset,) = body["dcat:dataset"]
    assert dataset["@type"] == "dcat:Dataset"
    assert dataset["dct:identifier"] == "sme-ai-transformation-tracker"
    assert dataset["dct:title"][0] == {
        "@language": "ko",
        "@value": "중소기업 AI 전환 지원사업 트래커 공개 데이터",
    }
    assert dataset["dct:license"] == {"@id": "https://www.kogl.or.kr/info/licenseType1.do"}
    assert dataset["dct:modified"] == package.finished_at.isoformat()
    assert [d["dcat:accessURL"]["@id"] for d in dataset["dcat:distribution"]] == [
        "http://testserver/opendata/sme-ai-tracker-opendata.zip",
        "http://testserver/opendata/datapackage.json",
        "http://testserver/api/v1/",
    ]
    zip_distribution = dataset["dcat:distribution"][0]
    assert zip_distribution["dcat:byteSize"] == package.size_bytes
    assert zip_distribution["spdx:checksum"]["spdx:checksumValue"] == package.sha256
    assert zip_distribution["dct:conformsTo"] == {
        "@id": "https://specs.frictionlessdata.io/data-package/"
    }


def test_dcat_before_any_build_has_no_size(client):
    body = client.get(reverse("opendata-catalog")).json()
    zip_distribution = body["dcat:dataset"][0]["dcat:distribution"][0]
    assert "dcat:byteSize" not in zip_distribution
    assert "dct:modified" not in body["dcat:dataset"][0]
    assert DataPackage.objects.count() == 0  # the catalogue never starts a build
