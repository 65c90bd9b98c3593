import assert from "node:assert/strict";
import { test } from "node:test";

import { configForCsv, csvSummary } from "../../static/js/csv-problem.js";

const parsed = {
  inputs: [[1, 2, 3], [4, 5, 6]],
  targets: [[0], [1]],
  rows: 2,
  header: ["a", "b", "c", "label"],
  columns: ["a", "b", "c", "label"],
  target_columns: [3],
  input_size: 3,
  output_size: 1,
  proposal: { task: "classification", output_activation: "sigmoid", cost: "cross_entropy" },
  suggest_standardise: true,
  standardised: { mean: [2.5, 3.5, 4.5], std: [1.5, 1.5, 1.5] },
};

test("the file sets the sizes, the output layer and the cost; the hidden layers stay", () => {
  const current = {
    network: { layers: [2, 5, 4, 3], activations: ["relu", "tanh", "softmax"], weights: [[[1]]], biases: [[1]] },
    cost: "softmax_cross_entropy",
    learning_rate: 0.3,
    data: { dataset: "three_blobs" },
    batch_size: 64,
    seed: 5,
    test_split: 0.2,
    state: { iteration: 4 },
    fast_forward: 3,
  };
  assert.deepEqual(configForCsv(current, parsed), {
    network: { layers: [3, 5, 4, 1], activations: ["relu", "tanh", "sigmoid"], init: { method: "xavier", seed: 0 } },
    cost: "cross_entropy",
    learning_rate: 0.3,
    data: { inputs: parsed.inputs, targets: parsed.targets },
    batch_size: 2, // no more than the file's rows
    seed: 5,
    test_split: 0.2,
  });
});

test("a network without hidden layers gets one", () => {
  const current = { network: { layers: [2, 1], activations: ["sigmoid"], init: { method: "he", seed: 2 } }, cost: "quadratic", data: {} };
  const c = configForCsv(current, { ...parsed, rows: 100 });
  assert.deepEqual(c.network, { layers: [3, 8, 1], activations: ["tanh", "sigmoid"], init: { method: "he", seed: 2 } });
  assert.equal(c.batch_size, 32);
});

test("the summary says what was loaded and proposed", () => {
  assert.equal(
    csvSummary(parsed),
    "2 samples loaded: 3 inputs (a, b, c) → 1 target (label); 0/1 classes: sigmoid output, cross_entropy. Inputs standardised (mean 0, standard deviation 1).",
  );
});
