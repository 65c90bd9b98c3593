// Pure helpers of practice mode and the guided lesson: which results a step asks
// for, which of their entries, how a typed entry reads, the iteration's tally and
// the lesson's fading. No DOM and no math on the model's numbers: the answers are
// checked by the API (POST …/check), which also says the right numbers.
import { PHASES } from "./phases.js";
import { sup } from "./format.js";

/** The results each phase asks for, as the check route's `part`s, in the order asked. */
export const PRACTICE_PARTS = {
  forward: ["z", "a"],
  output_error: ["delta"],
  backward: ["delta"],
  gradients: ["weights", "biases"],
  update: ["weights", "biases"],
};

/** The equation's matrix (its data-matrix key, role result) that shows a part's answer. */
export function resultKey(phase, part) {
  if (phase === "gradients") return part === "weights" ? "grad_weights" : "grad_biases";
  if (phase === "update") return part === "weights" ? "new_weights" : "new_biases";
  return part; // z, a, delta
}

/** The part's name as the page writes it: "z¹", "δ²", "∂C/∂W²", "b¹ new". */
export function partLabel(phase, part, layer) {
  const s = sup(layer);
  if (phase === "gradients") return part === "weights" ? `∂C/∂W${s}` : `∂C/∂b${s}`;
  if (phase === "update") return part === "weights" ? `W${s} new` : `b${s} new`;
  return { z: `z${s}`, a: `a${s}`, delta: `δ${s}` }[part];
}

/**
 * The shape of a part's answer in the trace the API sent: [rows, cols], or [n] for a
 * bias (a flat list). Selection only.
 */
export function partShape(trace, phase, layer, part) {
  const L = trace.network.layers.length - 1;
  const byLayer = (list) => list.find((e) => e.layer === layer);
  let data;
  if (phase === "forward") data = byLayer(trace.forward)[part];
  else if (phase === "output_error" || phase === "backward") {
    data = layer === L ? trace.output_error.delta : byLayer(trace.backward).delta;
  } else data = byLayer(phase === "gradients" ? trace.gradients : trace.update)[part];
  return Array.isArray(data[0]) ? [data.length, data[0].length] : [data.length];
}

/** At most this many entries are typed per result; a bigger one asks for a few of them. */
export const MAX_TYPED = 12;
const FEW = 4;

/**
 * The entries of a result the learner is asked to type, as index lists ([r, c] or [j]):
 * all of them when there are at most MAX_TYPED, else FEW spread over the result (the
 * first, the last and two between, row-major).
 */
export function askedEntries(shape) {
  const cols = shape.length === 2 ? shape[1] : 1;
  const size = shape[0] * cols;
  const at = (k) => (shape.length === 2 ? [Math.floor(k / cols), k % cols] : [k]);
  if (size <= MAX_TYPED) return Array.from({ length: size }, (_, k) => at(k));
  const picks = [0, Math.floor(size / 3), Math.floor((2 * size) / 3), size - 1];
  return [...new Set(picks)].slice(0, FEW).map(at);
}

/** An entry's label: "δ²[1][0]", or "b¹ new[1]". */
export function entryLabel(label, index) {
  return `${label}${index.map((i) => `[${i}]`).join("")}`;
}

/**
 * What a typed entry reads as: {value: number} or {value: null} for an empty box, or
 * {error} when it is not a number. The typographic minus, a leading +, spaces and a
 * decimal comma are accepted (a phone's keyboard may offer only the comma).
 */
export function parseEntry(text) {
  const t = String(text ?? "")
    .trim()
    .replace(/\s+/g, "")
    .replace(/\u2212/g, "-")
    .replace(",", ".");
  if (t === "") return { value: null };
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) {
    return { error: `“${text}” is not a number: type digits with a point, e.g. −0.1234` };
  }
  return { value: Number(t) };
}

/**
 * The answer the check route takes for a part: its shape, the typed values at the
 * asked entries and null everywhere else (skipped). `values` maps "r,c" → number|null.
 */
export function answerFor(shape, values) {
  const get = (index) => values[index.join(",")] ?? null;
  if (shape.length === 1) return Array.from({ length: shape[0] }, (_, j) => get([j]));
  return Array.from({ length: shape[0] }, (_, r) => Array.from({ length: shape[1] }, (_, c) => get([r, c])));
}

/** A check answer's entry at an index. */
export function entryAt(response, index) {
  return index.length === 1 ? response.entries[index[0]] : response.entries[index[0]][index[1]];
}

/**
 * One step's first check, counted: {asked, right, mistakes} over the entries asked
 * (an asked entry left empty is not right), from the check route's answers per part.
 */
