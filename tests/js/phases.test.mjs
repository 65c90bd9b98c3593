import assert from "node:assert/strict";
import { test } from "node:test";
import {
  PHASES,
  costKnown,
  flowDirection,
  groupSteps,
  iterationSteps,
  phaseStart,
  showsErrors,
  stepLabel,
  stepTitle,
} from "../../static/js/phases.js";

test("the phases are DESIGN.md's, in order", () => {
  assert.deepEqual(PHASES, ["forward", "output_error", "backward", "gradients", "update"]);
});

test("one iteration is 4L steps in the cursor's order", () => {
  const steps = iterationSteps(3);
  assert.equal(steps.length, 12);
  assert.deepEqual(
    steps.map((s) => `${s.phase}${s.layer}`),
    ["forward1", "forward2", "forward3", "output_error3", "backward2", "backward1",
     "gradients3", "gradients2", "gradients1", "update3", "update2", "update1"],
  );
});

test("groupSteps keeps indices and groups consecutive phases", () => {
  const groups = groupSteps(iterationSteps(2));
  assert.deepEqual(groups.map((g) => g.phase), PHASES);
  assert.deepEqual(groups[3].steps.map((s) => [s.index, s.layer]), [[4, 2], [5, 1]]);
  assert.deepEqual(groupSteps([]), []);
});

test("labels name what each step computes", () => {
  assert.equal(stepLabel({ phase: "forward", layer: 1 }), "z¹, a¹");
  assert.equal(stepLabel({ phase: "output_error", layer: 2 }), "δ²");
  assert.equal(stepLabel({ phase: "gradients", layer: 2 }), "∂C/∂W²");
  assert.equal(stepLabel({ phase: "update", layer: 1 }), "W¹, b¹ ←");
  assert.equal(stepTitle({ phase: "backward", layer: 1 }, 3), "Step 4: Backward pass, layer 1 (δ¹)");
});

test("phase starts, cost availability and flow direction", () => {
  const steps = iterationSteps(3);
  assert.equal(phaseStart(steps, 5), 4);
  assert.equal(phaseStart(steps, 0), 0);
  assert.equal(costKnown(steps, 2), false);
  assert.equal(costKnown(steps, 3), true);
  assert.equal(flowDirection("forward"), "forward");
  assert.equal(flowDirection("backward"), "backward");
  assert.equal(showsErrors("backward"), true);
  assert.equal(showsErrors("forward"), false);
});
