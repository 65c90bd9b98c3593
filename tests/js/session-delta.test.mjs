import assert from "node:assert/strict";
import { test } from "node:test";

import { mergeState, stateAfter, stepOf } from "../../static/js/session-delta.js";

const trace = (tag) => ({
  network: { layers: [1, 1], tag },
  forward: [{ layer: 1, z: [[tag]], a: [[tag]] }],
  output_error: { layer: 1, grad_a: [[tag]], delta: [[tag]] },
  backward: [],
  gradients: [{ layer: 1, weights: [[tag]], biases: [tag] }],
  update: [{ layer: 1, weights: [[tag]], biases: [tag] }],
});

const held = () => ({
  id: "S",
  version: "v-old",
  config: { cost: "quadratic" },
  network: trace(1).network,
  cursor: { iteration: 12, phase: "forward", layer: 1, index: 0 },
  steps: [{ phase: "forward", layer: 1 }],
  step: { phase: "forward", layer: 1, z: [[1]], a: [[1]] },
  trace: trace(1),
  cost_history: [0.9, 0.8, 0.7], // iterations 9, 10, 11
  history: { oldest_iteration: 0, can_step_back: false, replayable: true },
  diverged: false,
  divergence: null,
  evaluation: { iteration: 12, train: { cost: 0.5, accuracy: null }, test: null },
  evaluations: { iteration: [0, 5, 12], train_cost: [1, 0.9, 0.5], test_cost: [null, null, null], train_accuracy: [null, null, null], test_accuracy: [null, null, null] },
});

const small = (cursor) => ({
  id: "S",
  version: "v-new",
  delta: true,
  cursor,
  history: { oldest_iteration: 0, can_step_back: true, replayable: true },
  diverged: false,
  divergence: null,
  evaluation: { iteration: cursor.iteration, train: { cost: 0.4, accuracy: null }, test: null },
});

const noRows = { iteration: [], train_cost: [], test_cost: [], train_accuracy: [], test_accuracy: [] };

test("a step within an iteration moves the cursor and picks its step out of the trace", () => {
  const cursor = { iteration: 12, phase: "gradients", layer: 1, index: 2 };
  const state = mergeState(held(), {
    ...small(cursor),
    cost_history: { from: 9, upto: 12, append: [] },
    evaluations: { from: 0, upto: 13, append: noRows },
  });
  assert.equal(state.version, "v-new");
  assert.deepEqual(state.cursor, cursor);
  assert.deepEqual(state.step, { phase: "gradients", layer: 1, weights: [[1]], biases: [1] });
  assert.deepEqual(state.cost_history, [0.9, 0.8, 0.7]);
  assert.deepEqual(state.evaluations, held().evaluations);
  assert.deepEqual(state.trace, held().trace);
  assert.equal("delta" in state, false);
});

test("a new iteration brings its trace and network, and histories keep and append", () => {
  const cursor = { iteration: 11, phase: "output_error", layer: 1, index: 1 };
  const state = mergeState(held(), {
    ...small(cursor),
    trace: trace(2),
    cost_history: { from: 10, upto: 11, append: [0.75] }, // drop iteration 9, 11 changed
    evaluations: { from: 0, upto: 6, append: { ...noRows, iteration: [11], train_cost: [0.6], test_cost: [null], train_accuracy: [null], test_accuracy: [null] } },
  });
  assert.deepEqual(state.cost_history, [0.8, 0.75]);
  assert.deepEqual(state.network, { layers: [1, 1], tag: 2 });
  assert.deepEqual(state.step, { phase: "output_error", layer: 1, grad_a: [[2]], delta: [[2]] });
  assert.deepEqual(state.evaluations.iteration, [0, 5, 11]);
  assert.deepEqual(state.evaluations.train_cost, [1, 0.9, 0.6]);
});

test("whole histories and a new configuration replace what was held", () => {
  const cursor = { iteration: 0, phase: "forward", layer: 1, index: 0 };
  const state = mergeState(held(), { ...small(cursor), config: { cost: "cross_entropy" }, cost_history: [], evaluations: noRows });
  assert.deepEqual(state.cost_history, []);
  assert.deepEqual(state.evaluations, noRows);
  assert.deepEqual(state.config, { cost: "cross_entropy" });
});

test("stateAfter asks since the held version and merges; without a held state it asks all", async () => {
  const asked = [];
  const whole = { id: "S", version: "v1" };
  assert.equal(await stateAfter(null, async (since) => (asked.push(since), whole)), whole);
  const cursor = { iteration: 12, phase: "forward", layer: 1, index: 0 };
  const delta = { ...small(cursor), cost_history: [], evaluations: noRows };
  const merged = await stateAfter(held(), async (since) => (asked.push(since), delta));
  assert.deepEqual(asked, [undefined, "v-old"]);
  assert.equal(merged.version, "v-new");
  assert.deepEqual(stepOf(merged.trace, cursor), merged.step);
});
