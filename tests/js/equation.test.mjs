import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import {
  activationOf,
  column,
  deltaOf,
  equationLines,
  formulaTex,
  transpose,
} from "../../static/js/equation.js";

const load = (name) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8"));
const worked = load("worked_example.json"); // the API's session state for the 2-2-2 worked example
const xor = load("xor_batch4.json"); // 2-3-1 on XOR, batch of 4

const matrices = (lines) => lines.flatMap((l) => l.terms.filter((t) => t.kind === "matrix"));
const find = (lines, key, role) => matrices(lines).find((t) => t.key === key && (!role || t.role === role));

test("transpose and column only re-index", () => {
  assert.deepEqual(transpose([[1, 2, 3], [4, 5, 6]]), [[1, 4], [2, 5], [3, 6]]);
  assert.deepEqual(transpose([]), []);
  assert.deepEqual(column([1, 2]), [[1], [2]]);
});

test("activationOf and deltaOf read the trace by layer", () => {
  const t = worked.trace;
  assert.deepEqual(activationOf(t, 0), t.batch.a0);
  assert.deepEqual(activationOf(t, 2), t.forward[1].a);
  assert.deepEqual(deltaOf(t, 2), t.output_error.delta);
  assert.deepEqual(deltaOf(t, 1), t.backward[0].delta);
});

test("every step of the worked example has a formula and lines whose result is the API's", () => {
  const t = worked.trace;
  for (const step of worked.steps) {
    assert.ok(formulaTex(step, t).length > 10, `${step.phase} ${step.layer}`);
    const lines = equationLines(step, t);
    assert.ok(lines.length >= 1);
    for (const line of lines) assert.equal(line.terms.filter((x) => x.role === "result").length, 1);
  }
  const back = equationLines({ phase: "backward", layer: 1 }, t);
  assert.deepEqual(find(back, "delta", "result").data, t.backward[0].delta);
  assert.deepEqual(find(back, "weights_T").data, transpose(t.network.weights[1]));
  assert.equal(find(back, "weights_T").name(1, 0), "W²[0][1]");
  const grads = equationLines({ phase: "gradients", layer: 2 }, t);
  assert.deepEqual(find(grads, "grad_weights").data, t.gradients[0].weights);
  assert.deepEqual(find(grads, "grad_biases").data, column(t.gradients[0].biases));
  const upd = equationLines({ phase: "update", layer: 2 }, t);
  assert.deepEqual(find(upd, "new_weights").data, t.update[0].weights);
  assert.deepEqual(find(upd, "eta_grad_weights").data, t.update[0].eta_grad_weights);
  assert.deepEqual(find(upd, "weights").data, t.network.weights[1]);
});

test("shapes follow DESIGN.md, with the transposes' shapes swapped", () => {
  const t = xor.trace; // layers 2-3-1, m = 4
  const fwd = equationLines({ phase: "forward", layer: 1 }, t);
  assert.deepEqual(find(fwd, "weights").shape, [3, 2]);
  assert.deepEqual(find(fwd, "a_prev").shape, [2, 4]);
  assert.deepEqual(find(fwd, "biases").shape, [3]);
  assert.deepEqual(find(fwd, "z", "result").shape, [3, 4]);
  const back = equationLines({ phase: "backward", layer: 1 }, t);
  assert.deepEqual(find(back, "weights_T").shape, [3, 1]);
  const grads = equationLines({ phase: "gradients", layer: 1 }, t);
  assert.deepEqual(find(grads, "a_prev_T").shape, [4, 2]);
  assert.equal(grads[0].terms[0].text, "1/4");
});

test("hover links: a product's row and column, a Hadamard product's same cell", () => {
  const t = xor.trace;
  const fwd = equationLines({ phase: "forward", layer: 1 }, t);
  assert.deepEqual(fwd[0].links(2, 3), [
    { key: "weights", cells: [[2, 0], [2, 1]] },
    { key: "a_prev", cells: [[0, 3], [1, 3]] },
    { key: "biases", cells: [[2, 0]] },
  ]);
  const back = equationLines({ phase: "backward", layer: 1 }, t);
  // the weighted error is shown once, in line 0: the link says where
  assert.deepEqual(back[1].links(1, 2), [
    { line: 0, key: "weighted_error", cells: [[1, 2]] },
    { key: "sigma_prime", cells: [[1, 2]] },
  ]);
  assert.deepEqual(fwd[1].links(2, 1), [{ line: 0, key: "z", cells: [[2, 1]] }]);
  assert.equal(matrices([back[1]]).some((t) => t.key === "weighted_error"), false);
  const grads = equationLines({ phase: "gradients", layer: 2 }, t);
  assert.deepEqual(grads[0].links(0, 1), [
    { key: "delta", cells: [[0, 0], [0, 1], [0, 2], [0, 3]] },
    { key: "a_prev_T", cells: [[0, 1], [1, 1], [2, 1], [3, 1]] },
  ]);
});

test("cells map to the diagram: weights to edges, activations and deltas to neurons", () => {
  const t = worked.trace;
  const grads = equationLines({ phase: "gradients", layer: 2 }, t);
  assert.deepEqual(find(grads, "grad_weights").diagram(1, 0), { edge: [2, 1, 0] });
  const back = equationLines({ phase: "backward", layer: 1 }, t);
  assert.deepEqual(find(back, "weights_T").diagram(0, 1), { edge: [2, 1, 0] });
  assert.deepEqual(find(back, "delta", "result").diagram(1, 0), { neuron: [1, 1] });
});
