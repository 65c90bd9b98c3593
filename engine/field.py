"""What a network computes over the whole input space: its outputs on a grid.

For 2 inputs, an N × N grid over the data's extent (its bounding box widened
by 10% each side, or by 0.5 where the data has no spread), row i of the picture
at y = ys[i]; for 1 input, N points along x. Optionally every hidden layer's
aˡ over the same grid, so each hidden neuron can be drawn as a picture.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.activations import Array
from engine.errors import DefinitionError
from engine.evaluate import layer_outputs
from engine.network import Network
from engine.slices import Sliced, finish
from engine.train import predict

__all__ = ["CHUNK", "OutputField", "output_field", "output_field_in_slices"]

CHUNK = 2048  # grid points per forward pass: the hidden layers hold at most CHUNK × nₗ values


@dataclass(frozen=True, eq=False)
class OutputField:
    resolution: int
    low: Array  # (n₀,) the grid's lower corner
    high: Array  # (n₀,) its upper corner
    inputs: Array | None  # (N,) the points, for 1 input; None for 2
    outputs: Array  # aᴸ: (n_L, N) for 1 input, (n_L, N, N) for 2
    hidden: tuple[Array, ...] | None  # a¹ … aᴸ⁻¹ in the outputs' layout, when asked for


def _extent(x: Array) -> tuple[Array, Array]:
    lo, hi = x.min(axis=1), x.max(axis=1)  # (n₀,)
    margin = np.where(hi > lo, 0.1 * (hi - lo), 0.5)
    return lo - margin, hi + margin


def _outputs_in_chunks(network: Network, points: Array, hidden: bool) -> Sliced[tuple[Array, ...]]:
    """(aᴸ,) or (a¹, …, aᴸ) over the columns of points (n₀, P), computed CHUNK columns at a
    time (one slice each, yielding its number of points)."""
    count = points.shape[1]
    chunks: list[tuple[Array, ...]] = []
    for i in range(0, count, CHUNK):
        part = points[:, i : i + CHUNK]
        chunks.append((predict(network, part),) if not hidden else layer_outputs(network, part))
        if i + CHUNK < count:
            yield part.shape[1]
    return tuple(np.concatenate([c[k] for c in chunks], axis=1) for k in range(len(chunks[0])))


def output_field_in_slices(
    network: Network, x: Array, resolution: int, hidden: bool = False
) -> Sliced[OutputField]:
    """`output_field`, CHUNK grid points per slice."""
    n0 = network.layers[0]
    if n0 not in (1, 2):
        raise DefinitionError(
            "network.layers[0]", f"the output field covers 1 or 2 inputs; this network has {n0}"
        )
    lo, hi = _extent(x)
    if n0 == 1:
        xs = np.linspace(lo[0], hi[0], resolution)  # (N,)
        layers = yield from _outputs_in_chunks(network, xs[None, :], hidden)  # each (nₗ, N)
        return OutputField(resolution, lo, hi, xs, layers[-1], layers[:-1] if hidden else None)
    xs = np.linspace(lo[0], hi[0], resolution)
    ys = np.linspace(lo[1], hi[1], resolution)
    X, Y = np.meshgrid(xs, ys)  # X[i, j] = xs[j], Y[i, j] = ys[i]
    grid = np.stack([X.ravel(), Y.ravel()])  # (2, N²), row i of the picture first
    flat = yield from _outputs_in_chunks(network, grid, hidden)
    layers = tuple(
        np.ascontiguousarray(a.reshape(-1, resolution, resolution))
        for a in flat  # (nₗ, N, N)
    )
    return OutputField(resolution, lo, hi, None, layers[-1], layers[:-1] if hidden else None)


def output_field(network: Network, x: Array, resolution: int, hidden: bool = False) -> OutputField:
    """The network's outputs over a grid spanning the data x (n₀, m), n₀ = 1 or 2."""
    return finish(output_field_in_slices(network, x, resolution, hidden))
