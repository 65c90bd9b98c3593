// Keeps store.state.predictions (GET …/predictions) for the session's current
// iteration: after a new session, a finished iteration or a reset, and while
// training (the newest state, one request at a time and about once a second, so
// that it never slows the training chunks). The views that show classes render it.
// `source` (field-source.js) reads the page's own session, or a follower's class.
import { ApiError } from "./api.js";

const keyOf = (s) => `${s.id}:${s.cursor.iteration}:${s.diverged}`;
// While training, at most one request this often: the chunks' own requests come first.
const TRAINING_MS = 1000;

export function predictionsRefresh({ store, source, fail }) {
  let busy = false;
  let wanted = null; // the newest state not asked about yet
  let lastKey = null;
  let lastAsked = 0;
  let timer = null;

  async function pump() {
    if (busy) return;
    busy = true;
    try {
      while (wanted) {
        const s = wanted;
        wanted = null;
        lastAsked = performance.now();
        try {
          const answer = await source.predictions(s);
          if (store.state.session?.id === s.id) store.set({ predictions: { ...answer, id: s.id } });
        } catch (err) {
          if (!(err instanceof ApiError && err.status === 404)) fail(err);
        }
      }
    } finally {
      busy = false;
    }
  }

  store.addEventListener("change", (e) => {
    const k = e.detail.keys;
    if (!k.includes("session") && !k.includes("live")) return;
    const s = store.state.live ?? store.state.session;
    if (!s || keyOf(s) === lastKey) return;
    lastKey = keyOf(s);
    wanted = s;
    const wait = store.state.training ? lastAsked + TRAINING_MS - performance.now() : 0;
    clearTimeout(timer);
    if (wait <= 0) pump();
    else timer = setTimeout(pump, wait);
  });
}
