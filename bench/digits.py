"""The digits goal: the `digits` preset (64-32-10, tanh and softmax, η = 0.5, batch 32,
a 20% test split) trained 2,000 iterations must reach ≥ 95% test accuracy in ≤ 5 s.

It prints, for 2,000 iterations from the preset's weights:
  api       POST /api/v1/sessions {"preset": "digits"} then …/train 2000, in-process
            (the page's Train button; split, batches, fast path and evaluation included)
  fast      engine.train on the same training part (the fast path alone)
  baseline  the same training written as a plain numpy loop below, in the same run
with each one's test accuracy, its seconds and its ratio to the baseline. One BLAS
thread, as the server runs. Run: .venv/bin/python bench/digits.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

# bench/ is first on sys.path, and bench/engine.py would shadow the engine package.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import numpy as np  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402
from threadpoolctl import threadpool_info, threadpool_limits  # noqa: E402

from app.main import create_app  # noqa: E402
from app.settings import Settings  # noqa: E402
from app.spec.presets import PRESETS  # noqa: E402
from engine import evaluate, init_network, make_dataset, split_data, train  # noqa: E402
from engine.activations import Array  # noqa: E402
from engine.train import batch_indices  # noqa: E402

ITERATIONS = 2000
GOAL_ACCURACY = 0.95
GOAL_SECONDS = 5.0
CONFIG = PRESETS["digits"].config


def baseline(x: Array, y: Array, eta: float, batch: int, seed: int) -> list[Array]:
    """Mini-batch gradient descent for 64-32-10 tanh/softmax with softmax cross-entropy,
    as one writes it in a notebook: the same weights and batches as the preset."""
    net = init_network([64, 32, 10], ["tanh", "softmax"], "xavier", seed=0)
    W1, W2 = (w.copy() for w in net.weights)
    b1, b2 = (b.copy() for b in net.biases)
    for t in range(ITERATIONS):
        idx = batch_indices(x.shape[1], batch, seed, t)
        xb, yb = (x, y) if idx is None else (x[:, idx], y[:, idx])
        m = xb.shape[1]
        a1 = np.tanh(W1 @ xb + b1[:, None])  # (32, m)
        z2 = W2 @ a1 + b2[:, None]  # (10, m)
        e = np.exp(z2 - z2.max(axis=0))
        a2 = e / e.sum(axis=0)  # (10, m)
        d2 = a2 - yb  # (10, m)
        d1 = (W2.T @ d2) * (1.0 - a1 * a1)  # (32, m)
        W2 -= eta * (d2 @ a1.T) / m
        b2 -= eta * d2.sum(axis=1) / m
        W1 -= eta * (d1 @ xb.T) / m
        b1 -= eta * d1.sum(axis=1) / m
    return [W1, b1, W2, b2]


def timed_api() -> tuple[float, float]:
    with TestClient(create_app(Settings())) as client:
        start = time.perf_counter()
        created = client.post("/api/v1/sessions", json={"preset": "digits"}).json()
        url = f"/api/v1/sessions/{created['id']}/train"
        state = client.post(url, json={"iterations": ITERATIONS}).json()
        seconds = time.perf_counter() - start
    assert state["cursor"]["iteration"] == ITERATIONS, state
    return state["evaluation"]["test"]["accuracy"], seconds


def main() -> None:
    data = make_dataset("digits")
    split = CONFIG.test_split or 0.0
    x, y, x_test, y_test = split_data(data.x, data.y, split, CONFIG.seed)
    eta, batch = CONFIG.learning_rate, CONFIG.batch_size or 32
    with threadpool_limits(limits=1, user_api="blas"):
        blas = [i for i in threadpool_info() if i.get("user_api") == "blas"]
        print(f"numpy {np.__version__}; BLAS kernel: {[i.get('architecture') for i in blas]}")
        print(f"digits: {x.shape[1]} training, {x_test.shape[1]} test samples; {ITERATIONS} it.")
        start = time.perf_counter()
        W1, b1, W2, b2 = baseline(x, y, eta, batch, CONFIG.seed)
        base_s = time.perf_counter() - start
        a2 = W2 @ np.tanh(W1 @ x_test + b1[:, None]) + b2[:, None]
        base_acc = float(np.mean(a2.argmax(axis=0) == y_test.argmax(axis=0)))

        start = time.perf_counter()
        net = init_network([64, 32, 10], ["tanh", "softmax"], "xavier", seed=0)
        result = train(net, "softmax_cross_entropy", x, y, eta, ITERATIONS, batch, CONFIG.seed)
        fast_s = time.perf_counter() - start
        fast_acc = evaluate(result.network, "softmax_cross_entropy", x_test, y_test).accuracy

        api_acc, api_s = timed_api()
    print(f"{'':<10}{'test accuracy':>15}{'seconds':>10}{'/baseline':>11}")
    for name, acc, secs in (
        ("api", api_acc, api_s),
        ("fast", fast_acc, fast_s),
        ("baseline", base_acc, base_s),
    ):
        print(f"{name:<10}{100 * (acc or 0):>14.1f}%{secs:>10.3f}{secs / base_s:>10.2f}x")
    met = api_acc >= GOAL_ACCURACY and api_s <= GOAL_SECONDS
    print(f"\ngoal (≥ 95% test accuracy in ≤ 5 s through the API): {'met' if met else 'MISSED'}")


if __name__ == "__main__":
    main()
