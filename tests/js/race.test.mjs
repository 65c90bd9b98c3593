import assert from "node:assert/strict";
import { test } from "node:test";
import { curveRuns, laneTitle, raceBody, raceTop } from "../../static/js/race.js";

const config = {
  network: { layers: [2, 4, 1], activations: ["tanh", "sigmoid"], init: { method: "xavier", seed: 3 } },
  cost: "cross_entropy",
  data: { dataset: "xor", seed: 0 },
  learning_rate: 0.5,
  batch_size: 4,
  seed: 7,
  test_split: 0.2,
  weight_decay: 0.01,
};

test("every lane trains the session's network and data, with its own rule and η", () => {
  const adam = { optimizer: { name: "adam", beta1: 0.9, beta2: 0.999, eps: 1e-8 }, learningRate: 0.01 };
  assert.deepEqual(raceBody(config, adam, 300), {
    network: config.network,
    cost: "cross_entropy",
    data: config.data,
    learning_rate: 0.01,
    batch_size: 4,
    seed: 7,
    iterations: 300,
    optimizer: adam.optimizer,
    weight_decay: 0.01,
  });
  const sgd = raceBody({ ...config, weight_decay: undefined }, { optimizer: { name: "sgd" }, learningRate: 0.5 }, 10);
  assert.equal("optimizer" in sgd, false);
  assert.equal("weight_decay" in sgd, false);
  assert.equal(laneTitle(adam), "Adam (η = 0.01)");
});

test("the curves place the API's costs, and a diverged cost breaks the line", () => {
  const lanes = [{ costs: [2, 1, 0.5] }, { costs: [1, null, null] }];
  assert.equal(raceTop(lanes), 2);
  assert.deepEqual(curveRuns([2, 1, 0.5], 3, 2, 100, 50), ["0.0,0.0 50.0,25.0 100.0,37.5"]);
  assert.deepEqual(curveRuns([1, null, 0.5, 0.5], 4, 1, 30, 10), ["0.0,0.0", "20.0,5.0 30.0,5.0"]);
  assert.equal(raceTop([{ costs: [null] }]), 1);
});
