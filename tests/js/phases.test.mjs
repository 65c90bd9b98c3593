import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { PHASES, groupSteps, stepLabel, stepTitle, visibleAt } from "../../static/js/phases.js";

// the API's steps for the 2-2-2 worked example (L = 2), and a 3-layer network's
const worked = JSON.parse(readFileSync(new URL("./fixtures/worked_example.json", import.meta.url), "utf8")).steps;
const STEPS_L3 = [
  ["forward", 1], ["forward", 2], ["forward", 3], ["output_error", 3], ["backward", 2], ["backward", 1],
  ["gradients", 3], ["gradients", 2], ["gradients", 1], ["update", 3], ["update", 2], ["update", 1],
].map(([phase, layer]) => ({ phase, layer }));
const at = (phase, layer, steps = STEPS_L3) => steps.findIndex((s) => s.phase === phase && s.layer === layer);

test("the phases are DESIGN.md's, in order", () => {
  assert.deepEqual(PHASES, ["forward", "output_error", "backward", "gradients", "update"]);
  assert.deepEqual([...new Set(worked.map((s) => s.phase))], PHASES);
});

test("groupSteps keeps indices and groups consecutive phases", () => {
  const groups = groupSteps(worked);
  assert.deepEqual(groups.map((g) => g.phase), PHASES);
  assert.deepEqual(groups[3].steps.map((s) => [s.index, s.layer]), [[4, 2], [5, 1]]);
  assert.deepEqual(groupSteps([]), []);
});

test("labels name what each step computes", () => {
  assert.equal(stepLabel({ phase: "forward", layer: 1 }), "z¹, a¹");
  assert.equal(stepLabel({ phase: "output_error", layer: 2 }), "δ²");
  assert.equal(stepLabel({ phase: "gradients", layer: 2 }), "∂C/∂W²");
  assert.equal(stepLabel({ phase: "update", layer: 1 }), "W¹, b¹ ←");
  assert.equal(stepTitle({ phase: "backward", layer: 1 }, 3), "δ¹: step 4, backward pass, layer 1");
});

test("forward: a is known up to the layer computed; weights flow into it", () => {
  const v = visibleAt(STEPS_L3, at("forward", 2));
  assert.deepEqual(v.step, { phase: "forward", layer: 2 });
  assert.equal(v.L, 3);
  assert.deepEqual(v.steps.slice(0, 3), ["done", "current", "upcoming"]);
  assert.equal(v.costKnown, false);
  assert.deepEqual(v.facts, []);
  assert.equal(v.flow, "forward");
  assert.equal(v.errors, false);
  assert.deepEqual(v.neurons, ["a", "a", "a", null]);
  assert.deepEqual(v.edges, [null, { shows: "w", active: false }, { shows: "w", active: true }, { shows: "w", active: false }]);
  assert.deepEqual(v.bands, [null, "source", "current", null]);
  assert.deepEqual(v.arrows, { layer: 2, direction: "forward" });
});

test("output error: C is known from here on and the output layer shows δ", () => {
  const v = visibleAt(STEPS_L3, at("output_error", 3));
  assert.equal(v.costKnown, true);
  assert.deepEqual(v.facts, ["cost"]);
  assert.equal(v.flow, "backward");
  assert.equal(v.errors, true);
  assert.deepEqual(v.neurons, ["a", "a", "a", "delta"]);
  assert.ok(v.edges.slice(1).every((e) => e.shows === "w" && !e.active));
  assert.deepEqual(v.bands, [null, null, null, "current"]);
  assert.deepEqual(v.arrows, { layer: 3, direction: "backward" });
});

test("backward: δ reaches down to the layer computed, through the weights above it", () => {
  const v = visibleAt(STEPS_L3, at("backward", 1));
  assert.deepEqual(v.neurons, ["a", "delta", "delta", "delta"]);
  assert.deepEqual(v.edges.map((e) => e?.active ?? null), [null, false, true, false]);
  assert.deepEqual(v.bands, [null, "current", "source", null]);
  assert.deepEqual(v.arrows, { layer: 1, direction: "backward" });
});

test("gradients and update: edges from the layer computed up show ∂C/∂w, then the change", () => {
  const g = visibleAt(STEPS_L3, at("gradients", 2));
  assert.deepEqual(g.facts, ["batch"]);
  assert.deepEqual(g.neurons, ["a", "delta", "delta", "delta"]);
  assert.deepEqual(g.edges.slice(1), [{ shows: "w", active: false }, { shows: "grad", active: true }, { shows: "grad", active: true }]);
  assert.equal(g.arrows, null);
  assert.deepEqual(g.bands, [null, null, "current", null]);
  const u = visibleAt(STEPS_L3, at("update", 2));
  assert.deepEqual(u.facts, ["eta"]);
  assert.equal(u.errors, false);
  assert.equal(u.flow, "backward");
  assert.deepEqual(u.neurons, [null, null, "bias_change", "bias_change"]);
  assert.deepEqual(u.edges.slice(1).map((e) => e.shows), ["w", "change", "change"]);
  assert.equal(u.arrows, null);
});

test("the timeline's states and the cost follow the cursor through the API's steps", () => {
  const outputError = at("output_error", 2, worked);
  worked.forEach((_, index) => {
    const v = visibleAt(worked, index);
    assert.equal(v.L, 2);
    assert.equal(v.steps.filter((s) => s === "done").length, index);
    assert.equal(v.steps[index], "current");
    assert.equal(v.costKnown, index >= outputError, `step ${index}`);
    assert.equal(v.neurons.length, 3);
  });
});
