import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { explain } from "../../static/js/explain.js";
import { shortcutFor } from "../../static/js/views/controls.js";

const ctx = { L: 3, m: 4, activation: "tanh", cost: "quadratic", form: "hadamard", eta: 0.5 };
// the API's steps for the 2-2-2 worked example
const { steps } = JSON.parse(readFileSync(new URL("./fixtures/worked_example.json", import.meta.url), "utf8"));

test("every step has two or three sentences naming its layer", () => {
  for (const step of steps) {
    const text = explain(step, ctx);
    assert.ok(text.length >= 2 && text.length <= 3, `${step.phase}`);
    assert.ok(text.join(" ").length > 80);
  }
  assert.match(explain({ phase: "backward", layer: 1 }, ctx).join(" "), /transpose \(W²\)ᵀ/);
  assert.match(explain({ phase: "gradients", layer: 2 }, ctx).join(" "), /1\/m = 1\/4/);
  assert.match(explain({ phase: "output_error", layer: 3 }, { ...ctx, form: "softmax_jacobian" }).join(" "), /Jacobian/);
});

test("keyboard shortcuts map to actions", () => {
  const key = (k, shiftKey = false) => ({ key: k, shiftKey, ctrlKey: false, metaKey: false, altKey: false });
  assert.equal(shortcutFor(key("ArrowRight")), "step-forward");
  assert.equal(shortcutFor(key("ArrowLeft", true)), "phase-back");
  assert.equal(shortcutFor(key(" ")), "play");
  assert.equal(shortcutFor(key("Enter")), "finish");
  assert.equal(shortcutFor(key("r")), "reset");
  assert.equal(shortcutFor(key("?", true)), "help");
  assert.equal(shortcutFor({ ...key("r"), ctrlKey: true }), null);
  assert.equal(shortcutFor(key("x")), null);
});

test("the sentences read as English for every activation, layer and cost", () => {
  const activations = ["sigmoid", "tanh", "relu", "leaky_relu", "linear", "softmax"];
  const costs = ["quadratic", "cross_entropy", "softmax_cross_entropy"];
  for (const activation of activations) {
    for (const cost of costs) {
      for (const step of steps) {
        const text = explain(step, { ...ctx, L: 2, activation, cost }).join(" ");
        assert.doesNotMatch(text, /\b(whose the|the the|a a|an the|of of)\b/, `${activation} ${cost} ${step.phase}`);
        assert.doesNotMatch(text, /undefined|null|NaN/, `${activation} ${cost} ${step.phase}`);
        assert.doesNotMatch(text, /layer L \(the output\) compares/);
      }
    }
  }
  const backward = (activation) => explain({ phase: "backward", layer: 1 }, { ...ctx, activation }).join(" ");
  assert.match(backward("sigmoid"), /a neuron where the sigmoid is flat at its input passes little error on/);
  assert.match(backward("linear"), /σ′ is 1 everywhere/);
  assert.match(backward("relu"), /only the neurons that were active/);
  const forward = (layer) => explain({ phase: "forward", layer }, { ...ctx, L: 2 }).join(" ");
  assert.match(forward(1), /the activations a¹ that layer 2 will use/);
  assert.match(forward(2), /the network's output a², which the cost compares with the target y/);
  assert.match(explain({ phase: "update", layer: 2 }, ctx)[0], /against its gradient, by the learning rate η = 0.5 times that gradient/);
});

test("the update says what the optimizer does, with its settings; gradients mention weight decay", () => {
  const ctx = { L: 2, m: 4, activation: "tanh", cost: "quadratic", form: "hadamard", eta: 0.01 };
  const adam = explain({ phase: "update", layer: 1 }, { ...ctx, optimizer: { name: "adam", beta1: 0.9, beta2: 0.999, eps: 1e-8, t: 3 } });
  assert.match(adam.join(" "), /m̂ = m \/ \(1 − β₁ᵗ\).*t = 3 is the number of updates so far/);
  const momentum = explain({ phase: "update", layer: 2 }, { ...ctx, optimizer: { name: "momentum", momentum: 0.9, nesterov: false } });
  assert.match(momentum[0], /velocity v² .* μ = 0\.9/);
  const sgd = explain({ phase: "update", layer: 1 }, { ...ctx, optimizer: { name: "sgd" } });
  assert.match(sgd[0], /^Gradient descent moves every weight/);
  const decayed = explain({ phase: "gradients", layer: 1 }, { ...ctx, weightDecay: 0.01 });
  assert.match(decayed.at(-1), /adds λ·W¹ \(λ = 0\.01\)/);
});
