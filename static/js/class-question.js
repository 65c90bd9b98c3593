// Class questions, the pure parts (tested under node): the follower id a page
// keeps, what a reloaded follower's page holds, and the rows the instructor's
// distribution draws. Every number here is
// one the API gave (counts, bin edges, a mistake's value); this only lays them out.

const ID_KEY = "backprop-lens:follower";

/**
 * The random id this browser answers with, kept in `storage` (the page gives
 * localStorage: one id for every tab, kept when the tab closes and the link is opened
 * again, so a student counts once and finds their answer). Storage that refuses
 * (private browsing) gives an id for this page only.
 */
export function followerId(storage, random = globalThis.crypto) {
  let kept = null;
  try {
    kept = storage?.getItem(ID_KEY);
  } catch {
    kept = null;
  }
  if (kept && /^[A-Za-z0-9_-]{8,64}$/.test(kept)) return kept;
  const bytes = random.getRandomValues(new Uint8Array(12));
  const id = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  try {
    storage?.setItem(ID_KEY, id);
  } catch {
    // refused: this page keeps the id; a reload gets a new one
  }
  return id;
}

/**
 * A follower's question after reading the class's latest one with its own answer
 * (GET …/question?follower=, when the page opens or its stream reconnects): the
 * server's answer to the current round fills `mine`, and after the reveal the right
 * one shows. Null when nothing changes: no question, or the page already holds a
 * different or later one (its events are newer than this read).
 */
export function heldFromLatest(held, latest) {
  const { question } = latest;
  if (!question) return null;
  if (held && held.question.question_id !== question.question_id) return null;
  if (held && held.question.round > question.round) return null;
  const revealed = question.revealed && latest.answer !== null && latest.answer !== undefined;
  return { question, mine: latest.your_answer ?? null, answer: revealed ? latest.answer : null, error: null };
}

/** "1 answer", "12 answers". */
export function answersText(n) {
  return `${n} ${n === 1 ? "answer" : "answers"}`;
}

/** A share of the largest count, for a bar's length (0 … 1). */
function shares(counts) {
  const top = Math.max(1, ...counts);
  return counts.map((c) => c / top);
}

/**
 * The bars of one round: an option per bar (every kind but number), or the
 * histogram's bars as the API drew them (number: the far answers below and above
 * the bins counted in bars of their own; a question's rounds share their bins).
 * Each bar: {label, count, share, right, note}.
 */
export function roundBars(distribution) {
  if (distribution.options) {
    const s = shares(distribution.options.map((o) => o.count));
    return distribution.options.map((o, i) => ({
      label: o.label,
      count: o.count,
      share: s[i],
      right: o.right,
      note: o.mistake ? mistakeName(o.mistake) : o.right ? "right" : "",
    }));
  }
  const { bars } = distribution.histogram;
  const s = shares(bars.map((b) => b.count));
  return bars.map((bar, i) => ({
    label: binLabel(bar),
    count: bar.count,
    share: s[i],
    right: bar.right,
    note: bar.right ? "the right answer" : "",
  }));
}

/**
 * A histogram bar's label: "0.0086 … 0.0088", "below 0.0084", "above 0.0092", or
 * one number's bar "0.0088". The edges are written as the API gave them: it puts
 * them on round numbers (and a one-number bar is an answer as typed).
 */
export function binLabel({ low, high }) {
  if (low === null) return `below ${edgeText(high)}`;
  if (high === null) return `above ${edgeText(low)}`;
  if (low === high) return edgeText(low);
  return `${edgeText(low)} … ${edgeText(high)}`;
}

function edgeText(x) {
  return String(x).replaceAll("-", "\u2212");
}

/** A known mistake's name in words: "missing_bias" → "missing bias". */
export function mistakeName(name) {
  return name.replaceAll("_", " ");
}

/**
 * A number question's answers by what they match: right, each known mistake
 * someone made (named, with its words and value), other. Groups nobody is in
 * are left out, except right.
 */
export function numberGroups(distribution) {
  return (distribution.groups ?? [])
    .filter((g) => g.name === "right" || g.count > 0)
    .map((g) => ({
      name: g.name === "right" || g.name === "other" ? g.name : mistakeName(g.name),
      words: g.words ?? "",
      value: g.value,
      count: g.count,
      mistake: g.name !== "right" && g.name !== "other",
    }));
}

/**
 * The step a question is about: the one after the cursor (its result is the coming
 * one), or the cursor's own at the iteration's last step. {phase, layer, index}.
 */
export function comingStep(session) {
  const { index } = session.cursor;
  const next = Math.min(index + 1, session.steps.length - 1);
  return { ...session.steps[next], index: next };
}
