"""``make bench``: build the scaled data set in PostgreSQL, serve it with gunicorn, and load every
benchmarked endpoint (``benchmarks.endpoints``) and its two floors from a client on loopback;
then API-against-API cases: page 190 of the companies list by cursor (and by offset) against
page 1, and ``search=`` at scale against the same list unfiltered.

    python -m benchmarks.run [--duration 20] [--rounds 10] [--concurrency 4] [--workers 2] [--size 1.0]
                             [--regenerate] [--only NAME]

Three sides per endpoint, measured in interleaved rounds by the same gunicorn: the API, the
floor behind the site's middleware (``/bench-floor/``) and the bare floor (``/bench-bare/``, a
plain WSGI callable). Before measuring, the three answers are compared; a difference fails the
run. The database is ``BENCH_DATABASE_URL`` (default postgres://postgres@127.0.0.1:5432/ax_bench);
it is created and filled on the first run (or with --regenerate, or when --size changed) and
reused afterwards. Prints a table and writes benchmarks/results/latest.json.
"""

import argparse
import dataclasses
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from benchmarks.load import LoadResult, run_load

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "latest.json"
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/ax_bench"
GOAL_RATIO = 0.6  # of the bare floor's throughput, every endpoint
GOAL_TAIL = 3.0  # p99 at most 3 × p50
GOAL_CURSOR = 0.85  # a deep cursor page's throughput over the first page's
CURSOR_PAGE = 190
SIDES = ("api", "floor", "bare")


def server_env(database_url: str) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="benchmarks.settings",
        DJANGO_SECRET_KEY="bench-only-" + "x" * 60,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DATABASE_URL=database_url,
        DATABASE_CONN_MAX_AGE="600",
        API_ANON_THROTTLE_RATE="100000000/min",  # on (its cost is measured), never reached
        LOG_LEVEL="WARNING",
    )
    env.pop("REDIS_URL", None)
    env.pop("CELERY_BROKER_URL", None)
    return env


def admin_connection(database_url: str):
    import psycopg

    return psycopg.connect(database_url.rsplit("/", 1)[0] + "/postgres", autocommit=True)


def recreate_database(database_url: str) -> None:
    name = database_url.rsplit("/", 1)[1]
    with admin_connection(database_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def database_exists(database_url: str) -> bool:
    name = database_url.rsplit("/", 1)[1]
    with admin_connection(database_url) as conn:
        return bool(conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone())


def generated_companies() -> int:
    from companies.models import Company

    return Company.objects.filter(website__regex=r"^https://company[0-9]+\.example\.kr$").count()


def prepare_data(database_url: str, scale, regenerate: bool) -> dict:
    """Django in this process, on the benchmark database: migrate, demo data, scaled rows."""
    fresh = regenerate or not database_exists(database_url)
    if fresh:
        recreate_database(database_url)
    os.environ.update(server_env(database_url))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from companies.models import Company
    from events.models import AgendaItem, Event
    from programs.models import Participation, Program

    if not fresh:
        call_command("migrate", verbosity=0)
        if generated_companies() != scale.companies:
            connection.close()
            recreate_database(database_url)
            fresh = True
    if fresh:
        print(
            f"building the data set ({scale.describe()}: migrate, load_demo, COPY)...", flush=True
        )
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        call_command("load_demo", verbosity=0)
        from benchmarks.generate import generate

        generate(scale)
        # The search index (core.search) of the COPY-written rows, for the search cases.
        call_command("rebuild_search_index", verbosity=0)
        print(f"data set built in {time.perf_counter() - started:.0f} s", flush=True)
    from core.search import SearchDocument, rebuild

    if SearchDocument.objects.filter(model="events.event").count() != Event.objects.count():
        print("indexing events and programs for search=...", flush=True)  # a set from before
        rebuild([Event, Program])
    flagship = Program.objects.get(slug="region-led-ai-transformation")
    data = {
        "scale": dataclasses.asdict(scale),
        "companies": Company.objects.count(),
        "participations": Participation.objects.count(),
        "events": Event.objects.count(),
        "agenda_items": AgendaItem.objects.count(),
        "programs": Program.objects.count(),
        "flagship_id": flagship.pk,
        "flagship_participations": Participation.objects.filter(program=flagship).count(),
    }
    connection.close()
    return data


def start_server(database_url: str, port: int, workers: int) -> subprocess.Popen:
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "benchmarks.wsgi:application",  # the site, the floor behind it, and the bare floor
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--backlog",
        "256",
        "--log-level",
        "warning",
        "--timeout",
        "120",  # the first search= of a worker loads the Korean analyser
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=server_env(database_url))
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/", timeout=2) as r:
                if r.status == 200:
                    return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def get_json(port: int, path: str):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={"Accept": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read())


