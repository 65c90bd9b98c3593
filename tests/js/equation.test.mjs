import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import {
  activationOf,
  column,
  deltaOf,
  describeCell,
  equationLines,
  findCells,
  refCells,
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
  // the weighted error and σ′ are shown once, in lines 0 and 1: the links say where
  assert.deepEqual(back[2].links(1, 2), [
    { line: 0, key: "weighted_error", cells: [[1, 2]] },
    { line: 1, key: "sigma_prime", cells: [[1, 2]] },
  ]);
  assert.deepEqual(back[1].links(1, 2), [
    { key: "z", cells: [[1, 2]] },
    { key: "a", cells: [[1, 2]] },
  ]);
  assert.deepEqual(fwd[1].links(2, 1), [{ line: 0, key: "z", cells: [[2, 1]] }]);
  assert.equal(matrices([back[2]]).some((t) => t.key === "weighted_error" || t.key === "sigma_prime"), false);
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

test("every operand is on screen: aᴸ and y beside ∇ₐC, z and a beside σ′", () => {
  const t = xor.trace; // tanh then sigmoid, m = 4
  const out = equationLines({ phase: "output_error", layer: 2 }, t, { cost: "cross_entropy" });
  assert.deepEqual(find([out[0]], "a").data, t.forward[1].a);
  assert.deepEqual(find([out[0]], "y").data, t.batch.y);
  assert.deepEqual(find([out[0]], "grad_a", "result").data, t.output_error.grad_a);
  assert.equal(out[0].terms[3].text, "→ (a² − y) ⊘ (a² ⊙ (1 − a²)) =");
  assert.deepEqual(find([out[1]], "z").data, t.forward[1].z);
  assert.deepEqual(find([out[1]], "sigma_prime", "result").data, t.output_error.sigma_prime);
  assert.equal(out[1].terms[3].text, "→ a² ⊙ (1 − a²) =");
  assert.deepEqual(find([out[2]], "delta", "result").data, t.output_error.delta);
  assert.deepEqual(out[2].links(0, 3), [
    { line: 0, key: "grad_a", cells: [[0, 3]] },
    { line: 1, key: "sigma_prime", cells: [[0, 3]] },
  ]);
  const back = equationLines({ phase: "backward", layer: 1 }, t);
  assert.deepEqual(find([back[1]], "z").data, t.forward[0].z);
  assert.deepEqual(find([back[1]], "a").data, t.forward[0].a);
  assert.equal(back[1].terms[3].text, "→ 1 − a¹ ⊙ a¹ =");
  // without the cost, ∇ₐC is named by its operands
  assert.equal(equationLines({ phase: "output_error", layer: 2 }, t)[0].terms[3].text, "→ ∇ₐC(a², y) =");
});

test("a softmax output shows the focused sample's Jacobian J, with the trace's numbers", () => {
  const t = structuredClone(xor.trace); // made a softmax output: the lines only arrange what the trace holds
  t.output_error.form = "softmax_jacobian";
  t.output_error.sigma_prime = null;
  t.output_error.jacobian = [[[0.1]], [[0.2]], [[0.3]], [[0.4]]];
  const lines = equationLines({ phase: "output_error", layer: 2 }, t, { sample: 2 });
  assert.equal(lines.length, 2);
  const J = find(lines, "jacobian");
  assert.deepEqual(J.data, [[0.3]]);
  assert.equal(J.text, "J (sample 2)");
  assert.deepEqual(describeCell(J, 0, 0).ref, { quantity: "J", layer: 2, index: [2, 0, 0] });
  assert.deepEqual(lines[1].links(0, 2), [
    { key: "jacobian", cells: [[0, 0]] },
    { line: 0, key: "grad_a", cells: [[0, 2]] },
  ]);
  assert.deepEqual(lines[1].links(0, 1)[0], { key: "jacobian", cells: [] }); // another sample's J is not shown
  // a J the cursor's sample does not own has no cell; a wide output keeps J as a symbol
  assert.deepEqual(refCells(lines, { quantity: "J", layer: 2, index: [1, 0, 0] }), []);
  assert.deepEqual(refCells(lines, { quantity: "J", layer: 2, index: [2, 0, 0] }), [{ line: 1, key: "jacobian", row: 0, col: 0 }]);
  delete t.output_error.jacobian;
  assert.equal(find(equationLines({ phase: "output_error", layer: 2 }, t), "jacobian"), undefined);
});

test("describeCell names a cell's entry as the terms route does", () => {
  const t = worked.trace;
  const back = equationLines({ phase: "backward", layer: 1 }, t);
  assert.deepEqual(describeCell(find(back, "weights_T"), 0, 1), {
    name: "W²[1][0]",
    value: 0.5,
    ref: { quantity: "W", layer: 2, index: [1, 0] },
    diagram: { edge: [2, 1, 0] },
  });
  const grads = equationLines({ phase: "gradients", layer: 1 }, t);
  const bias = describeCell(find(grads, "grad_biases"), 1, 0);
  assert.deepEqual(bias.ref, { quantity: "dC_db", layer: 1, index: [1] });
  assert.equal(bias.value, t.gradients[1].biases[1]);
  assert.deepEqual(describeCell(find(grads, "a_prev_T"), 0, 1).ref, { quantity: "a", layer: 0, index: [1, 0] });
});

test("findCells: the cells a neuron or an edge of the diagram shows, for the diagram's sample", () => {
  const t = xor.trace; // m = 4
  const back = equationLines({ phase: "backward", layer: 1 }, t);
  assert.deepEqual(
    findCells(back, { neuron: [1, 2] }, 3).map((c) => [c.line, c.key, c.row, c.col, c.role]),
    [
      [0, "weighted_error", 2, 3, "result"],
      [1, "z", 2, 3, "operand"],
      [1, "a", 2, 3, "operand"],
      [1, "sigma_prime", 2, 3, "result"],
      [2, "delta", 2, 3, "result"],
    ],
  );
  assert.deepEqual(findCells(back, { edge: [2, 0, 1] }, 0), [{ line: 0, key: "weights_T", row: 1, col: 0, role: "operand" }]);
  const grads = equationLines({ phase: "gradients", layer: 1 }, t);
  assert.deepEqual(
    findCells(grads, { neuron: [0, 1] }, 2).map((c) => [c.key, c.row, c.col]),
    [["a_prev_T", 2, 1]],
  );
  assert.deepEqual(findCells(grads, { neuron: [2, 0] }, 0), []); // not in this step's equation
});

test("refCells: every cell that shows an entry of the expansion", () => {
  const t = worked.trace;
  const out = equationLines({ phase: "output_error", layer: 2 }, t, { cost: "quadratic" });
  // a² is shown twice (∇ₐC's operand and σ′'s): both cells
  assert.deepEqual(refCells(out, { quantity: "a", layer: 2, index: [1, 0] }), [
    { line: 0, key: "a", row: 1, col: 0 },
    { line: 1, key: "a", row: 1, col: 0 },
  ]);
  assert.deepEqual(refCells(out, { quantity: "y", layer: null, index: [0, 0] }), [{ line: 0, key: "y", row: 0, col: 0 }]);
  const back = equationLines({ phase: "backward", layer: 1 }, t);
  assert.deepEqual(refCells(back, { quantity: "W", layer: 2, index: [1, 0] }), [{ line: 0, key: "weights_T", row: 0, col: 1 }]);
  assert.deepEqual(refCells(back, { quantity: "W", layer: 1, index: [1, 0] }), []);
  const upd = equationLines({ phase: "update", layer: 2 }, t);
  assert.deepEqual(refCells(upd, { quantity: "b", layer: 2, index: [1] }), [{ line: 1, key: "biases", row: 1, col: 0 }]);
});

test("the update shows the optimizer's quantities and the step it took, from the trace", async () => {
  const { equationLines, formulaTex, stepLabel } = await import("../../static/js/equation.js");
  const trace = {
    network: { layers: [1, 1], activations: ["sigmoid"], weights: [[[0.5]]], biases: [[0.1]] },
    batch: { a0: [[1]], y: [[0]] },
    learning_rate: 0.1,
    optimizer: { name: "adam", beta1: 0.9, beta2: 0.999, eps: 1e-8, t: 2 },
    weight_decay: 0,
    update: [
      {
        layer: 1, weights: [[0.4]], biases: [0.2], eta_grad_weights: [[0.1]], eta_grad_biases: [-0.1],
        optimizer_weights: { m: [[0.01]], v: [[0.02]], m_hat: [[0.03]], v_hat: [[0.04]] },
        optimizer_biases: { m: [0.05], v: [0.06], m_hat: [0.07], v_hat: [0.08] },
      },
    ],
  };
  const lines = equationLines({ phase: "update", layer: 1 }, trace);
  const matrices = lines.flatMap((l) => l.terms.filter((t) => t.kind === "matrix"));
  const byKey = Object.fromEntries(matrices.map((t) => [t.key, t]));
  assert.deepEqual(byKey.m_hat_weights.data, [[0.03]]);
  assert.deepEqual(byKey.v_hat_biases.data, [[0.08]]);
  assert.equal(byKey.eta_grad_weights.text, "η·m̂ / (√v̂ + ε)");
  assert.equal(stepLabel({ name: "sgd" }, "w"), "η·∂C/∂w");
  assert.match(formulaTex({ phase: "update", layer: 1 }, trace), /\\hat m = \\frac\{m\}\{1 - \\beta_1\^\{t\}\}/);
  assert.match(formulaTex({ phase: "update", layer: 1 }, trace), /\\epsilon = 10\^\{-8\}/);
});
