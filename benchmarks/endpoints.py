"""The benchmarked endpoints, declared once: each API path, the floor that mirrors it, and how
their payloads are compared. ``benchmarks.urls`` and ``benchmarks.bare`` serve the floors from
this list, ``benchmarks.run`` loads every entry, and ``tests/benchmarks`` checks on a small data
set that each floor's JSON equals the API's."""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import quote

from benchmarks import floor

FLOOR_PREFIX = "/bench-floor/"  # the floor as a Django view, behind the site's middleware
BARE_PREFIX = "/bench-bare/"  # the floor as a bare WSGI callable, no middleware


def differences(api, other, path: str = "$") -> Iterator[str]:
    """Where two JSON values differ (``$.results[0].region``), first differences first."""
    if isinstance(api, dict) and isinstance(other, dict):
        for key in api.keys() - other.keys():
            yield f"{path}.{key}: only in the API"
        for key in other.keys() - api.keys():
            yield f"{path}.{key}: only in the floor"
        for key in api.keys() & other.keys():
            yield from differences(api[key], other[key], f"{path}.{key}")
        if api.keys() == other.keys() and list(api) != list(other):
            yield f"{path}: keys in another order"
    elif isinstance(api, list) and isinstance(other, list):
        if len(api) != len(other):
            yield f"{path}: {len(api)} items in the API, {len(other)} in the floor"
        for n, (a, b) in enumerate(zip(api, other, strict=False)):
            yield from differences(a, b, f"{path}[{n}]")
    elif api != other or type(api) is not type(other):
        yield f"{path}: API {api!r}, floor {other!r}"


@dataclass(frozen=True)
class Endpoint:
    name: str
    api: str  # API path; ``{program}`` is the flagship program's id
    route: str  # the floor's route under both prefixes (``path()`` syntax)
    floor: Callable  # benchmarks.floor function: (FloorRequest, **route kwargs) -> payload
    query: str = ""
    is_list: bool = False
    #: (API JSON, floor JSON) -> the differences (none: the payloads are the same).
    compare: Callable = differences

    def paths(self, ids: dict) -> dict[str, str]:
        """The endpoint's three paths (API, floor behind middleware, bare floor)."""
        query = f"?{self.query}" if self.query else ""
        route = re.sub(r"<int:(\w+)>", lambda m: str(ids[m[1]]), self.route)
        return {
            "api": self.api.format(**ids) + query,
            "floor": FLOOR_PREFIX + route + query,
            "bare": BARE_PREFIX + route + query,
        }


ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint(
        "companies list",
        "/api/v1/companies/",
        "companies/",
        floor.companies,
        query="page_size=100",
        is_list=True,
    ),
    Endpoint(
        "program detail",
        "/api/v1/programs/{program}/",
        "programs/<int:program>/",
        floor.program_detail,
    ),
    Endpoint(
        "program summary",
        "/api/v1/programs/{program}/summary/",
        "programs/<int:program>/summary/",
        floor.program_summary,
    ),
    Endpoint(
        "events list",
        "/api/v1/events/",
        "events/",
        floor.events,
        query="page_size=100",
        is_list=True,
    ),
    # The site search behind the API's search= (core/search.py): "간담회" matches every
    # generated event, so the index, not the page, does the work at scale.
    Endpoint(
        "events search",
        "/api/v1/events/",
        "events/",
        floor.events,
        query="page_size=100&search=" + quote("간담회"),
        is_list=True,
    ),
)
