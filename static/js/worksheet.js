// Pure: what a worksheet shows for a problem (POST /api/v1/exercises) and the trace of
// its iteration (POST /api/v1/backprop on it): the given matrices, and the results to
// compute in the algorithm's order, with their numbers for the answer key. It selects
// and arranges the API's numbers (a transpose is a re-indexing); it computes nothing.
import { transpose } from "./equation.js";
import { sup } from "./format.js";

const column = (vector) => vector.map((x) => [x]);

/** A problem's given numbers: x and y as columns (samples are columns), then each Wˡ, bˡ. */
export function givenMatrices(problem) {
  const { network } = problem;
  const given = [
    { label: "x = a⁰", data: transpose(problem.inputs) },
    { label: "y", data: transpose(problem.targets) },
  ];
  network.weights.forEach((W, i) => {
    given.push({ label: `W${sup(i + 1)}`, data: W }, { label: `b${sup(i + 1)}`, data: column(network.biases[i]) });
  });
  return given;
}

/** The problem in words: its layers, activations, cost and learning rate. */
export function problemIntro(problem) {
  const { layers, activations } = problem.network;
  const m = problem.inputs.length;
  const acts = activations.map((a, i) => `σ${sup(i + 1)} = ${a}`).join(", ");
  const samples = m === 1 ? "one sample" : `${m} samples`;
  return `A ${layers.join("-")} network (${acts}), the ${problem.cost.replace(/_/g, " ")} cost, ${samples}, learning rate η = ${problem.learning_rate}.`;
}

/** The results of one iteration, in step order: [{phase, layer, label, data}] from a trace. */
export function worksheetResults(trace) {
  const L = trace.network.layers.length - 1;
  const results = [];
  for (const f of trace.forward) {
    const s = sup(f.layer);
    results.push({ phase: "forward", layer: f.layer, label: `z${s}`, data: f.z });
    results.push({ phase: "forward", layer: f.layer, label: `a${s}`, data: f.a });
  }
  results.push({ phase: "output_error", layer: L, label: `δ${sup(L)}`, data: trace.output_error.delta });
  for (const b of trace.backward) results.push({ phase: "backward", layer: b.layer, label: `δ${sup(b.layer)}`, data: b.delta });
  for (const g of trace.gradients) {
    const s = sup(g.layer);
    results.push({ phase: "gradients", layer: g.layer, label: `∂C/∂W${s}`, data: g.weights });
    results.push({ phase: "gradients", layer: g.layer, label: `∂C/∂b${s}`, data: column(g.biases) });
  }
  for (const u of trace.update) {
    const s = sup(u.layer);
    results.push({ phase: "update", layer: u.layer, label: `W${s} new`, data: u.weights });
    results.push({ phase: "update", layer: u.layer, label: `b${s} new`, data: column(u.biases) });
  }
  return results;
}

/** A problem's number as given (one or two decimals), with a typographic minus. */
export function givenNumber(value) {
  return String(value).replace("-", "\u2212");
}
