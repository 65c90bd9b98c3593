import assert from "node:assert/strict";
import { test } from "node:test";
import { followKey } from "../../static/js/class-views.js";
import { classSource, loadField, sessionSource } from "../../static/js/field-source.js";

function recordingApi() {
  const calls = [];
  const answer = (name) => (...args) => {
    calls.push([name, ...args]);
    const query = args.at(-1) ?? {};
    return Promise.resolve({ resolution: query.resolution ?? null, hidden: query.hidden ? [[[0.5]]] : undefined });
  };
  return {
    calls,
    field: answer("field"),
    sessionData: answer("sessionData"),
    predictions: answer("predictions"),
    classField: answer("classField"),
    classData: answer("classData"),
    classPredictions: answer("classPredictions"),
  };
}

const session = (layers, iteration = 7) => ({ id: "s1", network: { layers }, cursor: { iteration } });

test("the step page reads its session by id, a follower its class by code", async () => {
  const api = recordingApi();
  await loadField(sessionSource(api), session([2, 3, 1]), true);
  await loadField(classSource(api, "7KQ2MX"), session([2, 3, 1]), true);
  await sessionSource(api).data(session([2, 1]));
  await classSource(api, "7KQ2MX").data(session([2, 1]));
  assert.deepEqual(api.calls, [
    ["field", "s1", { resolution: 48, hidden: undefined, digits: 4 }],
    ["field", "s1", { resolution: 16, hidden: true, digits: 4 }],
    ["classField", "7KQ2MX", { resolution: 48, hidden: undefined, digits: 4 }],
    ["classField", "7KQ2MX", { resolution: 16, hidden: true, digits: 4 }],
    ["sessionData", "s1"],
    ["classData", "7KQ2MX"],
  ]);
});

test("a field is labelled with the session and iteration it was asked for", async () => {
  const api = recordingApi();
  const field = await loadField(classSource(api, "7KQ2MX"), session([2, 3, 1], 42), true);
  assert.equal(field.id, "s1");
  assert.equal(field.iteration, 42);
  assert.deepEqual(field.neurons, [[[0.5]]]);
  assert.equal(field.neuronResolution, 16);
});

test("1-D inputs get the fit and each hidden neuron's curve in one request; 3 or more inputs get nothing", async () => {
  const api = recordingApi();
  const fit = await loadField(classSource(api, "C"), session([1, 4, 1]), true);
  assert.deepEqual(fit.neurons, [[[0.5]]]);
  assert.equal(fit.neuronResolution, 120);
  const bare = await loadField(classSource(api, "C"), session([1, 1]), true); // no hidden layer
  assert.equal(bare.neurons, null);
  assert.equal(await loadField(classSource(api, "C"), session([3, 2, 1]), true), null);
  assert.deepEqual(api.calls, [
    ["classField", "C", { resolution: 120, hidden: true, digits: 4 }],
    ["classField", "C", { resolution: 120, hidden: undefined, digits: 4 }],
  ]);
});

test("the follow key ignores a PATCHed learning rate or batch size, not a new configuration", () => {
  const config = { network: { layers: [2, 2, 1] }, cost: "quadratic", learning_rate: 0.5, batch_size: 4, data: { dataset: "xor" } };
  assert.equal(followKey(config), followKey({ ...config, learning_rate: 0.1, batch_size: 2 }));
  assert.notEqual(followKey(config), followKey({ ...config, data: { dataset: "circle" } }));
});

test("predictions: the step page's by session id, a follower's by join code", async () => {
  const api = recordingApi();
  await sessionSource(api).predictions(session([3, 2, 1]));
  await classSource(api, "7KQ2MX").predictions(session([3, 2, 1]));
  assert.deepEqual(api.calls, [["predictions", "s1"], ["classPredictions", "7KQ2MX"]]);
});
