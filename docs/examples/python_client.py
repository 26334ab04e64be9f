#!/usr/bin/env python3
"""A dashboard's reader of the tracker API, with the standard library only (urllib).

It reads a filtered list (the programs serving a region, with their headline budgets) and the
changes since a moment, following each answer's ``next`` link until it is null — the same
loop works for page numbers and for cursors, so the client never builds a page URL itself.

    python docs/examples/python_client.py http://127.0.0.1:8000 --region 48 --since 2026-01-01T00:00:00+09:00

prints one JSON object: the region's programs (slug, headline budget, linked or taking part),
their budget total, and the changes read (record URL and action, in order).
"""

import argparse
import json
import urllib.error
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


def changes(base: str, since: str) -> list[dict]:
    """What changed since ``since``: the changes feed when the server has one, else the
    ``updated_since`` query of a list (which shows no deletions)."""
    query = urllib.parse.urlencode({"updated_since": since, "ordering": "updated_at"})
    try:
        get_json(f"{base}/api/v1/changes/?page_size=1")
    except urllib.error.HTTPError:
        rows = follow(f"{base}/api/v1/programs/?{query}&page_size=2")
        return [{"url": row["url"], "action": "changed"} for row in rows]
    feed = urllib.parse.urlencode({"since": since})
    return [
        {"url": row.get("url"), "action": row.get("action")}
        for row in follow(f"{base}/api/v1/changes/?{feed}")
    ]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", nargs="?", default="http://127.0.0.1:8000")
    parser.add_argument("--region", default="48")
    parser.add_argument("--since", default="2020-01-01T00:00:00+09:00")
    args = parser.parse_args(argv)
    base = args.base.rstrip("/")
    programs = region_programs(base, args.region)
    result = {
        "region": args.region,
        "programs": programs,
        "budget_total_krw": sum(p["headline_budget_krw"] or 0 for p in programs),
        "changes": changes(base, args.since),
    }
    print(json.dumps(result, ensure_ascii=False, sort_keys=True, separators=(",", ":")))


if __name__ == "__main__":
    main()
