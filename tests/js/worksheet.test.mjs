import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { givenMatrices, givenNumber, problemIntro, worksheetResults } from "../../static/js/worksheet.js";

const { trace } = JSON.parse(readFileSync(new URL("./fixtures/worked_example.json", import.meta.url), "utf8"));
const problem = {
  seed: 5,
  network: { layers: [3, 2, 1], activations: ["sigmoid", "sigmoid"], weights: [[[0.6, -0.6, -0.1], [0.5, -1, -0.5]], [[0.3, -0.1]]], biases: [[-0.6, -0.4], [-0.2]] },
  cost: "quadratic",
  inputs: [[0.4, 0.7, 0]],
  targets: [[0.01]],
  learning_rate: 0.5,
};

test("the given numbers: samples as columns, then each layer's W and b as a column", () => {
  const given = givenMatrices(problem);
  assert.deepEqual(given.map((g) => g.label), ["x = a⁰", "y", "W¹", "b¹", "W²", "b²"]);
  assert.deepEqual(given[0].data, [[0.4], [0.7], [0]]);
  assert.deepEqual(given[3].data, [[-0.6], [-0.4]]);
  assert.equal(givenNumber(-0.6), "\u22120.6");
  assert.equal(
    problemIntro(problem),
    "A 3-2-1 network (σ¹ = sigmoid, σ² = sigmoid), the quadratic cost, one sample, learning rate η = 0.5.",
  );
});

test("the results in the algorithm's order, each the trace's own numbers", () => {
  const results = worksheetResults(trace);
  assert.deepEqual(
    results.map((r) => r.label),
    ["z¹", "a¹", "z²", "a²", "δ²", "δ¹", "∂C/∂W²", "∂C/∂b²", "∂C/∂W¹", "∂C/∂b¹", "W² new", "b² new", "W¹ new", "b¹ new"],
  );
  assert.equal(results[4].data, trace.output_error.delta);
  assert.deepEqual(results[7].data, trace.gradients[0].biases.map((b) => [b]));
  assert.equal(results[10].data, trace.update[0].weights);
});
