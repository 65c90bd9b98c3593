import assert from "node:assert/strict";
import { test } from "node:test";
import {
  configFromDraft,
  costProblem,
  draftFromConfig,
  expandConfig,
  firstValidCost,
  hiddenActivations,
  sampleCount,
  withoutWeights,
} from "../../static/js/config-draft.js";

const options = {
  activations: [
    { name: "sigmoid", output_only: false, output_range: [0, 1] },
    { name: "tanh", output_only: false, output_range: [-1, 1] },
    { name: "relu", output_only: false, output_range: [0, null] },
    { name: "softmax", output_only: true, output_range: [0, 1] },
  ],
  costs: [
    { name: "quadratic", requires_output: null, requires_unit_range: false },
    { name: "cross_entropy", requires_output: null, requires_unit_range: true },
    { name: "softmax_cross_entropy", requires_output: "softmax", requires_unit_range: false },
  ],
};

const worked = {
  network: {
    layers: [2, 2, 2],
    activations: ["sigmoid", "sigmoid"],
    weights: [[[0.15, 0.2], [0.25, 0.3]], [[0.4, 0.45], [0.5, 0.55]]],
    biases: [[0.35, 0.35], [0.6, 0.6]],
  },
  cost: "quadratic",
  learning_rate: 0.5,
  data: { inputs: [[0.05, 0.1]], targets: [[0.01, 0.99]] },
  batch_size: 1,
  seed: 0,
};

test("a config round-trips through a draft unchanged", () => {
  const draft = draftFromConfig(worked, "worked_example");
  assert.equal(sampleCount(draft), 1);
  assert.deepEqual(configFromDraft(draft), worked);
});

test("fields the draft does not model come back unchanged; where a session starts does not", () => {
  const cfg = {
    network: { layers: [2, 4, 1], activations: ["tanh", "sigmoid"], init: { method: "he", seed: 3 }, dropout: [0.1] },
    cost: "cross_entropy",
    learning_rate: 0.1,
    data: { dataset: "spiral", size: 200, noise: 0.02, seed: 5, shuffle: true },
    batch_size: 32,
    seed: 1,
    test_split: 0.2,
    optimizer: { name: "momentum", beta: 0.9 },
  };
  const draft = draftFromConfig({ ...cfg, state: { iteration: 3, phase: "update", layer: 1 }, fast_forward: 3 });
  cfg.optimizer.beta = 0.5; // the draft holds its own copy
  assert.deepEqual(configFromDraft(draft), { ...cfg, optimizer: { name: "momentum", beta: 0.9 } });
  // and they survive an edit of what the draft does model
  const edited = configFromDraft({ ...withoutWeights(draft), learningRate: 0.3 });
  assert.equal(edited.test_split, 0.2);
  assert.equal(edited.learning_rate, 0.3);
});

test("dropping weights switches the network to its init", () => {
  const draft = withoutWeights(draftFromConfig(worked, "worked_example"));
  const config = configFromDraft(draft);
  assert.equal(config.network.weights, undefined);
  assert.deepEqual(config.network.init, { method: "xavier", seed: 0 });
  assert.equal(draft.preset, null);
});

test("a data-set config keeps only the fields that are set", () => {
  const cfg = {
    network: { layers: [2, 4, 1], activations: ["tanh", "sigmoid"], init: { method: "he", seed: 3 } },
    cost: "cross_entropy",
    learning_rate: 0.1,
    data: { dataset: "xor", seed: 0 },
    batch_size: 4,
    seed: 1,
  };
  const draft = draftFromConfig(cfg);
  assert.equal(sampleCount(draft), null);
  assert.deepEqual(configFromDraft(draft), cfg);
});

test("expandConfig resolves a preset reference", () => {
  const presets = [{ name: "worked_example", config: worked }];
  assert.deepEqual(expandConfig({ preset: "worked_example" }, presets), worked);
  assert.equal(expandConfig({ preset: "nope" }, presets), null);
  assert.deepEqual(expandConfig(worked, presets), worked);
});

test("options rule out invalid combinations", () => {
  assert.deepEqual(hiddenActivations(options), ["sigmoid", "tanh", "relu"]);
  assert.equal(costProblem(options, "quadratic", "relu"), null);
  assert.match(costProblem(options, "cross_entropy", "tanh"), /between 0 and 1/);
  assert.equal(costProblem(options, "cross_entropy", "sigmoid"), null);
  assert.match(costProblem(options, "softmax_cross_entropy", "sigmoid"), /softmax output/);
  assert.equal(firstValidCost(options, "tanh"), "quadratic");
});

test("a CSV's class names stay with its samples, and leave with them", () => {
  const csv = {
    network: { layers: [4, 3], activations: ["softmax"], init: { method: "xavier", seed: 0 } },
    cost: "softmax_cross_entropy",
    learning_rate: 0.5,
    data: { inputs: [[1, 2, 3, 4]], targets: [[0, 1, 0]], class_names: ["setosa", "versicolor", "virginica"] },
    batch_size: 1,
    seed: 0,
  };
  const draft = draftFromConfig(csv);
  assert.deepEqual(draft.data.classNames, ["setosa", "versicolor", "virginica"]);
  assert.deepEqual(configFromDraft(draft).data, csv.data);
  // another data set chosen in the panel: no class names ride along into it
  const other = { ...draft, data: { kind: "dataset", dataset: "three_blobs", size: null, noise: null, seed: 0 } };
  assert.deepEqual(configFromDraft(other).data, { dataset: "three_blobs", seed: 0 });
});
