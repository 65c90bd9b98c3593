"""What followers' training views cost the server (figures, not a timed test).

While an instructor trains a live class, each follower's page asks for the
class's field twice (the 48 × 48 boundary and the 16 × 16 hidden-neuron maps)
whenever the iteration moves, up to four times a second. This measures, in
process and on one thread, the server's work for one round of those requests
from `--followers` followers after the iteration moved: with every answer
computed (the baseline, as before app/field_cache.py) and with the shared
cache (the first follower computes, the rest are served the same bytes).

    .venv/bin/python bench/field.py [--followers 200] [--rounds 15]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

# bench/ is first on sys.path, and bench/engine.py would shadow the engine package.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

from fastapi.testclient import TestClient  # noqa: E402

from app.http.reads import field_response  # noqa: E402
from app.main import create_app  # noqa: E402
from app.settings import Settings  # noqa: E402
from app.wire.field_cache import FieldCache  # noqa: E402

ASKS = ((48, False), (16, True))  # static/js/field-source.js: boundary, hidden neurons


def one_round(app: object, sid: str, followers: int, cache: FieldCache | None) -> float:
    """Seconds to answer every follower's two field requests for the current iteration."""
    store, settings = app.state.store, app.state.settings  # type: ignore[attr-defined]
    start = time.perf_counter()
    for _ in range(followers):
        for resolution, hidden in ASKS:
            field_response(store, settings, cache or FieldCache(), sid, resolution, hidden)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--followers", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    app = create_app(Settings())
    client = TestClient(app)
    sid = client.post("/api/v1/sessions", json={"preset": "spiral"}).json()["id"]
    computed: list[float] = []
    cached: list[float] = []
    for _ in range(args.rounds):  # interleaved, each round after the iteration moved
        client.post(f"/api/v1/sessions/{sid}/train", json={"iterations": 10})
        computed.append(one_round(app, sid, args.followers, None))
        client.post(f"/api/v1/sessions/{sid}/train", json={"iterations": 10})
        cached.append(one_round(app, sid, args.followers, FieldCache()))
    every, shared = statistics.median(computed), statistics.median(cached)
    n = args.followers
    print(f"Backprop Lens field bench: spiral 2-8-8-1, {n} followers × {len(ASKS)} field requests")
    print(f"  every answer computed: {every * 1000:7.1f} ms of server time per iteration move")
    print(f"  shared cache:          {shared * 1000:7.1f} ms")
    print(f"  cached / computed: {shared / every:.3f}")
    rate = 4  # iteration moves a follower's page follows per second at most
    print(
        f"  at {rate} moves a second: {every * rate:.2f} vs {shared * rate:.2f} CPU-seconds "
        "per second (one core = 1)"
    )


if __name__ == "__main__":
    main()
