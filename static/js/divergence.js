// Pure: what the page says when a session's numbers diverge — where, in the words
// of the steps a learner has just walked through (not the trace's field names),
// at which iteration, and a smaller learning rate to try. No DOM.
import { sup } from "./format.js";

const PHASE_WORDS = {
  forward: "the forward pass",
  output_error: "the output error",
  backward: "the backward pass",
  gradients: "the gradients",
  update: "the update",
};

/** The quantity a divergence names ({phase, layer, quantity}), as the page writes it. */
export function quantityWords({ phase, layer, quantity }) {
  const l = sup(layer);
  const above = sup(layer + 1);
  const names = {
    forward: { z: `the weighted input z${l}`, a: `the activation a${l}` },
    output_error: { cost: "the cost C", grad_a: "the cost's gradient ∇ₐC", delta: `the output error δ${l}` },
    backward: { weighted_error: `the error sent back, (W${above})ᵀδ${above}`, delta: `the error δ${l} of layer ${layer}` },
    gradients: { weights: `the gradient ∂C/∂W${l}`, biases: `the gradient ∂C/∂b${l}` },
    update: { weights: `the updated weights W${l}`, biases: `the updated biases b${l}` },
  };
  // a quantity this page does not know yet (a newer server): its name and where
  return names[phase]?.[quantity] ?? `${quantity} (layer ${layer}) in ${PHASE_WORDS[phase] ?? phase}`;
}

/**
 * The banner's sentence for a diverged session: the iteration, where in it, and —
 * after a training run — how far into the run it stopped. `run`: {from, to} the
 * iterations the run started and stopped at, or null.
 */
export function divergenceText(session, run = null) {
  const t = session.cursor.iteration;
  const d = session.divergence;
  const what = d ? `${quantityWords(d)} became infinite or undefined (shown as —)` : "its numbers are no longer finite (shown as —)";
  const where = d ? ` in ${PHASE_WORDS[d.phase] ?? d.phase}` : "";
  let text = `Iteration ${t.toLocaleString("en")} diverged${where}: ${what}.`;
  if (run && run.to === t) {
    const n = run.to - run.from;
    text += ` Training stopped there, ${n.toLocaleString("en")} iteration${n === 1 ? "" : "s"} into this run.`;
  }
  return text;
}

/** A learning rate ten times smaller, written without float noise (0.3 → 0.03). */
export function smallerRate(eta) {
  return Number((eta / 10).toPrecision(3));
}

/**
 * Where "Try a smaller η" restarts from: the iteration the last training run began
 * at (`run`: {sessionId, from}), when the session still keeps it — the weights a
 * diverged iteration starts from are usually too large already for any η to help —
 * else the oldest kept iteration; the current one when nothing earlier is kept.
 */
export function retryIteration(session, run = null) {
  const t = session.cursor.iteration;
  const oldest = session.history.can_step_back ? session.history.oldest_iteration : t;
  const from = run && run.sessionId === session.id && run.from <= t ? run.from : oldest;
  return Math.max(from, oldest);
}
