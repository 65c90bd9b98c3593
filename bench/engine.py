"""Engine speed against a minimal plain-numpy iteration, in one process, one BLAS thread.

For each network it prints the median time of one iteration of
  traced    engine.trace_iteration (every phase kept, divergence checked)
  fast      engine.train (no trace), over a block of iterations
  baseline  the same math written out below in plain numpy, nothing kept
and the ratios traced/baseline (goal ≤ 1.3) and fast/baseline (goal ≤ 1.1),
each the median over rounds of the ratio within the round. Then, per optimizer
(momentum, RMSProp, Adam; and Adam with weight decay), engine.train's fast path
against the same optimizer written out in plain numpy (goal ≤ 1.15).

All three run K iterations per timed block (so per-call overheads are shared
alike), blocks are interleaved in rotating order, and the median over blocks
is reported; the baseline is first checked to produce the engine's very bits,
so it is the same computation. Run: .venv/bin/python bench/engine.py [--quick]
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# This file is called engine.py, and Python puts its folder first on sys.path:
# drop that entry so that `import engine` finds the package, not this script.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import numpy as np  # noqa: E402
from threadpoolctl import threadpool_info, threadpool_limits  # noqa: E402

from engine import Network, init_network, trace_iteration, train, updater  # noqa: E402
from engine.activations import Array  # noqa: E402

# ---------------------------------------------------------------- the baseline
# The engine's formulas, written the way one would in a notebook.


def _sigmoid(z: Array) -> Array:
    e = np.exp(-np.abs(z))
    s: Array = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return s


def _softmax(z: Array) -> Array:
    e = np.exp(z - z.max(axis=0, keepdims=True))
    s: Array = e / e.sum(axis=0, keepdims=True)
    return s


SIGMA: dict[str, Callable[[Array], Array]] = {
    "tanh": np.tanh,
    "relu": lambda z: np.maximum(z, 0.0),
    "sigmoid": _sigmoid,
    "softmax": _softmax,
}
# σ′ from (z, a = σ(z)), as the engine computes it.
SIGMA_PRIME: dict[str, Callable[[Array, Array], Array]] = {
    "tanh": lambda z, a: 1.0 - a * a,
    "relu": lambda z, a: (z > 0).astype(np.float64),
}
TINY = 1e-15


# θ, its gradient, the parameter's number (W¹ 0, b¹ 1, W² 2 …) → the new θ
Update = Callable[[Array, Array, int], Array]


def baseline_iteration(
    Ws: list[Array],
    bs: list[Array],
    acts: list[str],
    cost: str,
    x: Array,
    y: Array,
    eta: float,
    update: Update | None = None,
    weight_decay: float = 0.0,
) -> tuple[list[Array], list[Array], float]:
    """One gradient-descent step: forward, cost, backward, update (plain descent, or
    `update`'s rule). Returns new W, b and C."""
    m = x.shape[1]
    zs, activations = [], [x]
    a = x
    for W, b, act in zip(Ws, bs, acts, strict=True):
        z = W @ a + b[:, None]  # (nₗ, m)
        a = SIGMA[act](z)
        zs.append(z)
        activations.append(a)
    ac = np.minimum(np.maximum(a, TINY), 1.0 - TINY)  # clip: ln(0) is never taken
    if cost == "cross_entropy":  # sigmoid output: δᴸ = a − y
        C = float(-(y * np.log(ac) + (1.0 - y) * np.log(1.0 - ac)).sum() / m)
    else:  # softmax_cross_entropy, softmax output: δᴸ = a − y
        C = float(-(y * np.log(ac)).sum() / m)
    if weight_decay:
        C += 0.5 * weight_decay * sum(float(np.sum(W * W)) for W in Ws)
    delta = a - y
    new_W, new_b = list(Ws), list(bs)
    for l in range(len(Ws) - 1, -1, -1):  # noqa: E741  (0-based: layer l + 1)
        dW = (delta @ activations[l].T) / m
        if weight_decay:
            dW = dW + weight_decay * Ws[l]
        db = delta.sum(axis=1) / m
        if l > 0:
            delta = (Ws[l].T @ delta) * SIGMA_PRIME[acts[l - 1]](zs[l - 1], activations[l])
        if update is None:
            new_W[l] = Ws[l] - eta * dW
            new_b[l] = bs[l] - eta * db
        else:
            new_W[l], new_b[l] = update(Ws[l], dW, 2 * l), update(bs[l], db, 2 * l + 1)
    return new_W, new_b, C


def numpy_optimizer(name: str, eta: float) -> Update:
    """torch.optim's rule with its defaults, as a notebook would write it: a dict of
    arrays per parameter, zeros at first."""
    state: dict[int, dict[str, Array]] = {}

    def momentum(theta: Array, g: Array, i: int) -> Array:
        v = state.setdefault(i, {"v": np.zeros_like(g)})
        v["v"] = 0.9 * v["v"] + g
        return theta - eta * v["v"]

    def rmsprop(theta: Array, g: Array, i: int) -> Array:
        s = state.setdefault(i, {"s": np.zeros_like(g)})
        s["s"] = 0.99 * s["s"] + (1.0 - 0.99) * (g * g)
        return theta - eta * g / (np.sqrt(s["s"]) + 1e-8)

    def adam(theta: Array, g: Array, i: int) -> Array:
        p = state.setdefault(i, {"m": np.zeros_like(g), "v": np.zeros_like(g), "t": np.zeros(())})
        p["m"] = 0.9 * p["m"] + (1.0 - 0.9) * g
        p["v"] = 0.999 * p["v"] + (1.0 - 0.999) * (g * g)
        p["t"] = p["t"] + 1.0
        t = float(p["t"])
        m_hat, v_hat = p["m"] / (1.0 - 0.9**t), p["v"] / (1.0 - 0.999**t)
        new: Array = theta - eta * m_hat / (np.sqrt(v_hat) + 1e-8)
        return new

    rules: dict[str, Update] = {"momentum": momentum, "rmsprop": rmsprop, "adam": adam}
    return rules[name]


# ---------------------------------------------------------------- the cases


@dataclass(frozen=True)
class Case:
    layers: list[int]
    activations: list[str]
    cost: str
    batch: int

    @property
    def label(self) -> str:
        return f"{'-'.join(map(str, self.layers))} batch {self.batch}"


CASES = [
    Case([2, 4, 1], ["tanh", "sigmoid"], "cross_entropy", 4),
    Case([2, 8, 8, 1], ["tanh", "tanh", "sigmoid"], "cross_entropy", 64),
    Case([64, 32, 10], ["relu", "softmax"], "softmax_cross_entropy", 32),
    Case([784, 128, 64, 10], ["relu", "relu", "softmax"], "softmax_cross_entropy", 128),
]
ETA = 0.1


def make_inputs(case: Case) -> tuple[Network, Array, Array]:
    rng = np.random.default_rng(0)
    network = init_network(case.layers, case.activations, "xavier", seed=0)
    x = rng.uniform(-1.0, 1.0, (case.layers[0], case.batch))
    n_out = case.layers[-1]
    if case.cost == "softmax_cross_entropy":
        y = np.eye(n_out)[:, rng.integers(0, n_out, case.batch)]
    else:
        y = rng.integers(0, 2, (n_out, case.batch)).astype(np.float64)
    return network, x, y


def check_same_bits(case: Case) -> None:
    network, x, y = make_inputs(case)
    Ws, bs = list(network.weights), list(network.biases)
    for _ in range(3):
        Ws, bs, _C = baseline_iteration(Ws, bs, case.activations, case.cost, x, y, ETA)
    fast = train(network, case.cost, x, y, ETA, 3, case.batch).network
    for W, W_engine in zip(Ws, fast.weights, strict=True):
        if W.tobytes() != W_engine.tobytes():
            raise SystemExit(f"{case.label}: the baseline does not compute the engine's numbers")


def time_case(case: Case, blocks: int, target_block_s: float) -> dict[str, float]:
    network, x, y = make_inputs(case)
    acts, cost, m = case.activations, case.cost, case.batch

    def traced(k: int) -> None:
        net = network
        for _ in range(k):
            net = trace_iteration(net, cost, x, y, ETA).updated_network

    def fast(k: int) -> None:
        train(network, cost, x, y, ETA, k, m)

    def baseline(k: int) -> None:
        Ws, bs = list(network.weights), list(network.biases)
        for _ in range(k):
            Ws, bs, _C = baseline_iteration(Ws, bs, acts, cost, x, y, ETA)

    runners = {"traced": traced, "fast": fast, "baseline": baseline}
    # Pick K so that one block of the baseline takes about target_block_s.
    start = time.perf_counter()
    baseline(20)
    per_iteration = (time.perf_counter() - start) / 20
    k = max(5, int(target_block_s / per_iteration))
    for run in runners.values():  # warm up
        run(k)
    samples: dict[str, list[float]] = {name: [] for name in runners}
    names = list(runners)
    for i in range(blocks):
        for name in names[i % 3 :] + names[: i % 3]:  # rotate the order every block
            start = time.perf_counter()
            runners[name](k)
            samples[name].append((time.perf_counter() - start) / k)
    medians = {name: statistics.median(values) for name, values in samples.items()}
    # Ratios within each round (the three ran back to back), then their median:
    # this cancels the machine's slower and faster spells better than a ratio
    # of medians.
    for name in ("traced", "fast"):
        ratios = [t / b for t, b in zip(samples[name], samples["baseline"], strict=True)]
        medians[name + "/baseline"] = statistics.median(ratios)
    return medians


# (optimizer, weight decay): each timed on the smaller cases
OPTIMIZER_RUNS = [("momentum", 0.0), ("rmsprop", 0.0), ("adam", 0.0), ("adam", 0.01)]


def time_optimizer(case: Case, name: str, weight_decay: float, blocks: int, target: float) -> float:
    """engine.train with the optimizer against its plain-numpy version: the median of the
    per-round ratios (checked first to give the engine's bits)."""
    network, x, y = make_inputs(case)
    acts, cost, m = case.activations, case.cost, case.batch
    rule = updater(name)

    def baseline(k: int) -> list[Array]:
        Ws, bs, update = list(network.weights), list(network.biases), numpy_optimizer(name, ETA)
        for _ in range(k):
            Ws, bs, _C = baseline_iteration(Ws, bs, acts, cost, x, y, ETA, update, weight_decay)
        return Ws

    def fast(k: int) -> list[Array]:
        result = train(network, cost, x, y, ETA, k, m, optimizer=rule, weight_decay=weight_decay)
        return list(result.network.weights)

    for W, W_engine in zip(baseline(3), fast(3), strict=True):
        if W.tobytes() != W_engine.tobytes():
            raise SystemExit(
                f"{case.label} {name}: the baseline does not compute the engine's bits"
            )
    start = time.perf_counter()
    baseline(20)
    k = max(5, int(target / ((time.perf_counter() - start) / 20)))
    ratios = []
    for i in range(blocks):
        timings = {}
        for label, run in (("fast", fast), ("baseline", baseline))[:: 1 if i % 2 else -1]:
            start = time.perf_counter()
            run(k)
            timings[label] = time.perf_counter() - start
        ratios.append(timings["fast"] / timings["baseline"])
    return statistics.median(ratios)


def describe_blas() -> str:
    infos = [i for i in threadpool_info() if i.get("user_api") == "blas"]
    return "; ".join(
        f"{i.get('internal_api')} {i.get('version')} kernel={i.get('architecture')} "
        f"threads={i.get('num_threads')}"
        for i in infos
    )


def main() -> None:
    quick = "--quick" in sys.argv
    blocks, target = (7, 0.002) if quick else (61, 0.008)
    with threadpool_limits(limits=1, user_api="blas"):
        print(f"numpy {np.__version__}; BLAS: {describe_blas()}")
        print(
            f"per iteration: median of {blocks} interleaved blocks; "
            "ratios: median of the per-round ratios\n"
        )
        header = f"{'network':<26}{'traced':>11}{'fast':>11}{'baseline':>11}"
        print(header + f"{'traced/base':>13}{'fast/base':>11}")
        misses = []
        for case in CASES:
            check_same_bits(case)
            t = time_case(case, blocks, target)
            r_traced, r_fast = t["traced/baseline"], t["fast/baseline"]
            print(
                f"{case.label:<26}{t['traced'] * 1e6:>9.1f}µs{t['fast'] * 1e6:>9.1f}µs"
                f"{t['baseline'] * 1e6:>9.1f}µs{r_traced:>12.2f}x{r_fast:>10.2f}x"
            )
            if r_traced > 1.3:
                misses.append(f"{case.label}: traced {r_traced:.2f}x > 1.3x")
            if r_fast > 1.1:
                misses.append(f"{case.label}: fast {r_fast:.2f}x > 1.1x")
        print("\ngoals (traced ≤ 1.3x, fast ≤ 1.1x):", "met" if not misses else "; ".join(misses))

        print("\noptimizers: engine.train against the same rule in plain numpy (fast/base)")
        print(f"{'network':<26}" + "".join(f"{f'{n} λ={wd:g}':>16}" for n, wd in OPTIMIZER_RUNS))
        slow = []
        for case in CASES[:3]:
            row = f"{case.label:<26}"
            for name, weight_decay in OPTIMIZER_RUNS:
                ratio = time_optimizer(case, name, weight_decay, blocks, target)
                row += f"{ratio:>15.2f}x"
                if ratio > 1.15:
                    slow.append(f"{case.label} {name}: {ratio:.2f}x > 1.15x")
            print(row)
        print(
            "\ngoal (each optimizer's fast path ≤ 1.15x):", "met" if not slow else "; ".join(slow)
        )


if __name__ == "__main__":
    main()
