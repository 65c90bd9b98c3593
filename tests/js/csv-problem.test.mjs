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

const iris = {
  ...parsed,
  inputs: [[5.1, 3.5, 1.4, 0.2], [6.3, 3.3, 6.0, 2.5]],
  targets: [[1, 0, 0], [0, 0, 1]],
  header: ["sepal_length", "sepal_width", "petal_length", "petal_width", "species"],
  columns: ["sepal_length", "sepal_width", "petal_length", "petal_width", "species"],
  target_columns: [4],
  class_names: ["setosa", "versicolor", "virginica"],
  input_size: 4,
  output_size: 3,
  proposal: { task: "classification", output_activation: "softmax", cost: "softmax_cross_entropy" },
  standardised: null,
};

test("a column of labels: one output per class, and the session keeps the classes' names", () => {
  const current = { network: { layers: [2, 4, 1], activations: ["tanh", "sigmoid"] }, cost: "cross_entropy", data: { dataset: "xor" }, batch_size: 4 };
  const c = configForCsv(current, iris);
  assert.deepEqual(c.network.layers, [4, 4, 3]);
  assert.deepEqual(c.network.activations, ["tanh", "softmax"]);
  assert.equal(c.cost, "softmax_cross_entropy");
  assert.deepEqual(c.data, { inputs: iris.inputs, targets: iris.targets, class_names: ["setosa", "versicolor", "virginica"] });
  assert.equal(
    csvSummary(iris),
    "2 samples loaded: 4 inputs (sepal_length, sepal_width, petal_length, petal_width) → " +
      "species, 3 classes (setosa, versicolor, virginica) as 3 outputs; softmax output, softmax_cross_entropy.",
  );
});

test("two labels are one 0/1 output, and a long list of classes is cut", () => {
  const yesNo = { ...iris, class_names: ["no", "yes"], output_size: 1, proposal: { task: "classification", output_activation: "sigmoid", cost: "cross_entropy" } };
  assert.match(csvSummary(yesNo), /→ species, 2 classes \(no, yes\) as 1 output \(1: yes\); sigmoid output, cross_entropy\.$/);
  const many = { ...iris, class_names: Array.from({ length: 12 }, (_, i) => `c${i}`), output_size: 12 };
  assert.match(csvSummary(many), /12 classes \(c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, …\) as 12 outputs;/);
  assert.equal(configForCsv({ network: { layers: [2, 1], activations: ["sigmoid"] }, data: {} }, parsed).data.class_names, undefined);
});
