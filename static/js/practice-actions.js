// Practice mode and the guided lesson: the learner computes a step's result before
// the page shows it. The store's `practice` holds, per step visited while practising,
// what was asked, what was typed and the API's check answers; `lesson` the lesson's
// fading (practice.js), saved in localStorage so that it can be left and resumed.
// The page never judges an answer itself: POST …/check does.
import {
  PRACTICE_PARTS,
  askedEntries,
  answerFor,
  entryAt,
  entryLabel,
  iterationTally,
  lessonAfter,
  lessonAsks,
  newLesson,
  parseEntry,
  partLabel,
  partShape,
  readLesson,
  stepTally,
  tallyText,
} from "./practice.js";
import { stepLabel } from "./phases.js";

const LESSON_KEY = "backprop-lens:lesson";
const LESSON_PRESET = "worked_example";

/** Where a step's record lives: the session, the iteration and the step. */
const stepKey = (s) => `${s.id}:${s.cursor.iteration}:${s.cursor.index}`;

// The terms route's names (terms.js) of an answer's entries, for the hint.
const REF_QUANTITY = {
  forward: { z: "z", a: "a" },
  output_error: { delta: "delta" },
  backward: { delta: "delta" },
  gradients: { weights: "dC_dW", biases: "dC_db" },
  update: { weights: "W_new", biases: "b_new" },
};

/**
 * store, api, main.js's queue (`enqueue`), and the page's own actions it builds on:
 * createSession(config, after) (a new session, then the store patch `after`),
 * seek(index) and pick(target) (an entry's expansion, pick.js).
 */
