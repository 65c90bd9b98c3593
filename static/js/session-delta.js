// Session states as deltas (docs/API.md, "since"): the page sends the version of
// the state it holds and gets back what changed. mergeState rebuilds the whole
// state from the held one and a delta: it only copies, keeps and appends what the
// server sent — the step shown is picked out of the trace by the cursor.

// The parts every delta carries in full.
const SMALL = ["version", "cursor", "history", "diverged", "divergence", "evaluation"];

/** The cursor's step: its phase and its part of the trace (selection, not arithmetic). */
export function stepOf(trace, cursor) {
  const part = trace[cursor.phase];
  const entry = Array.isArray(part) ? part.find((e) => e.layer === cursor.layer) : part;
  return { phase: cursor.phase, ...entry };
}

/** Items of a history that starts at iteration `first`, changed as `change` says. */
function keepAndAppend(items, first, change, append) {
  const kept = items.filter((_, i) => change.from <= first + i && first + i < change.upto);
  return append(kept, change.append);
}

function mergeCosts(held, change) {
  if (Array.isArray(change)) return change;
  const first = held.cursor.iteration - held.cost_history.length;
  return keepAndAppend(held.cost_history, first, change, (kept, add) => kept.concat(add));
}

function mergeEvaluations(held, change) {
  if (!("from" in change)) return change;
  const keep = held.iteration.map((t) => change.from <= t && t < change.upto);
  const merged = {};
  for (const [name, values] of Object.entries(held)) {
    merged[name] = values.filter((_, i) => keep[i]).concat(change.append[name]);
  }
  return merged;
}

/** The whole state: `held` (the version `delta` was asked since) with `delta` applied. */
export function mergeState(held, delta) {
  const state = { ...held };
  for (const name of SMALL) state[name] = delta[name];
  if (delta.config) state.config = delta.config;
  if (delta.trace) {
    state.trace = delta.trace;
    state.network = delta.trace.network;
  }
  state.cost_history = mergeCosts(held, delta.cost_history);
  state.evaluations = mergeEvaluations(held.evaluations, delta.evaluations);
  state.step = stepOf(state.trace, state.cursor);
  return state;
}

/**
 * The state a session request leaves, asked as a delta from `held` when there is one
 * (a state of the same session): `call(since)` makes the request (since: `held`'s
 * version, or undefined for the whole state).
 */
export async function stateAfter(held, call) {
  const answer = await call(held?.version);
  return answer.delta ? mergeState(held, answer) : answer;
}
