"""CPU time per request of each benchmarked endpoint and its floors, in this process (no HTTP,
no other process's load in the figure), and optionally a cProfile of one side:

    python -m benchmarks.profile [--requests 30] [--profile "program detail"] [--side api]

On the benchmark database (``BENCH_DATABASE_URL``, built by ``make bench``). The CPU time is
this process's only: PostgreSQL's share is not in it, which is what makes it steady on a
shared machine — use it to find what the API path costs, and ``make bench`` for throughput.
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import time

from benchmarks.run import DEFAULT_DB, server_env


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--profile", help="an endpoint's name: print its cProfile (CPU time)")
    parser.add_argument("--side", default="api", choices=("api", "floor", "bare"))
    parser.add_argument("--lines", type=int, default=40)
    args = parser.parse_args(argv)
    os.environ.update(server_env(os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)))
    os.environ["LOG_LEVEL"] = "ERROR"
    from benchmarks.endpoints import ENDPOINTS
    from benchmarks.wsgi import application
    from programs.models import Program

    ids = {"program": Program.objects.get(slug="region-led-ai-transformation").pk}

    def call(path: str) -> None:
        route, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": route,
            "QUERY_STRING": query,
            "HTTP_HOST": "127.0.0.1:8310",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8310",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_ACCEPT": "application/json",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""),
        }
        status = []
        b"".join(application(environ, lambda s, headers, exc_info=None: status.append(s)))
        if not status[0].startswith("200"):
            raise SystemExit(f"{path}: {status[0]}")

    n = args.requests
    print(f"{'endpoint':<17}{'side':<7}{'CPU ms (median)':>16}{'wall ms (median)':>18}")
    for endpoint in ENDPOINTS:
        for side, path in endpoint.paths(ids).items():
            for _ in range(3):  # warm: imports, compiled queries
                call(path)
            cpu, wall = [], []
            for _ in range(n):
                c, w = time.process_time(), time.perf_counter()
                call(path)
                cpu.append(time.process_time() - c)
                wall.append(time.perf_counter() - w)
            cpu.sort()
            wall.sort()
            print(
                f"{endpoint.name:<17}{side:<7}{cpu[n // 2] * 1000:>16.1f}{wall[n // 2] * 1000:>18.1f}"
            )
    if args.profile:
        endpoint = next(e for e in ENDPOINTS if e.name == args.profile)
        path = endpoint.paths(ids)[args.side]
        profile = cProfile.Profile(time.process_time)
        profile.enable()
        for _ in range(n):
            call(path)
        profile.disable()
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(args.lines)
        print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
