"""Live-class benchmark (figures, not a timed test): 200 followers, one instructor.

Everything on loopback, with bounded connections and duration:

1. Fan-out. One class, `--followers` event streams (raw asyncio sockets,
   server-sent events), and an instructor stepping the session every
   `--interval` seconds, `--steps` times. For each step and each follower:
   the time from just before the instructor's POST …/step is written to the
   moment that follower has read the whole event. Printed: p50, p99, max, and
   whether every follower got every event in order.
   - memory: one app process, the in-process store.
   - redis: two app processes sharing a redis-server; the instructor steps
     through A, half the followers listen on A and half on B (pub/sub).
2. Throughput of POST /api/v1/sessions/{id}/step: `--connections` keep-alive
   connections, each stepping its own session for `--seconds`, against one
   app process with the in-process store and one with Redis. Printed as
   requests/s and the ratio Redis / in-process.

3. Class questions: two app processes on one redis-server; `--answerers` followers
   (300) answer one question within `--spread` seconds (2), half through A and half
   through B, each on its own connection, and a tenth of them change their answer;
   the instructor reads the question through A every `--poll` seconds (the page's
   100 ms). Printed: whether the count is exact (each follower once), how long the
   answers took, and for each answer the time from its POST to the instructor's first
   read that counts it (p50, p99), with the answer's own round trip as the baseline.

Goals: fan-out p99 ≤ 100 ms with 200 followers; Redis ≥ 0.7 × the
in-process step throughput; questions: every answer counted exactly once, the count
at the instructor p99 ≤ 200 ms.

    .venv/bin/python bench/classroom.py [--followers 200] [--steps 40] [--seconds 5]
    .venv/bin/python bench/classroom.py --only-questions [--answerers 300]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.rawhttp import read_response, request_bytes  # noqa: E402
from tests.servers import HOST, AppProcess, redis_server  # noqa: E402


@contextmanager
def app_server(env: dict[str, str]) -> Iterator[int]:
    """One app process with `env`; its port."""
    with AppProcess(env) as app:
        yield app.port


# ----------------------------------------------------------------- HTTP over raw sockets


async def call(port: int, method: str, path: str, body: object = None) -> Any:
    reader, writer = await asyncio.open_connection(HOST, port, limit=2**24)
    try:
        payload = b"" if body is None else json.dumps(body).encode()
        writer.write(request_bytes(method, path, payload))
        status, data = await read_response(reader)
        if status >= 300:
            raise RuntimeError(f"{method} {path}: {status} {data[:200]!r}")
        return json.loads(data) if data else None
    finally:
        writer.close()


# ----------------------------------------------------------------- fan-out


async def _follower(
    port: int, code: str, expect: int, received: dict[int, float], ready: asyncio.Event
) -> list[int]:
    """Read events until `expect` state events after the first; return the ids in order."""
    reader, writer = await asyncio.open_connection(HOST, port, limit=2**24)
    ids: list[int] = []
    try:
        writer.write(request_bytes("GET", f"/api/v1/classes/{code}/events"))
        status = int((await reader.readline()).split()[1])
        if status != 200:
            raise RuntimeError(f"events: {status}")
        while (await reader.readline()) not in (b"\r\n", b""):
            pass
        # Transfer-Encoding: chunked. Chunk framing is ignored: an event is complete
        # when the blank line after its data has arrived ("\n\n"), and its number is
        # on its "id: " line. Large reads keep this client cheap (it runs them all).
        buffer = b""
        while len(ids) < expect + 1:
            chunk = await reader.read(1 << 18)
            if not chunk:
                raise RuntimeError("the stream ended")
            now = time.perf_counter()
            buffer += chunk
            *events, buffer = buffer.split(b"\n\n")
            for event in events:
                at = event.find(b"id: ")
                if at < 0:
                    continue  # retry:, keep-alive
                ident = int(event[at + 4 : event.index(b"\n", at)])
                ids.append(ident)
                received[ident] = now
                if len(ids) == 1:
                    ready.set()
    finally:
        writer.close()
    return ids


async def fan_out(
    instructor_port: int, follower_ports: list[int], followers: int, steps: int, interval: float
) -> dict[str, Any]:
    session = await call(instructor_port, "POST", "/api/v1/sessions", {"preset": "xor"})
    sid = session["id"]
    info = await call(instructor_port, "POST", f"/api/v1/sessions/{sid}/class")
    code = info["code"]
    first = info["seq"]
    stamps: list[dict[int, float]] = [{} for _ in range(followers)]
    readies = [asyncio.Event() for _ in range(followers)]
    tasks = [
        asyncio.create_task(
            _follower(follower_ports[i % len(follower_ports)], code, steps, stamps[i], readies[i])
        )
        for i in range(followers)
    ]
    await asyncio.wait_for(asyncio.gather(*(r.wait() for r in readies)), 60)
    reader, writer = await asyncio.open_connection(HOST, instructor_port, limit=2**24)
    sent: dict[int, float] = {}
    step = request_bytes(
        "POST", f"/api/v1/sessions/{sid}/step", b'{"direction":"forward","unit":"step"}'
    )
    for k in range(1, steps + 1):
        sent[first + k] = time.perf_counter()
        writer.write(step)
        status, _ = await read_response(reader)
        assert status == 200, status
        await asyncio.sleep(interval)
    writer.close()
    orders = await asyncio.wait_for(asyncio.gather(*tasks), 60)
    complete = all(ids == list(range(first, first + steps + 1)) for ids in orders)
    latencies = sorted(
        (stamp[seq] - t0) * 1000 for stamp in stamps for seq, t0 in sent.items() if seq in stamp
    )
    await call(instructor_port, "DELETE", f"/api/v1/sessions/{sid}/class")
    return {
        "followers": followers,
        "steps": steps,
        "events": len(latencies),
        "complete_in_order": complete,
        "p50_ms": statistics.median(latencies),
        "p99_ms": latencies[int(0.99 * (len(latencies) - 1))],
        "max_ms": latencies[-1],
    }


# ----------------------------------------------------------------- throughput


async def _stepper(port: int, sid: str, until: float, count: list[int]) -> None:
    reader, writer = await asyncio.open_connection(HOST, port, limit=2**24)
    request = request_bytes(
        "POST", f"/api/v1/sessions/{sid}/step", b'{"direction":"forward","unit":"step"}'
    )
    try:
        while time.perf_counter() < until:
            writer.write(request)
            status, _ = await read_response(reader)
            if status != 200:
                raise RuntimeError(f"step: {status}")
            count[0] += 1
    finally:
        writer.close()


async def throughput(
    ports: dict[str, int], connections: int, seconds: float, warmup: float, rounds: int
) -> dict[str, list[float]]:
    """Requests/s per server, in alternating rounds (both servers up, one loaded at a time)."""
    ids = {
        name: [
            (await call(port, "POST", "/api/v1/sessions", {"preset": "xor"}))["id"]
            for _ in range(connections)
        ]
        for name, port in ports.items()
    }
    rates: dict[str, list[float]] = {name: [] for name in ports}
    for r in range(rounds + 1):
        for name, port in ports.items():
            count = [0]
            start = time.perf_counter()
            until = start + (warmup if r == 0 else seconds)
            await asyncio.gather(*(_stepper(port, sid, until, count) for sid in ids[name]))
            if r > 0:
                rates[name].append(count[0] / (time.perf_counter() - start))
    return rates


# ----------------------------------------------------------------- class questions


async def _answer(
    port: int, code: str, qid: str, follower: str, key: str, at: float, out: list[Any]
) -> None:
    await asyncio.sleep(max(0.0, at - time.perf_counter()))
    sent = time.perf_counter()
    body = {"question_id": qid, "follower": follower, "answer": key}
    await call(port, "POST", f"/api/v1/classes/{code}/answers", body)
    out.append((sent, time.perf_counter()))


async def questions_round(
    a: int, b: int, answerers: int, spread: float, poll: float
) -> dict[str, Any]:
    """One question, `answerers` followers on A and B, the instructor polling through A."""
    sid = (await call(a, "POST", "/api/v1/sessions", {"preset": "xor"}))["id"]
    code = (await call(a, "POST", f"/api/v1/sessions/{sid}/class"))["code"]
    ask = {"kind": "sign", "phase": "forward", "layer": 1, "entry": [0, 0]}
    qid = (await call(a, "POST", f"/api/v1/sessions/{sid}/class/questions", ask))["question_id"]
    path = f"/api/v1/sessions/{sid}/class/questions/{qid}"
    seen: list[tuple[float, int]] = []  # (when the instructor read it, the count)
    stop = asyncio.Event()

    async def instructor() -> None:
        while not stop.is_set():
            count = (await call(a, "GET", path))["answers"]
            seen.append((time.perf_counter(), count))
            await asyncio.sleep(poll)

    reading = asyncio.create_task(instructor())
    keys = ("negative", "zero", "positive")
    start = time.perf_counter() + 0.2
    done: list[tuple[float, float]] = []
    await asyncio.gather(
        *(
            _answer(a if i % 2 else b, code, qid, f"bench-{i:05d}", keys[i % 3],
                    start + spread * i / answerers, done)
            for i in range(answerers)
        )
    )  # fmt: skip
    answered = max(end for _, end in done) - start
    changed: list[tuple[float, float]] = []  # a tenth change their mind, through the other
    now = time.perf_counter()
    await asyncio.gather(
        *(
            _answer(b if i % 2 else a, code, qid, f"bench-{i:05d}", keys[(i + 1) % 3], now, changed)
            for i in range(0, answerers, 10)
        )
    )
    deadline = time.perf_counter() + 5
    while (not seen or seen[-1][1] < answerers) and time.perf_counter() < deadline:
        await asyncio.sleep(poll)
    stop.set()
    await reading
    final = (await call(a, "GET", path))["answers"]
    await call(a, "DELETE", f"/api/v1/sessions/{sid}/class")
    # The k-th answer to complete is counted once the instructor reads a count ≥ k.
    delays = []
    for k, (sent, _) in enumerate(sorted(done, key=lambda d: d[1]), start=1):
        counted = next((t for t, n in seen if n >= k), None)
        if counted is not None:
            delays.append((counted - sent) * 1000)
    round_trips = sorted((end - sent) * 1000 for sent, end in done)
    delays.sort()
    return {
        "exact": final == answerers and len(delays) == answerers,
        "final": final,
        "answered_s": answered,
        "p50_ms": delays[len(delays) // 2],
        "p99_ms": delays[int(len(delays) * 0.99) - 1],
        "rtt_p99_ms": round_trips[int(len(round_trips) * 0.99) - 1],
    }


def _questions(args: argparse.Namespace) -> dict[str, Any]:
    print(
        f"\nClass questions: {args.answerers} followers answer within {args.spread:g} s through "
        f"two processes on one Redis; the instructor reads every {args.poll * 1000:.0f} ms"
    )
    with redis_server() as url:
        env = {"BACKPROP_LENS_REDIS_URL": url}
        with app_server(env) as a, app_server(env) as b:
            r = asyncio.run(questions_round(a, b, args.answerers, args.spread, args.poll))
    print(
        f"  counted {r['final']} of {args.answerers} "
        f"({'exactly once each' if r['exact'] else 'NOT EXACT'}), answers sent within "
        f"{r['answered_s']:.2f} s"
    )
    print(
        f"  count at the instructor: p50 {r['p50_ms']:.0f} ms, p99 {r['p99_ms']:.0f} ms after "
        f"the answer; an answer's own round trip p99 {r['rtt_p99_ms']:.0f} ms "
        f"(ratio {r['p99_ms'] / max(r['rtt_p99_ms'], 1e-9):.1f})"
    )
    return r


# ----------------------------------------------------------------- main


def _print_fan_out(label: str, r: dict[str, Any]) -> None:
    print(
        f"  {label:<34} p50 {r['p50_ms']:6.1f} ms   p99 {r['p99_ms']:6.1f} ms   "
        f"max {r['max_ms']:6.1f} ms   events {r['events']} "
        f"({'all, in order' if r['complete_in_order'] else 'MISSING OR OUT OF ORDER'})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--followers", type=int, default=200)
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--interval", type=float, default=0.25, help="seconds between steps")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--answerers", type=int, default=300)
    parser.add_argument("--spread", type=float, default=2.0, help="seconds the answers take")
    parser.add_argument("--poll", type=float, default=0.1, help="the instructor's read interval")
    parser.add_argument("--only-questions", action="store_true")
    args = parser.parse_args()
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass

    if args.only_questions:
        r = _questions(args)
        ok = r["exact"] and r["p99_ms"] <= 200
        print(f"\nGoal: every answer once, count p99 ≤ 200 ms: {'met' if ok else 'NOT met'}")
        return
    print(
        f"Live class on loopback: {args.followers} followers, {args.steps} steps "
        f"{args.interval * 1000:.0f} ms apart (xor preset, 2-4-1 on 4 samples)"
    )
    with app_server({}) as port:
        memory = asyncio.run(fan_out(port, [port], args.followers, args.steps, args.interval))
    _print_fan_out("in-process store, 1 process:", memory)
    with redis_server() as url:
        env = {"BACKPROP_LENS_REDIS_URL": url}
        with app_server(env) as a, app_server(env) as b:
            shared = asyncio.run(fan_out(a, [a, b], args.followers, args.steps, args.interval))
    _print_fan_out("Redis, 2 processes (steps via A):", shared)

    print(
        f"\nPOST …/step throughput: {args.connections} connections, each its own session, "
        f"one app process per store, {args.rounds} alternating rounds of {args.seconds:g} s"
    )
    with (
        redis_server() as url,
        app_server({}) as memory_port,
        app_server({"BACKPROP_LENS_REDIS_URL": url}) as redis_port,
    ):
        rates = asyncio.run(
            throughput(
                {"memory": memory_port, "redis": redis_port},
                args.connections,
                args.seconds,
                args.warmup,
                args.rounds,
            )
        )
    ratios = [r / m for r, m in zip(rates["redis"], rates["memory"], strict=True)]
    ratio = statistics.median(ratios)
    print(f"  in-process store  {statistics.median(rates['memory']):8.0f} req/s (median)")
    print(f"  Redis store       {statistics.median(rates['redis']):8.0f} req/s (median)")
    print(
        f"  ratio Redis / in-process = {ratio:.2f} (median of rounds: "
        f"{', '.join(f'{x:.2f}' for x in ratios)}; goal ≥ 0.7)"
    )
    asked = _questions(args)
    worst = max(memory["p99_ms"], shared["p99_ms"])
    print(
        f"\nGoals: fan-out p99 ≤ 100 ms: {'met' if worst <= 100 else 'NOT met'} "
        f"(worst {worst:.1f} ms); Redis ≥ 0.7 × in-process: "
        f"{'met' if ratio >= 0.7 else 'NOT met'} ({ratio:.2f}); questions counted once, "
        f"p99 ≤ 200 ms: {'met' if asked['exact'] and asked['p99_ms'] <= 200 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
