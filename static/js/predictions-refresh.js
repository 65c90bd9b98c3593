// Keeps store.state.predictions (GET …/predictions) for the session's current
// iteration: after a new session, a finished iteration or a reset, and while
// training (the newest state, one request at a time, so a slow answer never
// piles up requests). The views that show classes render what it holds.
import { ApiError } from "./api.js";

const keyOf = (s) => `${s.id}:${s.cursor.iteration}:${s.diverged}`;

export function predictionsRefresh({ store, api, fail }) {
  let busy = false;
  let wanted = null; // the newest state not asked about yet
  let lastKey = null;

  async function pump() {
    if (busy) return;
    busy = true;
    try {
      while (wanted) {
        const s = wanted;
        wanted = null;
        try {
          const answer = await api.predictions(s.id);
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
    pump();
  });
}
