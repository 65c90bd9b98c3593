// The picked entry: a cell of the equation, or a neuron or an edge of the
// diagram, that the learner clicked, tapped or pressed Enter on — and the
// engine's terms for it, fetched through `fetchTerms(session, query)` (the
// session's or the live class's GET …/terms). The store holds it as `pick`;
// the equation, the diagram and the expansion panel render it. A pick belongs
// to the step it was made at: moving the cursor closes it.
import { termsQuery } from "./terms.js";

/** What a pick belongs to: the session, the cursor, and the learning rate (a PATCH changes the update's numbers). */
const stepKey = (s) => (s ? `${s.id}:${s.cursor.iteration}:${s.cursor.index}:${s.trace.learning_rate}` : null);

const sameEntry = (a, b) => Boolean(a && b) && a.line === b.line && a.key === b.key && a.row === b.row && a.col === b.col;

export function pickActions({ store, fetchTerms }) {
  let picks = 0;

  store.addEventListener("change", (e) => {
    const { pick, session } = store.state;
    if (pick && e.detail.keys.includes("session") && pick.step !== stepKey(session)) store.set({ pick: null });
  });

  return {
    /**
     * Open an entry. target: {entry: {line, key, row, col} (the equation's cell) or null,
     * cells (the equation's cells a diagram pick matched), name, value, ref (the entry
     * in the terms route's names, or null), diagram (its neuron or edge), pending (not
     * computed yet), t0 (the click's time, for the expansion's timing)}. Picking the
     * open cell again closes it.
     */
    async pick(target) {
      const { session, pick: open } = store.state;
      if (!session) return;
      if (open && target.entry && sameEntry(open.entry, target.entry)) {
        store.set({ pick: null });
        return;
      }
      const L = session.trace.network.layers.length - 1;
      const query = target.ref && !target.pending ? termsQuery(target.ref, L) : null;
      picks += 1;
      const id = picks;
      const base = { cells: [], ...target, id, step: stepKey(session), query, terms: null, error: null, unfolded: false };
      store.set({ pick: base });
      if (!query) return;
      try {
        const terms = await fetchTerms(session, query);
        if (store.state.pick?.id === id) store.set({ pick: { ...store.state.pick, terms } });
      } catch (err) {
        if (store.state.pick?.id === id) store.set({ pick: { ...store.state.pick, error: err.message } });
      }
    },
    unpick() {
      if (store.state.pick) store.set({ pick: null });
    },
    /** Show every term of a long sum and every sample of a mean. */
    unfoldPick() {
      const { pick } = store.state;
      if (pick && !pick.unfolded) store.set({ pick: { ...pick, unfolded: true } });
    },
  };
}
