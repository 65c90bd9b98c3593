"""engine.evaluate: the train/test split, whole-set cost and accuracy, every layer's output."""

from __future__ import annotations

import numpy as np
import pytest

from engine import (
    COSTS,
    DefinitionError,
    accuracy,
    evaluate,
    init_network,
    layer_outputs,
    make_dataset,
    predict,
    split_data,
)


def test_split_is_a_partition_in_order_and_reproducible() -> None:
    data = make_dataset("spiral", 50, seed=3)
    x_tr, y_tr, x_te, y_te = split_data(data.x, data.y, 0.2, seed=1)
    assert x_te.shape == (2, 10)
    assert x_tr.shape == (2, 40)
    assert y_te.shape == (1, 10)
    assert y_tr.shape == (1, 40)
    together = np.concatenate([x_tr, x_te], axis=1)
    # every sample lands in exactly one part
    assert sorted(map(tuple, together.T.tolist())) == sorted(map(tuple, data.x.T.tolist()))
    again = split_data(data.x, data.y, 0.2, seed=1)
    assert all(np.array_equal(a, b) for a, b in zip(again, (x_tr, y_tr, x_te, y_te), strict=True))
    other = split_data(data.x, data.y, 0.2, seed=2)
    assert not np.array_equal(other[2], x_te)
    # each part keeps the data set's order: sine's inputs are sorted
    sine = make_dataset("sine", 30)
    s_tr, _, s_te, _ = split_data(sine.x, sine.y, 0.3, seed=0)
    assert np.all(np.diff(s_tr[0]) >= 0)
    assert np.all(np.diff(s_te[0]) >= 0)


def test_split_keeps_a_sample_on_each_side() -> None:
    data = make_dataset("xor")
    assert split_data(data.x, data.y, 0.01, 0)[2].shape[1] == 1
    assert split_data(data.x, data.y, 0.95, 0)[0].shape[1] == 1
    assert split_data(data.x, data.y, 0.0, 0)[2].shape[1] == 0
    with pytest.raises(DefinitionError, match=r"must be in \[0, 1\), got 1.0"):
        split_data(data.x, data.y, 1.0, 0)


def test_accuracy_for_one_output_several_outputs_and_regression() -> None:
    y = np.array([[0.0, 1.0, 1.0, 0.0]])
    assert accuracy(np.array([[0.2, 0.7, 0.4, 0.5]]), y) == 0.5  # 0.5 counts as class 1
    one_hot = np.eye(3)[:, [0, 1, 2, 2]]
    a = np.array([[0.6, 0.1, 0.1, 0.5], [0.3, 0.8, 0.1, 0.2], [0.1, 0.1, 0.8, 0.3]])
    assert accuracy(a, one_hot) == 0.75
    assert accuracy(a[:1], np.array([[0.3, 1.0, 0.0, 0.0]])) is None  # not classes
    assert accuracy(a, np.ones((3, 4))) is None  # several ones per column: not one-hot


def test_evaluate_is_the_cost_over_every_sample() -> None:
    data = make_dataset("three_blobs", 30)
    net = init_network([2, 5, 3], ["tanh", "softmax"], "xavier", 0)
    result = evaluate(net, "softmax_cross_entropy", data.x, data.y)
    a = predict(net, data.x)
    assert result.cost == COSTS["softmax_cross_entropy"].value(a, data.y)
    assert result.accuracy == float(np.mean(a.argmax(axis=0) == data.y.argmax(axis=0)))
    with pytest.raises(DefinitionError, match="at least one sample"):
        evaluate(net, "softmax_cross_entropy", data.x[:, :0], data.y[:, :0])


def test_layer_outputs_end_with_predict() -> None:
    net = init_network([2, 4, 3, 1], ["tanh", "relu", "sigmoid"], "he", 5)
    x = np.random.default_rng(0).normal(size=(2, 7))
    outs = layer_outputs(net, x)
    assert [o.shape for o in outs] == [(4, 7), (3, 7), (1, 7)]
    assert np.array_equal(outs[-1], predict(net, x))
    assert np.array_equal(outs[0], np.tanh(net.weights[0] @ x + net.biases[0][:, None]))