export function stepTally(asked, responses) {
  let right = 0;
  let total = 0;
  const mistakes = new Set();
  for (const { part, response } of responses) {
    for (const index of asked[part] ?? []) {
      total += 1;
      if (entryAt(response, index).verdict === "correct") right += 1;
    }
    for (const name of response.misconceptions) mistakes.add(name);
  }
  return { right, total, mistakes: [...mistakes] };
}

/**
 * An iteration's tally from its steps' tallies ({label, right, total, mistakes} each):
 * {right, total, mistakes: [{name, words, where: [labels]}]} in the order first met.
 */
export function iterationTally(steps, words = {}) {
  const found = new Map();
  let right = 0;
  let total = 0;
  for (const s of steps) {
    right += s.right;
    total += s.total;
    for (const name of s.mistakes) {
      if (!found.has(name)) found.set(name, { name, words: words[name] ?? name, where: [] });
      found.get(name).where.push(s.label);
    }
  }
  return { right, total, mistakes: [...found.values()] };
}

/** The tally in words: "7 of 9 entries right at the first check; mistakes: … (δ², δ¹)". */
export function tallyText(iteration, tally) {
  const head = `Iteration ${iteration}: ${tally.right} of ${tally.total} entries right at the first check`;
  if (tally.total === 0) return `Iteration ${iteration}: nothing was asked.`;
  if (tally.mistakes.length === 0) return `${head}; no known mistake came up.`;
  const list = tally.mistakes.map((m) => `${m.words} (${m.where.join(", ")})`).join("; ");
  return `${head}; mistakes: ${list}.`;
}

// ------------------------------------------------------------------ the lesson

/** The lesson's last level: every phase is the learner's. */
export const LAST_LEVEL = PHASES.length;

/** Short text for each phase of the lesson, in the algorithm's order. */
export const LESSON_TEXT = {
  forward:
    "Forward pass: each layer weighs the previous layer's activations, adds its bias (z = Wa + b) and applies its activation (a = σ(z)).",
  output_error:
    "Output error: how much the cost changes with each output's weighted input, δᴸ = ∇ₐC ⊙ σ′(zᴸ).",
  backward: "Backward pass: the error flows back through the transposed weights, δˡ = ((Wˡ⁺¹)ᵀδˡ⁺¹) ⊙ σ′(zˡ).",
  gradients: "Gradients: each weight's gradient is its error times the activation it multiplies, averaged over the batch.",
  update: "Update: every weight and bias takes a step of size η against its gradient, W ← W − η∂C/∂W.",
};

/** A new lesson: level 0 (the first iteration fully worked), nothing to work again. */
export function newLesson(iteration = 0) {
  return { level: 0, rework: [], start: iteration, iteration, index: 0, done: false };
}

/**
 * Whether the lesson asks the learner for a step of this phase: the last `level`
 * phases are theirs (worked examples fade from the end), except a phase answered
 * wrongly in the previous iteration, which is worked again first.
 */
export function lessonAsks(lesson, phase) {
  const faded = PHASES.slice(PHASES.length - lesson.level);
  return faded.includes(phase) && !lesson.rework.includes(phase);
}

/**
 * The lesson after an iteration, from the phases the learner got wrong at the first
 * check there: those are worked again next time and the level stays; otherwise one
 * more phase fades. At the last level with none wrong, the lesson is done.
 */
export function lessonAfter(lesson, wrongPhases, nextIteration) {
  const wrong = PHASES.filter((p) => wrongPhases.includes(p));
  const done = wrong.length === 0 && lesson.level >= LAST_LEVEL;
  const level = wrong.length === 0 ? Math.min(lesson.level + 1, LAST_LEVEL) : lesson.level;
  return { ...lesson, level, rework: wrong, iteration: nextIteration, index: 0, done };
}

/** What the lesson panel says about a step: worked, or the learner's turn. */
export function lessonNote(lesson, phase) {
  if (lesson.done) return "Lesson complete: you computed a whole iteration. Keep practising, or leave the lesson.";
  if (lesson.rework.includes(phase)) return "Worked again: this part went wrong last time. Follow it, then it is yours next iteration.";
  if (lessonAsks(lesson, phase)) return "Your turn: compute the result, then Check.";
  return "Worked example: read how the result comes out, then step on.";
}

/** A saved lesson read back (localStorage), or null when there is none or it is damaged. */
export function readLesson(text) {
  if (!text) return null;
  try {
    const l = JSON.parse(text);
    const ok =
      Number.isInteger(l?.level) && l.level >= 0 && l.level <= LAST_LEVEL &&
      Array.isArray(l.rework) && l.rework.every((p) => PHASES.includes(p)) &&
      Number.isInteger(l.iteration) && l.iteration >= 0 && Number.isInteger(l.index) && l.index >= 0;
    return ok ? { start: 0, done: false, sessionId: null, ...l } : null;
  } catch {
    return null;
  }
}
