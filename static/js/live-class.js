// The instructor's side of a live class: start it, end it, and keep it on the
// session the page shows. A new configuration is a new session: when the
// page's session changes while a class is live, the class moves over to it
// (POST …/class with the code and the old session id), so students keep
// following under the same code. Writes store.state.liveClass
// ({code, join_url, qr_url, sessionId} or null) and liveClassError.
import { ApiError, api } from "./api.js";

export function createLiveClass(store) {
  let chain = Promise.resolve();
  const run = (task) => {
    chain = chain.then(task).catch((err) => {
      store.set({ liveClassError: err instanceof ApiError ? err.message : `Unexpected problem: ${err.message}` });
    });
    return chain;
  };

  const keep = (info, sessionId) => store.set({ liveClass: { ...info, sessionId }, liveClassError: null });

  store.addEventListener("change", (e) => {
    if (!e.detail.keys.includes("session")) return;
    const live = store.state.liveClass;
    const session = store.state.session;
    if (!live || !session || session.id === live.sessionId) return;
    run(async () => {
      const current = store.state.liveClass;
      if (!current || current.sessionId === session.id) return;
      try {
        keep(await api.moveClass(session.id, current.code, current.sessionId), session.id);
      } catch (err) {
        if (!(err instanceof ApiError && err.status === 404)) throw err;
        // The class has ended meanwhile (e.g. it timed out while the page was away).
        store.set({ liveClass: null, liveClassError: `The live class ${current.code} has ended: start a new one.` });
      }
    });
  });

  return {
    start() {
      return run(async () => {
        const session = store.state.session;
        if (!session) return;
        keep(await api.startClass(session.id), session.id);
      });
    },
    end() {
      return run(async () => {
        const live = store.state.liveClass;
        if (!live) return;
        try {
          await api.endClass(live.sessionId);
        } catch (err) {
          if (!(err instanceof ApiError && err.status === 404)) throw err; // already over
        }
        store.set({ liveClass: null, liveClassError: null });
      });
    },
  };
}
