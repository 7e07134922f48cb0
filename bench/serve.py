"""Load on the live site: requests/s and p50/p99 latency at 50 concurrent clients, zero errors allowed.

Starts `newsprism serve` in a subprocess on 127.0.0.1 (a free port), drives it from this process with
httpx (async), and stops both. Each endpoint gets a bounded number of requests and a time limit.

    .venv/bin/python bench/serve.py [--db STORE] [--requests 2000] [--clients 50] [--seconds 30]

Without --db it builds the publish test fixture store (the seed's Tokyo/Seoul storyline) in a temp dir.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fixture_store(folder: Path) -> Path:
    sys.path.insert(0, str(ROOT / "tests"))
    from test_publish_fixture import build_store  # the same store the tests use

    return build_store(folder / "bench.db")


async def drive(url: str, total: int, clients: int, seconds: float) -> tuple[list[float], int, float]:
    """Sends up to `total` GETs from `clients` concurrent workers; returns latencies, errors, wall time."""
    latencies: list[float] = []
    errors = 0
    sent = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:

        async def worker() -> None:
            nonlocal sent, errors
            while sent < total and time.perf_counter() < deadline:
                sent += 1
                start = time.perf_counter()
                try:
                    response = await client.get(url)
                    ok = response.status_code == 200 and len(response.content) > 0
                except httpx.HTTPError:
                    ok = False
                latencies.append(time.perf_counter() - start)
                errors += not ok

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        return latencies, errors, time.perf_counter() - began


def wait_ready(base: str, process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited with {process.returncode}")
        try:
            if httpx.get(base + "/api/stories", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise SystemExit("server did not start")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path)
    parser.add_argument("--requests", type=int, default=2000, help="per endpoint")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0, help="time limit per endpoint")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or fixture_store(Path(tmp))
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from newsprism.cli import main; main()",
                "serve",
                "--db",
                str(db),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            env=env,
            cwd=tmp,
        )
        try:
            wait_ready(base, process)
            story = httpx.get(base + "/api/stories").json()[0]["id"]
            targets = {
                "front page /": "/",
                f"story /story/{story}": f"/story/{story}",
                "API /api/stories": "/api/stories",
                f"API /api/story/{story}": f"/api/story/{story}",
            }
            print(
                f"{args.clients} clients, up to {args.requests} requests or {args.seconds:.0f}s per endpoint"
            )
            print(f"{'endpoint':36} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6}")
            failed = 0
            for name, path in targets.items():
                asyncio.run(drive(base + path, 100, 10, 10))  # warm-up: caches, connection pool
                latencies, errors, wall = asyncio.run(
                    drive(base + path, args.requests, args.clients, args.seconds)
                )
                cuts = statistics.quantiles(latencies, n=100)
                print(
                    f"{name:36} {len(latencies):>8} {len(latencies) / wall:>8.0f} {cuts[49] * 1000:>8.1f}"
                    f" {cuts[98] * 1000:>8.1f} {errors:>6}"
                )
                failed += errors
            return 1 if failed else 0
        finally:
            process.terminate()
            process.wait(10)


if __name__ == "__main__":
    raise SystemExit(main())
