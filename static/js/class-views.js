// A follower's training views: the cost curve, the decision boundary, the
// hidden neurons and the accuracy, kept up with the class as its events
// arrive. The cost curve and the accuracy come with every state event; the
// boundary and the neurons come from the class's read-only field/data routes
// (field-source.js's classSource), fetched one request at a time and at most
// every MIN_INTERVAL_MS, always ending on the newest state.
import { ApiError } from "./api.js";
import { loadField } from "./field-source.js";

const MIN_INTERVAL_MS = 250; // the boundary redraws at most 4 times a second

/**
 * A key that changes when the instructor's session is another one (a new
 * configuration): the same session keeps its configuration but for a PATCHed
 * learning rate or batch size. Followers never see the session id itself.
 */
export function followKey(config) {
  const { learning_rate: _eta, batch_size: _batch, ...rest } = config;
  return JSON.stringify(rest);
}

export function followTraining({ store, source, fail }) {
  let running = false;
  let wanted = null; // the key of the newest state, if not drawn yet
  let lastKey = null;
  let dataFor = null;
  let last = 0;

  const keyOf = (s) => `${s.id}:${s.cursor.iteration}:${s.diverged}`;

  async function refresh() {
    running = true;
    try {
      while (wanted !== null) {
        const wait = last + MIN_INTERVAL_MS - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        const session = store.state.session;
        wanted = null;
        last = performance.now();
        try {
          if (dataFor !== session.id) {
            const data = await source.data(session);
            dataFor = session.id;
            store.set({ sessionData: { ...data, id: session.id } });
          }
          const field = await loadField(source, session, !store.state.presenting);
          store.set({ field });
        } catch (err) {
          if (!(err instanceof ApiError && err.status === 404)) fail(err); // 404: the class ended
        }
      }
    } finally {
      running = false;
    }
  }

  store.addEventListener("change", (e) => {
    if (!e.detail.keys.includes("session")) return;
    const s = store.state.session;
    if (!s) return;
    const key = keyOf(s);
    if (key === lastKey) return;
    lastKey = key;
    wanted = key;
    if (!running) refresh();
  });
}
