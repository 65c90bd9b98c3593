"""HTTP benchmark of the API (figures, not a timed test).

Starts uvicorn (httptools + uvloop) serving app.main:app on 127.0.0.1 in a
subprocess, and drives it from another process with a small keep-alive
HTTP/1.1 load generator (asyncio, 16 connections, fixed duration). Prints
requests/s and p50/p99 latency for

- GET /healthz
- POST /api/v1/backprop, 2-8-8-1 tanh/tanh/sigmoid, batch 64, full float64 trace
- GET /healthz while the largest /api/v1/train the limits allow runs,

and the ratios set as its goals:
backprop/health throughput ≥ 0.25, backprop p50 ≤ 3 × health p50,
backprop p99 ≤ 3 × its own p50, health p99 < 50 ms during the long train.

    .venv/bin/python bench/api.py [--seconds 5] [--connections 16]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.rawhttp import read_response, request_bytes  # noqa: E402
from tests.servers import AppProcess  # noqa: E402

# ----------------------------------------------------------------- load generator


async def _connection(
    host: str, port: int, request: bytes, until: float, latencies: list[float], errors: list[int]
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while time.perf_counter() < until:
            start = time.perf_counter()
            writer.write(request)
            status, _ = await read_response(reader)
            latencies.append(time.perf_counter() - start)
            if status // 100 != 2:
                errors.append(status)
    finally:
        writer.close()


async def _load(
    host: str, port: int, request: bytes, connections: int, seconds: float, warmup: float
) -> dict[str, Any]:
    if warmup > 0:
        await asyncio.gather(
            *(_connection(host, port, request, time.perf_counter() + warmup, [], [])
              for _ in range(connections))
        )  # fmt: skip
    latencies: list[float] = []
    errors: list[int] = []
    start = time.perf_counter()
    until = start + seconds
    await asyncio.gather(
        *(_connection(host, port, request, until, latencies, errors) for _ in range(connections))
    )
    elapsed = time.perf_counter() - start
    latencies.sort()
    n = len(latencies)
    return {
        "requests": n,
        "rps": n / elapsed,
        "p50_ms": 1000 * latencies[n // 2] if n else float("nan"),
        "p99_ms": 1000 * latencies[min(n - 1, int(n * 0.99))] if n else float("nan"),
        "errors": len(errors),
    }


def load_main(args: argparse.Namespace) -> None:
    """Runs in its own process: prints one JSON line of results."""
    try:
        import uvloop

        uvloop.install()
    except ImportError:  # plain asyncio works, only slower
        pass
    body = Path(args.body).read_bytes() if args.body else b""
    request = request_bytes(args.method, args.path, body)
    result = asyncio.run(
        _load("127.0.0.1", args.port, request, args.connections, args.seconds, args.warmup)
    )
    print(json.dumps(result))


def run_load(
    port: int, method: str, path: str, body: bytes, connections: int, seconds: float,
    warmup: float = 1.0,
) -> dict[str, Any]:  # fmt: skip
    body_file = ROOT / "bench" / f".body-{os.getpid()}.json"
    body_file.write_bytes(body)
    try:
        out = subprocess.run(
            [sys.executable, __file__, "_load", "--port", str(port), "--method", method,
             "--path", path, "--body", str(body_file) if body else "",
             "--connections", str(connections), "--seconds", str(seconds),
             "--warmup", str(warmup)],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
    finally:
        body_file.unlink()
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def post_json(port: int, path: str, body: bytes, timeout: float = 600) -> tuple[int, bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        request = request_bytes("POST", path, body).replace(b"keep-alive", b"close")
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(1 << 16):
            chunks.append(chunk)
    response = b"".join(chunks)
    head, _, payload = response.partition(b"\r\n\r\n")
    return int(head.split()[1]), payload


# ------------------------------------------------------------------------ bench

BACKPROP = {  # 2-8-8-1, batch 64, explicit samples: a full float64 trace (about 70 KB)
    "network": {
        "layers": [2, 8, 8, 1],
        "activations": ["tanh", "tanh", "sigmoid"],
        "init": {"method": "xavier", "seed": 0},
    },
    "cost": "cross_entropy",
    "inputs": [[((i * 37) % 64) / 32 - 1, ((i * 11) % 64) / 32 - 1] for i in range(64)],
    "targets": [[float(i % 2)] for i in range(64)],
    "learning_rate": 0.5,
}


def largest_train() -> dict[str, Any]:
    """The most work one /api/v1/train call may do under the default limits."""
    from app.settings import Settings

    s = Settings()
    width = s.max_width
    layers = [2, width, width, 1]
    parameters = sum(n * (p + 1) for p, n in itertools.pairwise(layers))
    batch = s.max_batch_size
    iterations = min(s.max_iterations, s.max_train_work // (batch * parameters))
    return {
        "network": {"layers": layers, "activations": ["tanh", "tanh", "sigmoid"]},
        "cost": "cross_entropy",
        "learning_rate": 0.1,
        "data": {"dataset": "spiral", "size": s.max_samples},
        "batch_size": batch,
        "iterations": iterations,
    }


def blas_kernel() -> str:
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "unknown (threadpoolctl not installed)"
    import numpy  # noqa: F401  (loads the BLAS threadpoolctl reports)

    infos = threadpool_info()
    return (
        "; ".join(
            f"{i.get('internal_api')} {i.get('version')} {i.get('architecture')} "
            f"threads={i.get('num_threads')}"
            for i in infos
        )
        or "none found"
    )


def fmt(name: str, r: dict[str, Any]) -> str:
    return (
        f"{name:<40} {r['rps']:>9.0f} req/s   p50 {r['p50_ms']:>7.2f} ms   "
        f"p99 {r['p99_ms']:>7.2f} ms   ({r['requests']} requests, {r['errors']} errors)"
    )


def bench(seconds: float, connections: int) -> None:
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpus; BLAS: {blas_kernel()}")
    env = {k: v for k, v in os.environ.items() if k.startswith("OPENBLAS")}
    if env:
        print(f"environment: {env}")
    server = AppProcess().start()
    port = server.port
    try:
        body = json.dumps(BACKPROP).encode()
        status, payload = post_json(port, "/api/v1/backprop", body)
        assert status == 200, payload[:300]
        print(f"POST /api/v1/backprop response: {len(payload)} bytes of JSON")
        health = run_load(port, "GET", "/healthz", b"", connections, seconds)
        backprop = run_load(port, "POST", "/api/v1/backprop", body, connections, seconds)
        print(f"{connections} connections, {seconds:g} s each, after a 1 s warm-up")
        print(fmt("GET /healthz", health))
        print(fmt("POST /api/v1/backprop (2-8-8-1, m=64)", backprop))
        ratio = backprop["rps"] / health["rps"]
        p50x = backprop["p50_ms"] / health["p50_ms"]
        p99x = backprop["p99_ms"] / backprop["p50_ms"]
        print(f"throughput backprop/health   {ratio:6.3f}   (goal ≥ 0.25)")
        print(f"p50 backprop / p50 health    {p50x:6.2f}   (goal ≤ 3)")
        print(f"p99 backprop / own p50       {p99x:6.2f}   (goal ≤ 3)")

        train = largest_train()
        train_body = json.dumps(train).encode()
        done: dict[str, Any] = {}

        def long_train() -> None:
            start = time.perf_counter()
            done["status"], _ = post_json(port, "/api/v1/train", train_body)
            done["seconds"] = time.perf_counter() - start

        thread = threading.Thread(target=long_train)
        thread.start()
        time.sleep(0.2)  # let the train start
        during = run_load(port, "GET", "/healthz", b"", connections, seconds, warmup=0.0)
        thread.join()
        net = train["network"]["layers"]
        print(
            f"largest /api/v1/train: {net}, batch {train['batch_size']}, "
            f"{train['iterations']} iterations -> {done['status']} in {done['seconds']:.1f} s"
        )
        if done["seconds"] < seconds + 0.2:
            print("  (the train ended before the measurement did: figures include idle time)")
        print(fmt("GET /healthz during the train", during))
        print(f"health p99 during the train  {during['p99_ms']:6.2f} ms (goal < 50 ms)")
    finally:
        server.stop()


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_load":
        p = argparse.ArgumentParser()
        p.add_argument("_load")
        p.add_argument("--port", type=int, required=True)
        p.add_argument("--method", required=True)
        p.add_argument("--path", required=True)
        p.add_argument("--body", default="")
        p.add_argument("--connections", type=int, default=16)
        p.add_argument("--seconds", type=float, default=5.0)
        p.add_argument("--warmup", type=float, default=1.0)
        load_main(p.parse_args())
        return
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--seconds", type=float, default=5.0, help="measurement per scenario")
    p.add_argument("--connections", type=int, default=16, help="concurrent connections")
    args = p.parse_args()
    sys.path.insert(0, str(ROOT))
    bench(args.seconds, args.connections)


if __name__ == "__main__":
    main()
