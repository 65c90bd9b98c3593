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

/**
 * A longer accessible name for a step. It starts with the visible label (WCAG 2.5.3,
 * label in name): speech control users say what they see ("z¹, a¹") to press it.
 */
export function stepTitle(step, index) {
  const phase = (PHASE_TITLES[step.phase] ?? step.phase).toLowerCase();
  return `${stepLabel(step)}: step ${index + 1}, ${phase}, layer ${step.layer}`;
}

/**
 * What the views show at step `index` of an iteration's `steps` (the API's
 * list, in order), so that the diagram, the equation and the timeline agree
 * on what is known at the cursor. Plain data:
 * - step: the current step {phase, layer}; L: the number of weight layers;
 * - steps[i]: "done" | "current" | "upcoming" (the timeline);
 * - costKnown: the batch's cost C is known (from the output error on);
 * - facts: what the equation notes under its numbers ("cost" where C is
 *   computed, "batch" at the gradients' 1/m, "eta" at the update);
 * - flow: "forward" | "backward", the diagram's direction;
 * - errors: the neurons are in the error colours (δ) rather than the values' (a);
 * - neurons[l] (l = 0 … L): what layer l's neurons show: "a", "delta",
 *   "bias_change" (−η·∂C/∂b) or null (not computed yet at this step);
 * - edges[l] (l = 1 … L; edges[0] is null): the weights into layer l as
 *   {shows: "w" | "grad" (∂C/∂w) | "change" (−η·∂C/∂w), active};
 * - bands[l]: "current" (the layer this step computes), "source" (the layer
 *   its input comes from) or null;
 * - arrows: {layer, direction}, the neurons the flow arrives at, or null.
 */
export function visibleAt(steps, index) {
  const step = steps[index];
  const { phase, layer } = step;
  const outputError = steps.findIndex((s) => s.phase === "output_error");
  const L = outputError >= 0 ? steps[outputError].layer : layer;
  const layers = Array.from({ length: L + 1 }, (_, l) => l);
  const upstream = (l) => l >= layer && l >= 1; // layers the backward recursion has reached
  const neuronShows = (l) => {
    if (phase === "forward") return l <= layer ? "a" : null;
    if (phase === "output_error" || phase === "backward") return upstream(l) ? "delta" : "a";
    if (phase === "gradients") return l >= 1 ? "delta" : "a";
    return upstream(l) ? "bias_change" : null; // update
  };
  const edgeShows = (l) => {
    if (phase === "gradients" && l >= layer) return "grad";
    if (phase === "update" && l >= layer) return "change";
    return "w";
  };
  const edgeActive = (l) =>
    (phase === "forward" && l === layer) ||
    (phase === "backward" && l === layer + 1) ||
    ((phase === "gradients" || phase === "update") && l >= layer);
  const source = phase === "forward" ? layer - 1 : phase === "backward" ? layer + 1 : null;
  const arrives = phase === "forward" ? "forward" : phase === "output_error" || phase === "backward" ? "backward" : null;
  return {
    step,
    L,
    steps: steps.map((_, i) => (i < index ? "done" : i === index ? "current" : "upcoming")),
    costKnown: outputError >= 0 && index >= outputError,
    facts: { output_error: ["cost"], gradients: ["batch"], update: ["eta"] }[phase] ?? [],
    flow: phase === "forward" ? "forward" : "backward",
    errors: phase === "output_error" || phase === "backward" || phase === "gradients",
    neurons: layers.map(neuronShows),
    edges: layers.map((l) => (l === 0 ? null : { shows: edgeShows(l), active: edgeActive(l) })),
    bands: layers.map((l) => (l === layer ? "current" : l === source ? "source" : null)),
    arrows: arrives ? { layer, direction: arrives } : null,
  };
}
