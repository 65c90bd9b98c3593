// The five phases of one iteration, declared once, in DESIGN.md's order, and
// pure helpers over the API's `steps` list ({phase, layer} in order).
import { sup } from "./format.js";

export const PHASES = ["forward", "output_error", "backward", "gradients", "update"];

export const PHASE_TITLES = {
  forward: "Forward pass",
  output_error: "Output error",
  backward: "Backward pass",
  gradients: "Gradients",
  update: "Update",
};

/** The diagram's direction of flow for a phase. */
export function flowDirection(phase) {
  return phase === "forward" ? "forward" : "backward";
}

/** Phases whose neurons show δ (the error colour scheme) rather than a. */
export function showsErrors(phase) {
  return phase === "output_error" || phase === "backward" || phase === "gradients";
}

/** The 4L steps for L weight layers (the same order the API sends). */
export function iterationSteps(L) {
  const steps = [];
  for (let l = 1; l <= L; l += 1) steps.push({ phase: "forward", layer: l });
  steps.push({ phase: "output_error", layer: L });
  for (let l = L - 1; l >= 1; l -= 1) steps.push({ phase: "backward", layer: l });
  for (let l = L; l >= 1; l -= 1) steps.push({ phase: "gradients", layer: l });
  for (let l = L; l >= 1; l -= 1) steps.push({ phase: "update", layer: l });
  return steps;
}

/** Steps grouped by phase, keeping each step's index: [{phase, steps: [{index, phase, layer}]}]. */
export function groupSteps(steps) {
  const groups = [];
  steps.forEach((step, index) => {
    const last = groups[groups.length - 1];
    const item = { index, phase: step.phase, layer: step.layer };
    if (last && last.phase === step.phase) last.steps.push(item);
    else groups.push({ phase: step.phase, steps: [item] });
  });
  return groups;
}

/** What a step computes, in a few characters: "a¹", "δ²", "∂C/∂W²", "W² ←". */
export function stepLabel(step) {
  const l = sup(step.layer);
  switch (step.phase) {
    case "forward":
      return `z${l}, a${l}`;
    case "output_error":
    case "backward":
      return `δ${l}`;
    case "gradients":
      return `∂C/∂W${l}`;
    case "update":
      return `W${l}, b${l} ←`;
    default:
      return step.phase;
  }
}

/** A longer accessible name for a step. */
export function stepTitle(step, index) {
  return `Step ${index + 1}: ${PHASE_TITLES[step.phase] ?? step.phase}, layer ${step.layer} (${stepLabel(step)})`;
}

/** Index of the first step of the phase containing `index`. */
export function phaseStart(steps, index) {
  let i = index;
  while (i > 0 && steps[i - 1].phase === steps[index].phase) i -= 1;
  return i;
}

/** True once the cost C is known (from the output_error step on). */
export function costKnown(steps, index) {
  const at = steps.findIndex((s) => s.phase === "output_error");
  return at >= 0 && index >= at;
}
