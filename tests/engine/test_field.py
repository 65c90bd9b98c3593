"""The output field: a network's outputs over a grid spanning the data."""

# ruff: noqa: E741  (l is the layer index of the math, as in DESIGN.md)

from __future__ import annotations

import numpy as np
import pytest

from engine import DefinitionError, init_network, layer_outputs, output_field, predict


def test_a_2d_field_is_the_network_at_every_grid_point() -> None:
    net = init_network([2, 5, 3, 1], ["tanh", "tanh", "sigmoid"], "xavier", seed=4)
    x = np.array([[0.0, 1.0, 2.0], [-1.0, 1.0, 0.0]])  # (2, 3): x spans [0, 2], y [-1, 1]
    field = output_field(net, x, 50, hidden=True)  # 2,500 points: more than one chunk
    np.testing.assert_allclose(field.low, [-0.2, -1.2])  # 10% wider each side
    np.testing.assert_allclose(field.high, [2.2, 1.2])
    assert field.inputs is None
    assert field.outputs.shape == (1, 50, 50)
    xs, ys = np.linspace(-0.2, 2.2, 50), np.linspace(-1.2, 1.2, 50)
    i, j = 7, 41  # row i of the picture is y = ys[i], column j is x = xs[j]
    point = np.array([[xs[j]], [ys[i]]])
    assert field.outputs[0, i, j] == predict(net, point)[0, 0]
    assert field.hidden is not None
    hidden = layer_outputs(net, point)
    for l in (0, 1):  # a¹ and a²: every hidden neuron's picture
        assert field.hidden[l].shape == (net.layers[l + 1], 50, 50)
        np.testing.assert_array_equal(field.hidden[l][:, i, j], hidden[l][:, 0])


def test_a_1d_field_is_a_curve_and_a_flat_input_still_gets_a_span() -> None:
    net = init_network([1, 4, 2], ["tanh", "linear"], "xavier", seed=1)
    field = output_field(net, np.full((1, 5), 3.0), 11)  # every sample at x = 3
    assert field.inputs is not None
    np.testing.assert_allclose(field.inputs, np.linspace(2.5, 3.5, 11))
    np.testing.assert_array_equal(field.outputs, predict(net, field.inputs[None, :]))
    assert field.hidden is None


def test_three_inputs_have_no_field() -> None:
    net = init_network([3, 2, 1], ["tanh", "sigmoid"], "xavier", seed=0)
    with pytest.raises(DefinitionError, match="covers 1 or 2 inputs; this network has 3"):
        output_field(net, np.zeros((3, 4)), 10)
