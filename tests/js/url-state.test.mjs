import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeState, encodeState } from "../../static/js/url-state.js";

const spiral = {
  network: { layers: [2, 8, 8, 1], activations: ["tanh", "tanh", "sigmoid"], init: { method: "xavier", seed: 3 } },
  cost: "cross_entropy",
  learning_rate: 0.1 + 0.2, // not a short decimal: must survive exactly
  data: { dataset: "spiral", size: 200, noise: 0.02, seed: 5 },
  batch_size: 32,
  seed: 7,
  test_split: 0.2,
};

test("a named data set travels as readable parameters, the cursor as t/phase/layer", () => {
  const q = encodeState(spiral, { iteration: 120, phase: "backward", layer: 1 });
  assert.equal(
    q,
    "layers=2-8-8-1&act=tanh.tanh.sigmoid&init=xavier&iseed=3&cost=cross_entropy&lr=0.30000000000000004" +
      "&data=spiral&size=200&noise=0.02&dseed=5&batch=32&seed=7&test=0.2&t=120&phase=backward&layer=1",
  );
  assert.deepEqual(decodeState(`?${q}`), {
    ...spiral,
    fast_forward: 120,
    state: { phase: "backward", layer: 1 },
  });
});

test("iteration 0 needs no fast-forward; absent optional fields stay absent", () => {
  const config = { ...spiral, data: { dataset: "xor", seed: 0 } };
  delete config.test_split;
  const body = decodeState(encodeState(config, { iteration: 0, phase: "forward", layer: 1 }));
  assert.equal(body.fast_forward, undefined);
  assert.deepEqual(body.data, { dataset: "xor", seed: 0 });
  assert.equal("test_split" in body, false);
});

test("explicit weights or samples travel whole, resumed at the cursor", () => {
  const config = {
    ...spiral,
    network: { layers: [1, 1], activations: ["linear"], weights: [[[0.5]]], biases: [[0]] },
    data: { inputs: [[1], [2]], targets: [[2], [4]] },
  };
  const now = { layers: [1, 1], activations: ["linear"], weights: [[[0.75]]], biases: [[0.125]] };
  const q = encodeState(config, { iteration: 4, phase: "update", layer: 1 }, now);
  assert.match(q, /^cfg=[A-Za-z0-9_-]+$/);
  const body = decodeState(q);
  assert.deepEqual(body.network.weights, [[[0.75]]]);
  assert.deepEqual(body.data, config.data);
  assert.deepEqual(body.state, { iteration: 4, phase: "update", layer: 1 });
});

test("no state is null; malformed links say what is wrong", () => {
  assert.equal(decodeState(""), null);
  assert.equal(decodeState("?utm=x"), null);
  assert.throws(() => decodeState("layers=2-x-1"), /layers: "x" is not a whole number/);
  assert.throws(() => decodeState("layers=2-1&lr=abc"), /lr: "abc" is not a number/);
  assert.throws(() => decodeState("layers=2-1&phase=sideways"), /phase: "sideways" is not a phase/);
  assert.throws(() => decodeState("cfg=%%%"), /cfg: the link's configuration is damaged/);
});

test("a long run travels as weights rather than a slow replay", () => {
  const now = { layers: [2, 8, 8, 1], activations: ["tanh", "tanh", "sigmoid"], weights: [[[1]]], biases: [[0]] };
  const short = encodeState(spiral, { iteration: 20000, phase: "forward", layer: 1 }, now, 20000);
  assert.match(short, /t=20000/);
  const long = encodeState(spiral, { iteration: 20001, phase: "forward", layer: 1 }, now, 20000);
  const body = decodeState(long);
  assert.deepEqual(body.state, { iteration: 20001, phase: "forward", layer: 1 });
  assert.deepEqual(body.network.weights, [[[1]]]);
  assert.deepEqual(body.data, spiral.data);
  assert.equal(body.test_split, 0.2);
});

test("a session a replay would not reproduce travels as weights", () => {
  const now = { layers: [2, 8, 8, 1], activations: ["tanh", "tanh", "sigmoid"], weights: [[[2]]], biases: [[0]] };
  const cursor = { iteration: 30, phase: "backward", layer: 1 };
  assert.match(encodeState(spiral, cursor, now, 20000, true), /t=30/);
  const body = decodeState(encodeState(spiral, cursor, now, 20000, false));
  assert.deepEqual(body.state, { iteration: 30, phase: "backward", layer: 1 });
  assert.deepEqual(body.network.weights, [[[2]]]);
  assert.equal(body.fast_forward, undefined);
});

test("the optimizer, its settings and weight decay travel as parameters and come back exactly", () => {
  const adam = { ...spiral, optimizer: { name: "adam", beta1: 0.8, beta2: 0.999, eps: 1e-8 }, weight_decay: 0.001 };
  const q = encodeState(adam, { iteration: 40, phase: "update", layer: 2 });
  assert.match(q, /&opt=adam&beta1=0\.8&beta2=0\.999&eps=1e-8&wd=0\.001&t=40/);
  assert.deepEqual(decodeState(`?${q}`), { ...adam, fast_forward: 40, state: { phase: "update", layer: 2 } });
  const nesterov = { ...spiral, optimizer: { name: "momentum", momentum: 0.5, nesterov: true } };
  const back = decodeState(encodeState(nesterov, { iteration: 3, phase: "forward", layer: 1 }));
  assert.deepEqual(back.optimizer, { name: "momentum", momentum: 0.5, nesterov: true });
  assert.throws(() => decodeState("?layers=2-1&act=sigmoid&opt=momentum&nesterov=yes"), /nesterov: "yes" is not 0 or 1/);
});

test("no link for an optimizer's state that only a replay reproduces", () => {
  const now = { layers: [2, 8, 8, 1], activations: ["tanh", "tanh", "sigmoid"], weights: [], biases: [] };
  const rms = { ...spiral, optimizer: { name: "rmsprop", alpha: 0.99, eps: 1e-8 } };
  assert.equal(encodeState(rms, { iteration: 30, phase: "forward", layer: 1 }, now, 20000, false), null);
  assert.match(encodeState(rms, { iteration: 30, phase: "forward", layer: 1 }, now, 20000, true), /opt=rmsprop/);
  assert.match(encodeState({ ...rms, optimizer: { name: "sgd" } }, { iteration: 30, phase: "forward", layer: 1 }, now, 20000, false), /^cfg=/);
});
