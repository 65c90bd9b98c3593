import assert from "node:assert/strict";
import { test } from "node:test";
import { divergenceText, quantityWords, retryIteration, smallerRate } from "../../static/js/divergence.js";

const session = (iteration, divergence, history = { oldest_iteration: 0, can_step_back: true }) => ({
  id: "s1",
  cursor: { iteration, phase: "forward", layer: 1, index: 0 },
  divergence,
  history,
});

test("a divergence is named in the steps' words, not the trace's keys", () => {
  assert.equal(quantityWords({ phase: "output_error", layer: 3, quantity: "delta" }), "the output error δ³");
  assert.equal(quantityWords({ phase: "forward", layer: 2, quantity: "z" }), "the weighted input z²");
  assert.equal(quantityWords({ phase: "backward", layer: 1, quantity: "weighted_error" }), "the error sent back, (W²)ᵀδ²");
  assert.equal(quantityWords({ phase: "update", layer: 12, quantity: "weights" }), "the updated weights W¹²");
  // a quantity a newer server names: its name and where, never nothing
  assert.equal(quantityWords({ phase: "update", layer: 2, quantity: "velocity" }), "velocity (layer 2) in the update");
});

test("the banner says the iteration, where, and how far into the run training stopped", () => {
  const s = session(1234, { phase: "output_error", layer: 2, quantity: "cost" });
  assert.equal(
    divergenceText(s),
    "Iteration 1,234 diverged in the output error: the cost C became infinite or undefined (shown as —).",
  );
  assert.equal(
    divergenceText(s, { from: 1000, to: 1234 }),
    "Iteration 1,234 diverged in the output error: the cost C became infinite or undefined (shown as —). Training stopped there, 234 iterations into this run.",
  );
  // a run that ended elsewhere (the learner stepped on) is not this divergence's
  assert.ok(!divergenceText(s, { from: 0, to: 1000 }).includes("run"));
});

test("a smaller η is ten times smaller, without float noise", () => {
  assert.equal(smallerRate(0.5), 0.05);
  assert.equal(smallerRate(0.3), 0.03);
  assert.equal(smallerRate(100), 10);
  assert.equal(smallerRate(0.7), 0.07);
});

test("a retry goes back to where the run began, if it is kept", () => {
  const s = session(60, null, { oldest_iteration: 10, can_step_back: true });
  assert.equal(retryIteration(s, { sessionId: "s1", from: 40 }), 40);
  assert.equal(retryIteration(s, { sessionId: "s1", from: 0 }), 10); // older than the kept history
  assert.equal(retryIteration(s, { sessionId: "other", from: 40 }), 10);
  assert.equal(retryIteration(s, null), 10);
  assert.equal(retryIteration(session(0, null, { oldest_iteration: 0, can_step_back: false }), null), 0);
});