export function practiceActions({ store, api, enqueue, createSession, seek, pick, storage = globalThis.localStorage }) {
  let seen = null; // {id, iteration}: the iteration whose steps are being tallied
  const tallied = new Set(); // "id:iteration" already tallied: stepping back and on again moves no lesson twice

  const saveLesson = (lesson) => {
    try {
      if (lesson) storage?.setItem(LESSON_KEY, JSON.stringify(lesson));
    } catch {
      // storage full or refused: the lesson still runs, it only cannot be resumed
    }
  };
  const savedLesson = () => {
    try {
      return readLesson(storage?.getItem(LESSON_KEY));
    } catch {
      return null;
    }
  };

  /** Whether the current step asks the learner (practice on; in a lesson, its phase faded). */
  function asks(session) {
    const { practice, lesson } = store.state;
    if (!practice || !session) return false;
    const step = session.steps[session.cursor.index];
    return !lesson || lessonAsks(lesson, step.phase);
  }

  function newRecord(session) {
    const step = session.steps[session.cursor.index];
    const parts = PRACTICE_PARTS[step.phase].map((part) => {
      const shape = partShape(session.trace, step.phase, step.layer, part);
      return { part, shape, label: partLabel(step.phase, part, step.layer), asked: askedEntries(shape) };
    });
    return { phase: step.phase, layer: step.layer, label: stepLabel(step), parts, status: "ask", values: {}, responses: null, first: null, errors: {} };
  }

  const setRecord = (key, record) => {
    const practice = store.state.practice;
    store.set({ practice: { ...practice, steps: { ...practice.steps, [key]: record } } });
  };

  /** The iteration that just ended, tallied; the lesson moves on from it. */
  function endIteration(session, ended) {
    const practice = store.state.practice;
    const prefix = `${session.id}:${ended}:`;
    const records = Object.entries(practice.steps).filter(([k]) => k.startsWith(prefix)).map(([, r]) => r);
    const tallies = records.map((r) => ({ label: r.label, ...(r.first ?? notAnswered(r)) }));
    const words = Object.assign({}, ...records.map((r) => r.words ?? {}));
    const tally = iterationTally(tallies, words);
    const summary = { iteration: ended, tally, text: tallyText(ended, tally) };
    const { lesson } = store.state;
    if (!lesson) {
      store.set({ practice: { ...practice, summary } });
      return;
    }
    // a step the lesson asked for and the learner did not get right at the first check
    const wrong = session.steps
      .map((step, index) => ({ step, record: practice.steps[`${prefix}${index}`] }))
      .filter(({ step, record }) => lessonAsks(lesson, step.phase) && !(record?.first && record.first.right === record.first.total))
      .map(({ step }) => step.phase);
    const next = { ...lessonAfter(lesson, wrong, session.cursor.iteration), sessionId: session.id };
    saveLesson(next);
    store.set({ practice: { ...practice, summary }, lesson: next });
  }

  /** The first entry a check found wrong: {part, index}, or null. */
  const firstWrong = (parts, responses) => {
    for (const p of parts) {
      const response = responses.find((r) => r.part === p.part).response;
      const index = p.asked.find((ix) => entryAt(response, ix).verdict === "wrong");
      if (index) return { part: p.part, index };
    }
    return null;
  };

  const notAnswered = (r) => ({ right: 0, total: r.parts.reduce((n, p) => n + p.asked.length, 0), mistakes: [] });

  /** Follows the cursor: a new iteration is tallied; a step that asks gets its record. */
  function follow() {
    const { session, practice, lesson, problem } = store.state;
    if (problem && session && problem.sessionId !== session.id) store.set({ problem: null });
    if (!practice || !session) return;
    if (lesson && lesson.sessionId !== session.id) {
      store.set({ lesson: null }); // another session replaced the lesson's: the lesson stays saved
      return;
    }
    const here = { id: session.id, iteration: session.cursor.iteration };
    const before = seen;
    seen = here; // first: ending the iteration changes the store, which calls this again
    const ended = `${session.id}:${before?.iteration}`;
    if (before && before.id === here.id && here.iteration > before.iteration && !tallied.has(ended)) {
      tallied.add(ended);
      endIteration(session, before.iteration);
    }
    if (lesson) {
      saveLesson({ ...store.state.lesson, iteration: session.cursor.iteration, index: session.cursor.index });
    }
    const key = stepKey(session);
    if (asks(session) && !store.state.practice.steps[key]) {
      setRecord(key, newRecord(session));
      if (store.state.playing) store.set({ playing: false }); // practice stops before each result
    }
  }
  store.addEventListener("change", (e) => {
    if (e.detail.keys.includes("session") || e.detail.keys.includes("practice") || e.detail.keys.includes("lesson")) follow();
  });

  const current = () => {
    const session = store.state.session;
    const key = session ? stepKey(session) : null;
    return { session, key, record: key ? store.state.practice?.steps[key] : null };
  };

  const actions = {
    /** Practice on or off (off ends a lesson too; its progress stays saved to resume). */
    togglePractice() {
      if (store.state.practice) {
        store.set({ practice: null, lesson: null });
        return;
      }
      seen = null;
      store.set({ practice: { steps: {}, summary: null }, playing: false });
    },

    /**
     * Check what the learner typed: `typed` maps part → {"r,c": text}. Entries that do
     * not read as numbers are named and nothing is sent.
     */
    checkAnswer(typed) {
      const { session, key, record } = current();
      if (!record) return Promise.resolve();
      const values = {};
      const errors = {};
      for (const p of record.parts) {
        values[p.part] = {};
        for (const index of p.asked) {
          const id = index.join(",");
          const read = parseEntry(typed[p.part]?.[id]);
          if (read.error) errors[`${p.part}:${id}`] = `${entryLabel(p.label, index)}: ${read.error}`;
          else values[p.part][id] = read.value;
        }
      }
      if (Object.keys(errors).length > 0) {
        setRecord(key, { ...record, values: typed, errors });
        return Promise.resolve();
      }
      return enqueue(async () => {
        const responses = [];
        for (const p of record.parts) {
          const body = { phase: record.phase, layer: record.layer, part: p.part, answer: answerFor(p.shape, values[p.part]) };
          responses.push({ part: p.part, response: await api.check(session.id, body) });
        }
        const asked = Object.fromEntries(record.parts.map((p) => [p.part, p.asked]));
        const tally = stepTally(asked, responses);
        const words = Object.assign({}, ...responses.map((r) => r.response.explanations));
        const latest = store.state.practice?.steps[key] ?? record;
        setRecord(key, {
          ...latest,
          values: typed,
          errors: {},
          responses,
          words: { ...(latest.words ?? {}), ...words },
          first: latest.first ?? tally,
          status: tally.right === tally.total ? "revealed" : latest.status,
        });
        // in the lesson, a wrong answer is worked again at once: the first wrong entry written out
        const wrong = store.state.lesson && firstWrong(record.parts, responses);
        if (wrong) await actions.hint(wrong.part, wrong.index);
      });
    },

    /** Show the step's result (the equation's masked matrices). */
    reveal() {
      const { key, record } = current();
      if (!record) return;
      setRecord(key, { ...record, status: "revealed", first: record.first ?? notAnswered(record) });
    },

    /** The hint: an entry's expansion (the engine's terms), as a click on it would open. */
    hint(part, index) {
      const { record } = current();
      const p = record?.parts.find((x) => x.part === part);
      if (!p) return undefined;
      const response = record.responses?.find((r) => r.part === part)?.response;
      const value = response ? (index.length === 1 ? response.entries[index[0]] : response.entries[index[0]][index[1]]).expected : null;
      const quantity = REF_QUANTITY[record.phase][part];
      const ref = { quantity, layer: record.layer, index: index.length === 1 ? index : [index[0], index[1]] };
      return pick({ entry: null, cells: [], name: entryLabel(p.label, index), value, ref, diagram: null });
    },

    /** The guided lesson on the worked example: a new one, or the saved one resumed. */
    async startLesson() {
      const saved = savedLesson();
      const preset = store.state.presets.find((p) => p.name === LESSON_PRESET);
      if (!preset) return;
      const lesson = saved ?? newLesson(0);
      const config = lesson.iteration > 0 ? { ...preset.config, fast_forward: lesson.iteration } : preset.config;
      await createSession(config, (session) => ({
        lastPreset: LESSON_PRESET,
        practice: { steps: {}, summary: null },
        lesson: { ...lesson, sessionId: session.id },
        problem: null,
      }));
      const s = store.state.session;
      if (s && lesson.index > 0 && lesson.index < s.steps.length) await seek(lesson.index);
    },

    /** Leave the lesson: practice stays on, the lesson's progress stays saved. */
    leaveLesson() {
      store.set({ lesson: null });
    },

    /** Start the lesson again from its first, fully worked iteration. */
    restartLesson() {
      try {
        storage?.removeItem(LESSON_KEY);
      } catch {
        // nothing saved to forget
      }
      return actions.startLesson();
    },

    savedLesson,

    /** After a reload onto the lesson's own session: the lesson goes on where it was. */
    resumeLessonHere() {
      const saved = savedLesson();
      const s = store.state.session;
      if (!saved || !s || saved.sessionId !== s.id) return false;
      seen = { id: s.id, iteration: s.cursor.iteration };
      store.set({ practice: { steps: {}, summary: null }, lesson: saved });
      return true;
    },

    /** A problem drawn from a seed (POST /exercises), as a new session to practise on. */
    async newProblem(seed) {
      const problem = await api.exercise({ seed });
      const { network, cost, inputs, targets, learning_rate: learningRate } = problem;
      const config = { network, cost, inputs, targets, learning_rate: learningRate };
      await createSession(config, (session) => ({
        lesson: null,
        problem: { seed: problem.seed, layers: network.layers, sessionId: session.id },
        practice: store.state.practice ?? { steps: {}, summary: null },
      }));
    },
  };
  return actions;
}
