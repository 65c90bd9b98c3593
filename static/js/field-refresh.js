// The step page's boundary and data (store.state.field and sessionData), kept
// up with the session outside training runs: a finished iteration, a reset or
// a new session redraws them; a training run draws its own (training-run.js)
// and says so with drawn(), so that a late refresh does not overwrite it.
import { ApiError } from "./api.js";
import { loadField, sessionSource } from "./field-source.js";

const hiddenCount = (s) => (s ? s.network.layers.length - 2 : 0);
const keyOf = (s) => `${s.id}:${s.cursor.iteration}:${s.diverged}`;

export function fieldRefresh({ store, api, fail }) {
  const source = sessionSource(api);
  let token = 0; // the newest request; older answers are dropped
  let dataFor = null; // the session whose samples are in the store
  let lastKey = null; // the session state whose field was asked for last

  /** The boundary (and every hidden neuron, for 2-D inputs) of the session as it stands. */
  function fetchField(session, wantNeurons = true) {
    return loadField(source, session, wantNeurons && hiddenCount(session) > 0 && !store.state.presenting);
  }

  async function refresh() {
    const session = store.state.session;
    if (!session) return;
    const mine = ++token;
    try {
      if (dataFor !== session.id) {
        dataFor = session.id;
        const data = await source.data(session);
        if (mine === token) store.set({ sessionData: { ...data, id: session.id } });
      }
      const field = await fetchField(session);
      if (mine === token) store.set({ field });
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 404)) fail(err);
    }
  }

  store.addEventListener("change", (e) => {
    if (!e.detail.keys.includes("session") || store.state.training) return;
    const s = store.state.session;
    const key = s ? keyOf(s) : null;
    if (key === lastKey) return;
    lastKey = key;
    if (s) refresh();
  });

  return {
    refresh,
    fetchField,
    /** A training run has drawn `session`'s field: a refresh still on its way must not replace it. */
    drawn(session) {
      token += 1;
      lastKey = keyOf(session);
    },
  };
}
