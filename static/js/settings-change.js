// Changing the learning rate, the batch size, the update rule or the weight decay of
// the running session, in place
// (PATCH /api/v1/sessions/{id}): the current iteration is recomputed with the new
// values, earlier iterations keep what they ran with, and nothing returns to
// iteration 0. Also what the page does about a diverged session: the controls
// that cannot go on say why, and a smaller η is one press away.
import { stateAfter } from "./session-delta.js";
import { retryIteration, smallerRate } from "./divergence.js";

const WORDS = { learning_rate: "η", batch_size: "batch size", weight_decay: "weight decay λ", optimizer: "update rule" };

/** "η = 0.05 and batch size = 8" for the fields of a PATCH body (a rule by its name). */
const describe = (changes) =>
  Object.entries(changes)
    .map(([k, v]) => `${WORDS[k] ?? k} = ${k === "optimizer" ? v.name : v}`)
    .join(" and ");

export function settingsActions({ store, api, enqueue, applySession }) {
  /**
   * PATCH `changes` ({learning_rate?, batch_size?, optimizer?, weight_decay?}) into the session. `refused(err)`
   * gives the store patch that reports a 4xx (the settings panel shows it there);
   * without it the error goes to the status line.
   */
  function changeSettings(changes, { refused = null } = {}) {
    return enqueue(async () => {
      const s = store.state.session;
      if (!s) return;
      let next;
      try {
        next = await stateAfter(s, (since) => api.patch(s.id, changes, since));
      } catch (err) {
        if (!refused || !(err.status >= 400 && err.status < 500)) throw err;
        store.set(refused(err));
        return;
      }
      applySession(next);
      const t = next.cursor.iteration;
      const still = next.diverged ? " The numbers still diverge: step back to an earlier iteration and lower η there, or reset." : "";
      const text = `${describe(changes)} from iteration ${t.toLocaleString("en")} on (recomputed); earlier iterations keep what they ran with.${still}`;
      store.set({ configError: null, message: { kind: next.diverged ? "error" : "info", text } });
    });
  }

  return {
    changeSettings,
    /**
     * The divergence banner's offer: back to where the last run began (or the oldest
     * kept iteration), and from there on the diverged iteration's η divided by ten.
     */
    trySmallerRate() {
      const s = store.state.session;
      if (!s) return Promise.resolve();
      const eta = smallerRate(s.trace.learning_rate);
      const target = retryIteration(s, store.state.lastRun);
      store.set({ playing: false });
      enqueue(async () => {
        let held = store.state.session;
        while (held.cursor.iteration > target || (held.cursor.iteration === target && held.cursor.index > 0)) {
          const back = held;
          held = await stateAfter(back, (since) => api.step(back.id, "back", "iteration", since));
        }
        applySession(held);
      });
      return changeSettings({ learning_rate: eta });
    },
    /**
     * True (and the status line says why) when the session has diverged, so that
     * `what` ("Training", "Finishing the iteration") cannot go on.
     */
    blockedByDivergence(what) {
      const s = store.state.session;
      if (!s?.diverged) return false;
      const eta = smallerRate(s.trace.learning_rate);
      store.set({
        message: {
          kind: "info",
          text: `${what} is off while iteration ${s.cursor.iteration.toLocaleString("en")}'s numbers are not finite: try η = ${eta} (above), step back, or reset.`,
        },
      });
      return true;
    },
  };
}