def side_result(result: LoadResult) -> dict:
    return {
        "rps": result.rps,
        "p50_ms": result.p50_ms,
        "p90_ms": result.p90_ms,
        "p99_ms": result.p99_ms,
        "errors": result.errors,
        "bytes": result.mean_bytes,
        "p99_over_p50": round(result.p99_ms / result.p50_ms, 2) if result.p50_ms else None,
    }


def measure(port: int, paths: dict[str, str], args) -> tuple[dict[str, LoadResult], dict]:
    """Each side in ``args.rounds`` interleaved rounds, so that load from other processes on
    the machine falls on every side alike. Returns the merged result per side and the runs
    of each round."""
    runs: dict[str, list[LoadResult]] = {side: [] for side in paths}
    for round_ in range(args.rounds):
        for side, path in paths.items():
            runs[side].append(
                run_load(
                    "127.0.0.1",
                    port,
                    path,
                    concurrency=args.concurrency,
                    duration=args.duration / args.rounds,
                    warmup=args.warmup if round_ == 0 else 0.3,
                )
            )
    return {side: LoadResult.merge(r) for side, r in runs.items()}, runs


def round_ratio(runs: dict, side: str, reference: str) -> float | None:
    """The median over the rounds of ``side``'s throughput over ``reference``'s in the same
    round: less sensitive to other processes' load than the ratio of the totals."""
    ratios = sorted(
        a.rps / b.rps for a, b in zip(runs[side], runs[reference], strict=True) if b.rps
    )
    return round(statistics.median(ratios), 3) if ratios else None


