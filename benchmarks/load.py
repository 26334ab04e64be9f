"""A small closed-loop HTTP load client on asyncio: ``concurrency`` clients, each sending one
GET after the other for ``duration`` seconds; a fresh loopback connection per request (gunicorn's
sync workers close it after each response). Reports throughput and latency percentiles."""

import asyncio
import time
from dataclasses import dataclass


@dataclass
class LoadResult:
    requests: int
    errors: int
    seconds: float
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    mean_bytes: int
    latencies: list[float]

    @classmethod
    def of(cls, latencies: list[float], errors: int, seconds: float, mean_bytes: int):
        latencies = sorted(latencies)
        return cls(
            requests=len(latencies),
            errors=errors,
            seconds=round(seconds, 2),
            rps=round(len(latencies) / seconds, 1) if seconds else 0.0,
            p50_ms=round(percentile(latencies, 0.50) * 1000, 2),
            p90_ms=round(percentile(latencies, 0.90) * 1000, 2),
            p99_ms=round(percentile(latencies, 0.99) * 1000, 2),
            mean_bytes=mean_bytes,
            latencies=latencies,
        )

    @classmethod
    def merge(cls, runs: list["LoadResult"]) -> "LoadResult":
        """Rounds measured apart (interleaved with the floor's) as one result."""
        seconds = sum(r.seconds for r in runs)
        requests = sum(r.requests for r in runs)
        mean_bytes = int(sum(r.mean_bytes * r.requests for r in runs) / requests) if requests else 0
        return cls.of(
            [x for r in runs for x in r.latencies], sum(r.errors for r in runs), seconds, mean_bytes
        )


def percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(q * (len(sorted_values) - 1))))
    return sorted_values[index]


async def fetch(host: str, port: int, path: str) -> tuple[int, int]:
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(
        (
            f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: application/json\r\n"
            "Connection: close\r\n\r\n"
        ).encode()
    )
    data = await reader.read()
    writer.close()
    await writer.wait_closed()
    status = int(data[9:12]) if data.startswith(b"HTTP/1.") else 0
    return status, len(data)


async def _run(host, port, path, concurrency, duration, warmup) -> LoadResult:
    latencies: list[float] = []
    sizes: list[int] = []
    errors = 0
    start = time.perf_counter()
    measure_from = start + warmup
    stop = measure_from + duration

    async def client():
        nonlocal errors
        while True:
            t0 = time.perf_counter()
            if t0 >= stop:
                return
            try:
                status, size = await fetch(host, port, path)
            except OSError:
                status, size = 0, 0
            t1 = time.perf_counter()
            if t0 >= measure_from:
                if status == 200:
                    latencies.append(t1 - t0)
                    sizes.append(size)
                else:
                    errors += 1

    await asyncio.gather(*(client() for _ in range(concurrency)))
    elapsed = time.perf_counter() - measure_from
    return LoadResult.of(latencies, errors, elapsed, int(sum(sizes) / len(sizes)) if sizes else 0)


def run_load(
    host: str, port: int, path: str, *, concurrency: int, duration: float, warmup: float
) -> LoadResult:
    return asyncio.run(_run(host, port, path, concurrency, duration, warmup))
