import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { stepCsv, stepJson, stepLatex, stepNumpy } from "../../static/js/step-export.js";

const { trace } = JSON.parse(readFileSync(new URL("./fixtures/xor_batch4.json", import.meta.url)));
const cursor = { iteration: 3 };
const steps = [
  { phase: "forward", layer: 1 },
  { phase: "output_error", layer: 2 },
  { phase: "backward", layer: 1 },
  { phase: "gradients", layer: 2 },
  { phase: "update", layer: 1 },
];

test("the operands are the equation panel's, once each", () => {
  const keys = Object.keys(JSON.parse(stepJson(steps[0], trace, cursor)).operands);
  assert.deepEqual(keys, ["weights", "a_prev", "biases", "z", "a"]);
});

test("CSV and JSON carry full precision", () => {
  const W = trace.network.weights[0];
  const csv = stepCsv(steps[0], trace, cursor);
  assert.match(csv, /^# Backprop Lens: iteration 3, forward layer 1\n# weights \(W¹\), 3x2\n/);
  assert.ok(csv.includes(`${W[0][0]},${W[0][1]}`));
  const json = JSON.parse(stepJson(steps[0], trace, cursor));
  assert.deepEqual(json.operands.weights, W);
  assert.equal(json.batch_size, 4);
});

test("LaTeX has the formula and bmatrix operands; NumPy checks each phase", () => {
  for (const step of steps) {
    const tex = stepLatex(step, trace, cursor, 3);
    assert.ok(tex.includes("\\begin{bmatrix}"), step.phase);
    const py = stepNumpy(step, trace, cursor);
    assert.ok(py.startsWith("# Backprop Lens: iteration 3"), step.phase);
    assert.match(py, /assert np\.allclose/, step.phase);
    assert.ok(!py.includes("undefined"), step.phase);
  }
});

test("LaTeX writes a zero as 0, never -0, and its minus signs as -", () => {
  const signed = structuredClone(trace);
  signed.network.weights[0][0][0] = -0; // as JSON.parse("-0.0") gives it
  signed.network.weights[0][0][1] = -0.5;
  signed.network.weights[0][1][0] = -1.5e-7;
  const tex = stepLatex(steps[0], signed, cursor, 3);
  assert.match(tex, /\\begin\{bmatrix\} 0 & -0\.500 \\\\ -1\.50e-7 & /);
  assert.doesNotMatch(tex, /-0(?![.\d])/);
  assert.doesNotMatch(tex, /\u2212/);
});

test("NumPy for an Adam update with weight decay recomputes m̂, v̂ and the step it took", () => {
  const adam = JSON.parse(readFileSync(new URL("./fixtures/adam_decay.json", import.meta.url))).trace;
  // (the API's trace of a 2-3-1 session at its 4th iteration, Adam, λ = 0.05)
  const update = stepNumpy({ phase: "update", layer: 2 }, adam, cursor);
  assert.match(update, /^t = 4 {2}# Adam's updates so far/m);
  assert.match(update, /^m_hat_W = m_W2 \/ \(1 - beta1\*\*t\)$/m);
  assert.match(update, /^W_new = W2 - eta \* m_hat_W \/ \(np\.sqrt\(v_hat_W\) \+ eps\)$/m);
  assert.match(update, /^beta2 = 0\.999$/m);
  const gradients = stepNumpy({ phase: "gradients", layer: 2 }, adam, cursor);
  assert.match(gradients, /^dC_dW = delta2 @ a1\.T \/ m \+ lam \* W2/m);
  assert.match(gradients, /^lam = 0\.05 {2}# weight decay λ$/m);
});
