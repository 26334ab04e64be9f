#!/usr/bin/env python3
"""A dashboard's reader of the tracker API, with the standard library only (urllib).

It reads a filtered list (the programs serving a region, with their headline budgets),
following each page's ``next`` link until it is null, and the changes feed, following ``next``
while ``more`` is true — so it never builds a page URL or a cursor itself.

    python docs/examples/python_client.py http://127.0.0.1:8000 --region 48
    python docs/examples/python_client.py http://127.0.0.1:8000 --cursor <the cursor it printed>

prints one JSON object: the region's programs (slug, headline budget, linked or taking part),
their budget total, the changes read (type, id, action, URL; oldest first) and the cursor to
resume the feed from next time.
"""

import argparse
import json
import urllib.parse
import urllib.request

USER_AGENT = "tracker-example-python/1"


def get_json(url: str, token: str | None = None) -> dict:
    headers = {"Accept": "application/json", "User-Agent": USER_AGENT}
    if token:
        headers["Authorization"] = f"Token {token}"
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def follow(url: str, token: str | None = None):
    """Every row of a list: page after page, following ``next`` until it is null."""
    while url:
        page = get_json(url, token)
        yield from page["results"]
        url = page.get("next")


def region_programs(base: str, region: str) -> list[dict]:
    query = urllib.parse.urlencode({"region": region, "ordering": "name", "page_size": 2})
    return [
        {
            "slug": row["slug"],
            "headline_budget_krw": row["headline_budget_krw"],
            "linked": region in row["linked_regions"],
        }
        for row in follow(f"{base}/api/v1/programs/?{query}")
    ]


def changes(base: str, types: str, cursor: str | None = None) -> tuple[list[dict], str]:
    """The changes feed from ``cursor`` (from the start without one), up to now: every
    create, update and delete (tombstone) of the record ``types``, oldest first, and the cursor
    to resume from next time. ``next`` is always given; ``more`` says whether it has more now."""
    query = {"limit": 2, "type": types}
    if cursor:
        query["cursor"] = cursor
    url = f"{base}/api/v1/changes/?{urllib.parse.urlencode(query)}"
    out = []
    while True:
        page = get_json(url)
        out += [
            {"type": c["type"], "id": c["id"], "action": c["action"], "url": c["url"]}
            for c in page["results"]
        ]
        url, cursor = page["next"], page["cursor"]
        if not page["more"]:
            return out, cursor


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", nargs="?", default="http://127.0.0.1:8000")
    parser.add_argument("--region", default="48")
    parser.add_argument("--types", default="programs.program")
    parser.add_argument("--cursor", default=None, help="resume the changes feed from here")
    args = parser.parse_args(argv)
    base = args.base.rstrip("/")
    programs = region_programs(base, args.region)
    feed, cursor = changes(base, args.types, args.cursor)
    result = {
        "region": args.region,
        "programs": programs,
        "budget_total_krw": sum(p["headline_budget_krw"] or 0 for p in programs),
        "changes": feed,
        "cursor": cursor,
    }
    print(json.dumps(result, ensure_ascii=False, sort_keys=True, separators=(",", ":")))


if __name__ == "__main__":
    main()
