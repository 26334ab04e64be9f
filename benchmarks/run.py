"""``make bench``: build the scaled data set in PostgreSQL, serve it with gunicorn, and load four
API endpoints and their raw-SQL floor (benchmarks/floor.py) from a client on loopback.

    python -m benchmarks.run [--duration 10] [--concurrency 4] [--workers 2] [--regenerate]

The database is ``BENCH_DATABASE_URL`` (default postgres://postgres@127.0.0.1:5432/ax_bench);
it is created and filled on the first run (or with --regenerate) and reused afterwards. Prints a
table and writes benchmarks/results/latest.json: per endpoint the API's rps, p50 and p99, the
floor's, and the ratio of throughputs.
"""

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from benchmarks.load import LoadResult, run_load

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "latest.json"
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/ax_bench"
GOAL_RATIO = 0.5
GOAL_TAIL = 3.0


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


def recreate_database(database_url: str) -> None:
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def database_exists(database_url: str) -> bool:
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()


def prepare_data(database_url: str, regenerate: bool) -> dict:
    """Django in this process, on the benchmark database: migrate, demo data, scaled rows."""
    if regenerate or not database_exists(database_url):
        recreate_database(database_url)
        fresh = True
    else:
        fresh = False
    os.environ.update(server_env(database_url))
    import django

    django.setup()
    from django.core.management import call_command

    from companies.models import Company
    from events.models import AgendaItem, Event
    from programs.models import Participation, Program

    if fresh or Company.objects.count() < 20_000:
        if not fresh:
            recreate_database(database_url)
            from django.db import connection

            connection.close()
        print("building the data set (migrate, load_demo, COPY)...", flush=True)
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        call_command("load_demo", verbosity=0)
        from benchmarks.generate import generate

        generate()
        print(f"data set built in {time.perf_counter() - started:.0f} s", flush=True)
    flagship = Program.objects.get(slug="region-led-ai-transformation")
    return {
        "companies": Company.objects.count(),
        "participations": Participation.objects.count(),
        "events": Event.objects.count(),
        "agenda_items": AgendaItem.objects.count(),
        "programs": Program.objects.count(),
        "flagship_id": flagship.pk,
        "flagship_participations": Participation.objects.filter(program=flagship).count(),
    }


def start_server(database_url: str, port: int, workers: int) -> subprocess.Popen:
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "config.wsgi:application",
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
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:
        return json.loads(response.read())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--duration", type=float, default=20.0, help="seconds measured per endpoint and side"
    )
    parser.add_argument("--rounds", type=int, default=5, help="alternations API / floor")
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--port", type=int, default=8310)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    data = prepare_data(database_url, args.regenerate)
    pid = data["flagship_id"]
    endpoints = [
        (
            "companies list",
            "/api/v1/companies/?page_size=100",
            "/bench-floor/companies/?page_size=100",
            True,
        ),
        ("program detail", f"/api/v1/programs/{pid}/", f"/bench-floor/programs/{pid}/", False),
        (
            "program summary",
            f"/api/v1/programs/{pid}/summary/",
            f"/bench-floor/programs/{pid}/summary/",
            False,
        ),
        (
            "events list",
            "/api/v1/events/?page_size=100",
            "/bench-floor/events/?page_size=100",
            True,
        ),
    ]

    server = start_server(database_url, args.port, args.workers)
    results = []
    try:
        for name, api_path, floor_path, is_list in endpoints:
            same = get_json(args.port, api_path) == get_json(args.port, floor_path)
            print(f"{name}: payloads identical: {same}", flush=True)
            # Interleaved rounds, so that load from other processes on the machine falls on
            # both sides alike.
            api_runs, floor_runs = [], []
            for round_ in range(args.rounds):
                for runs, path in ((api_runs, api_path), (floor_runs, floor_path)):
                    runs.append(
                        run_load(
                            "127.0.0.1",
                            args.port,
                            path,
                            concurrency=args.concurrency,
                            duration=args.duration / args.rounds,
                            warmup=args.warmup if round_ == 0 else 0.3,
                        )
                    )
            api, base = LoadResult.merge(api_runs), LoadResult.merge(floor_runs)
            ratio = round(api.rps / base.rps, 3) if base.rps else None
            tail = round(api.p99_ms / api.p50_ms, 2) if api.p50_ms else None
            results.append(
                {
                    "endpoint": name,
                    "path": api_path,
                    "list": is_list,
                    "rps": api.rps,
                    "p50_ms": api.p50_ms,
                    "p90_ms": api.p90_ms,
                    "p99_ms": api.p99_ms,
                    "errors": api.errors,
                    "bytes": api.mean_bytes,
                    "floor_path": floor_path,
                    "floor_rps": base.rps,
                    "floor_p50_ms": base.p50_ms,
                    "floor_p99_ms": base.p99_ms,
                    "floor_errors": base.errors,
                    "ratio": ratio,
                    "p99_over_p50": tail,
                    "same_payload": same,
                    "meets_ratio_goal": (ratio or 0) >= GOAL_RATIO if is_list else None,
                    "meets_tail_goal": (tail or 99) < GOAL_TAIL,
                }
            )
    finally:
        server.terminate()
        server.wait(timeout=30)

    print()
    header = f"{'endpoint':<17}{'rps':>8}{'p50 ms':>9}{'p99 ms':>9}{'floor rps':>11}{'floor p50':>11}{'ratio':>7}{'p99/p50':>9}"
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{r['endpoint']:<17}{r['rps']:>8}{r['p50_ms']:>9}{r['p99_ms']:>9}"
            f"{r['floor_rps']:>11}{r['floor_p50_ms']:>11}{r['ratio']:>7}{r['p99_over_p50']:>9}"
        )
    report = {
        "generated_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "server": {"gunicorn_workers": args.workers, "worker_class": "sync"},
        "load": {
            "client": "benchmarks/load.py (asyncio, closed loop, loopback, a connection per request)",
            "concurrency": args.concurrency,
            "duration_s": args.duration,
            "rounds": args.rounds,
            "warmup_s": args.warmup,
        },
        "data": data,
        "goals": {"list_ratio_at_least": GOAL_RATIO, "p99_over_p50_below": GOAL_TAIL},
        "endpoints": results,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"\nwritten: {args.output.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