def extra_cases(port: int) -> list[dict]:
    """API against API: a deep cursor page against the first page (goal 0.85), and search
    at scale against the same list unfiltered."""
    first = "/api/v1/companies/?page_size=100"
    deep = first
    for _ in range(CURSOR_PAGE - 1):  # the next links, as a client walks the list
        link = get_json(port, deep)["next"]
        if link is None:  # a data set too small for the deep page
            deep = None
            break
        deep = link[link.index("/api/") :]
    cases = [
        {
            "case": f"companies list page {CURSOR_PAGE}",
            "paths": {
                "page 1": first,
                f"cursor page {CURSOR_PAGE}": deep,
                f"offset page {CURSOR_PAGE}": f"/api/v1/companies/?page={CURSOR_PAGE}&page_size=100",
            },
            "reference": "page 1",
            "goal": {f"cursor page {CURSOR_PAGE}": GOAL_CURSOR},
        },
        {
            "case": "companies search",
            "paths": {
                "list": first,
                "search=정밀": first + "&search=" + urllib.parse.quote("정밀"),
            },
            "reference": "list",
            "goal": {},
        },
        {
            "case": "programs search",
            "paths": {
                "list": "/api/v1/programs/?page_size=100",
                "search=AI대전환": "/api/v1/programs/?page_size=100&search="
                + urllib.parse.quote("AI대전환"),
            },
            "reference": "list",
            "goal": {},
        },
    ]
    cases = cases if deep is not None else cases[1:]
    for case in cases:  # the first search loads the Korean analyser in each worker
        for path in case["paths"].values():
            for _ in range(4):
                get_json(port, path)
    return cases


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--duration", type=float, default=20.0, help="seconds measured per endpoint and side"
    )
    parser.add_argument("--rounds", type=int, default=10, help="interleaved rounds of the sides")
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--port", type=int, default=8310)
    parser.add_argument(
        "--size", type=float, default=1.0, help="data set size as a fraction of the full scale"
    )
    parser.add_argument("--only", action="append", help="measure only this endpoint (repeatable)")
    parser.add_argument("--no-extra", action="store_true", help="skip the cursor and search cases")
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    from benchmarks.generate import FULL

    scale = FULL.times(args.size)
    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    data = prepare_data(database_url, scale, args.regenerate)

    from benchmarks.endpoints import ENDPOINTS

    endpoints = [e for e in ENDPOINTS if not args.only or e.name in args.only]
    ids = {"program": data["flagship_id"]}
    load_before = os.getloadavg()
    server = start_server(database_url, args.port, args.workers)
    results, mismatched, extras = [], [], []
    try:
        for endpoint in endpoints:
            paths = endpoint.paths(ids)
            answers = {side: get_json(args.port, path) for side, path in paths.items()}
            diffs = {
                side: list(endpoint.compare(answers["api"], answers[side]))[:5]
                for side in ("floor", "bare")
            }
            same = not any(diffs.values())
            print(f"{endpoint.name}: payloads identical: {same}", flush=True)
            if not same:
                mismatched.append(endpoint.name)
                for side, found in diffs.items():
                    for line in found:
                        print(f"  {side}: {line}")
                continue
            measured, runs = measure(args.port, paths, args)
            api, floor, bare = (measured[s] for s in SIDES)
            ratio_bare = round(api.rps / bare.rps, 3) if bare.rps else None
            tail = round(api.p99_ms / api.p50_ms, 2) if api.p50_ms else None
            results.append(
                {
                    "endpoint": endpoint.name,
                    "list": endpoint.is_list,
                    "paths": paths,
                    "same_payload": same,
                    **{side: side_result(measured[side]) for side in SIDES},
                    "ratio_to_floor": round(api.rps / floor.rps, 3) if floor.rps else None,
                    "ratio_to_bare": ratio_bare,
                    "round_ratio_to_bare": round_ratio(runs, "api", "bare"),
                    "p99_over_p50": tail,
                    "meets_ratio_goal": (ratio_bare or 0) >= GOAL_RATIO,
                    "meets_tail_goal": (tail or 99) <= GOAL_TAIL,
                }
            )
        extras = [] if args.no_extra or args.only else extra_cases(args.port)
        for case in extras:
            measured, runs = measure(args.port, case["paths"], args)
            case["sides"] = {side: side_result(r) for side, r in measured.items()}
            reference = case["reference"]
            case["ratio"] = {
                side: round(r.rps / measured[reference].rps, 3)
                for side, r in measured.items()
                if side != reference and measured[reference].rps
            }
            case["round_ratio"] = {
                side: round_ratio(runs, side, reference) for side in case["ratio"]
            }
            case["meets_goal"] = {
                side: (case["ratio"].get(side) or 0) >= goal for side, goal in case["goal"].items()
            }
    finally:
        server.terminate()
        server.wait(timeout=30)
    load_after = os.getloadavg()

    print()
    header = (
        f"{'endpoint':<17}{'rps':>8}{'p50 ms':>9}{'p99 ms':>9}{'floor rps':>11}{'bare rps':>10}"
        f"{'bare p50':>10}{'/floor':>8}{'/bare':>7}{'p99/p50':>9}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        a = r["api"]
        print(
            f"{r['endpoint']:<17}{a['rps']:>8}{a['p50_ms']:>9}{a['p99_ms']:>9}"
            f"{r['floor']['rps']:>11}{r['bare']['rps']:>10}{r['bare']['p50_ms']:>10}"
            f"{r['ratio_to_floor']:>8}{r['ratio_to_bare']:>7}{r['p99_over_p50']:>9}"
        )
    for case in extras:
        print(f"\n{case['case']} (ratio to {case['reference']}):")
        for side, r in case["sides"].items():
            ratio = case["ratio"].get(side, "")
            print(
                f"  {side:<22}{r['rps']:>8} rps{r['p50_ms']:>9} ms p50{r['p99_ms']:>9} ms p99  {ratio}"
            )
    print(
        f"\nload average (1, 5, 15 min): before {', '.join(f'{x:.2f}' for x in load_before)}; "
        f"after {', '.join(f'{x:.2f}' for x in load_after)}"
    )
    report = {
        "generated_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "command": "python -m benchmarks.run "
        + " ".join(argv if argv is not None else sys.argv[1:]),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in load_after],
        },
        "server": {
            "app": "benchmarks.wsgi:application",
            "gunicorn_workers": args.workers,
            "worker_class": "sync",
        },
        "load": {
            "client": "benchmarks/load.py (asyncio, closed loop, loopback, a connection per request)",
            "concurrency": args.concurrency,
            "duration_s": args.duration,
            "rounds": args.rounds,
            "warmup_s": args.warmup,
        },
        "data": data,
        "goals": {
            "ratio_to_bare_at_least": GOAL_RATIO,
            "p99_over_p50_at_most": GOAL_TAIL,
            f"cursor_page_{CURSOR_PAGE}_over_page_1_at_least": GOAL_CURSOR,
        },
        "endpoints": results,
        "api_cases": extras,
        "mismatched_payloads": mismatched,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(
        f"\nwritten: {args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output}"
    )
    if mismatched:
        print(f"payloads differ from the floor: {', '.join(mismatched)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
