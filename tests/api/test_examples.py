"""The client examples of the guide (docs/examples/) run against a live server: the Python one
(standard library) and the JavaScript one (Node 20, fetch) read the same filtered list and the
same changes, following ``next`` links, and print the same exact result."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from core.models import Region
from tests import factories as f
from tests.services import require_service

ROOT = Path(__file__).resolve().parent.parent.parent
EXAMPLES = ROOT / "docs" / "examples"
EOK = 100_000_000

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def gyeongnam():
    """The flagship in 경남 linking three national programs (budgets as in the demo data)."""
    region = Region.objects.get(code="48")
    source = f.SourceFactory()
    flagship = f.ProgramFactory(
        slug="region-led-ai-transformation", name="지역 주도형 AI 대전환사업"
    )
    f.BudgetLineFactory(program=flagship, amount_krw=350 * EOK, source=f.SourceFactory())
    f.BudgetLineFactory(program=flagship, amount_krw=234 * EOK, source=source)
    rp = f.RegionalParticipationFactory(program=flagship, region=region)
    for slug, name, amount in (
        ("ai-factory", "AI팩토리사업", 256),
        ("ax-demonstration-complex", "AX실증산단 구축사업", 222),
        ("manufacturing-ai-convergence-base", "제조업 AI융합기반 조성사업", 450),
    ):
        program = f.ProgramFactory(slug=slug, name=name)
        f.BudgetLineFactory(program=program, amount_krw=amount * EOK, source=source)
        rp.linked_programs.add(program)
    f.ProgramFactory(slug="elsewhere")  # serves no region
    return flagship


def run(command: list[str]) -> dict:
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def expected(live_server, cursor: str) -> dict:
    from programs.models import Program

    created = [
        {
            "type": "programs.program",
            "id": str(pk),
            "action": "created",
            "url": f"{live_server.url}/api/v1/programs/{pk}/",
        }
        for pk in Program.objects.order_by("id").values_list("pk", flat=True)
    ]
    return {
        "region": "48",
        "programs": [
            {"headline_budget_krw": 256 * EOK, "linked": True, "slug": "ai-factory"},
            {"headline_budget_krw": 222 * EOK, "linked": True, "slug": "ax-demonstration-complex"},
            {
                "headline_budget_krw": 450 * EOK,
                "linked": True,
                "slug": "manufacturing-ai-convergence-base",
            },
            {
                "headline_budget_krw": 350 * EOK,  # one source's figure, never 584억
                "linked": False,
                "slug": "region-led-ai-transformation",
            },
        ],
        "budget_total_krw": (256 + 222 + 450 + 350) * EOK,
        "changes": created,  # the five programs, in the order they were created
        "cursor": cursor,
    }


def python_client(live_server, *args) -> list[str]:
    return [sys.executable, str(EXAMPLES / "python_client.py"), live_server.url, *args]


def js_client(live_server, *args) -> list[str]:
    node = shutil.which("node")
    require_service("node", node is not None, "Node 20 runs the JavaScript example")
    version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout
    assert int(version.lstrip("v").split(".")[0]) >= 20, version
    return [node, str(EXAMPLES / "js_client.mjs"), live_server.url, *args]


@pytest.mark.parametrize("client", [python_client, js_client], ids=["python", "javascript"])
def test_client_reads_the_list_and_the_changes_feed(gyeongnam, live_server, client):
    # when
    result = run(client(live_server))

    # then: every page of both (page_size / limit 2) was followed
    assert result == expected(live_server, result["cursor"])
    assert len(result["changes"]) == 5

    # when: resumed from the cursor it printed, after one more change
    gyeongnam.name = "지역 주도형 AI 대전환사업 (개편)"
    gyeongnam.save()
    again = run(client(live_server, "--cursor", result["cursor"]))

    # then: only that change
    assert again["changes"] == [
        {
            "type": "programs.program",
            "id": str(gyeongnam.pk),
            "action": "updated",
            "url": f"{live_server.url}/api/v1/programs/{gyeongnam.pk}/",
        }
    ]
    assert again["cursor"] != result["cursor"]


def test_both_clients_print_the_same_bytes(gyeongnam, live_server):
    python = subprocess.run(python_client(live_server), capture_output=True, text=True, check=True)
    javascript = subprocess.run(js_client(live_server), capture_output=True, text=True, check=True)
    assert javascript.stdout == python.stdout
