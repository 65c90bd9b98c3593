// The instructor's side of a live class: start it, end it, and keep it on the
// session the page shows. A new configuration is a new session: when the
// page's session changes while a class is live, the class moves over to it
// (POST …/class with the code and the old session id), so students keep
// following under the same code; then the old session is deleted (deleting a
// session ends its class, so not before). Writes store.state.liveClass
// ({code, join_url, qr_url, followers, sessionId} or null) and liveClassError.
// While a class is live the page asks for its follower count every few seconds
// (the API has no event for the instructor), and not while the tab is hidden.
import { ApiError, api } from "./api.js";

const FOLLOWERS_EVERY_MS = 3000;

export function createLiveClass(store) {
  let chain = Promise.resolve();
  const run = (task) => {
    chain = chain.then(task).catch((err) => {
      store.set({ liveClassError: err instanceof ApiError ? err.message : `Unexpected problem: ${err.message}` });
    });
    return chain;
  };

  const keep = (info, sessionId) => store.set({ liveClass: { ...info, sessionId }, liveClassError: null });
  const ended = (code) => store.set({ liveClass: null, liveClassError: `The live class ${code} has ended: start a new one.` });

  // The follower count; in the queue, so that it never reads a class being moved or ended.
  const countFollowers = () =>
    run(async () => {
      const live = store.state.liveClass;
      // a class still on another session is about to move to this one (see above)
      if (!live || live.sessionId !== store.state.session?.id) return;
      let info;
      try {
        info = await api.getClass(live.sessionId);
      } catch (err) {
        // 404: the server forgot the session (the page replaces it, and the class
        // moves with it) or the class timed out (the next move says so)
        if (err instanceof ApiError && err.status === 404) return;
        throw err;
      }
      if (store.state.liveClass === live && info.followers !== live.followers) {
        store.set({ liveClass: { ...live, followers: info.followers } });
      }
    });
  setInterval(() => {
    if (store.state.liveClass && !document.hidden) countFollowers();
  }, FOLLOWERS_EVERY_MS);

  store.addEventListener("change", (e) => {
    if (!e.detail.keys.includes("session")) return;
    const live = store.state.liveClass;
    const session = store.state.session;
    if (!live || !session || session.id === live.sessionId) return;
    run(async () => {
      const current = store.state.liveClass;
      if (!current || current.sessionId === session.id) return;
      const from = current.sessionId;
      try {
        keep(await api.moveClass(session.id, current.code, from), session.id);
        // the page no longer shows the old session; deleted before the move, it would
        // have ended the class (session-replace.js leaves it to this)
        api.remove(from).catch(() => {});
      } catch (err) {
        if (!(err instanceof ApiError && err.status === 404)) throw err;
        ended(current.code); // meanwhile (e.g. it timed out while the page was away)
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
