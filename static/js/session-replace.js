// Replacing the page's session with a new one: a preset, an edited
// configuration, changed data, the user's CSV, an imported file, a share link,
// or the same configuration again when the server has forgotten the session.
// Every one of them goes the same way, here; callers only say how a refusal is
// reported and what to say on success.
import { ApiError } from "./api.js";

const refusedByServer = (err) => err instanceof ApiError && err.status >= 400 && err.status < 500;

/**
 * `store`, `api`, and main.js's request queue (`enqueue`) and `applySession`.
 * Returns {replaceSession, replaceSessionNow}.
 */
export function sessionReplacer({ store, api, enqueue, applySession }) {
  /** A 4xx answer as `refused` reports it; anything else goes on to the queue's handler. */
  async function report(err, refused) {
    if (!refused || !refusedByServer(err)) throw err;
    const patch = await refused(err);
    if (patch) store.set(patch);
  }

  /**
   * Inside a queued request: POST `body` (a SessionConfig, a preset reference
   * or an export), show the new session, and free the old one on the server
   * (best effort). Options:
   * - after: the store patch to set once the new session shows (its messages);
   * - refused(err): for a 4xx answer, the store patch that reports it (it may
   *   be async and replace the session itself); without it the error goes on
   *   to the queue's handler (the status line);
   * - removeOld: false when the server has already forgotten the old session.
   * Resolves to the new session, or null when the server refused the body.
   */
  async function replaceSessionNow(body, { after = {}, refused = null, removeOld = true } = {}) {
    const old = store.state.session;
    let session;
    try {
      session = await api.createSession(body);
    } catch (err) {
      await report(err, refused);
      return null;
    }
    // what belonged to the old session ends with it; the preset name stays
    // only when the body names one (the configuration panel shows it)
    store.set({ training: null, gradcheck: null, message: null, configError: null, focus: null, lastPreset: body.preset ?? null });
    applySession(session);
    store.set(typeof after === "function" ? after(session) : after);
    // a live class on the old session moves first, and live-class.js deletes it then
    const hasClass = store.state.liveClass?.sessionId === old?.id;
    if (removeOld && old && old.id !== session.id && !hasClass) api.remove(old.id).catch(() => {});
    return session;
  }

  /**
   * From outside the request queue: stop playing and training at once
   * (nothing more runs on the old session), then queue replaceSessionNow. `body` may be an async function giving the body (null:
   * nothing to do), for work that must run in the same queued request; its
   * 4xx answers are reported by `refused` too.
   */
  function replaceSession(body, options = {}) {
    store.set({ playing: false, training: null });
    return enqueue(async () => {
      let resolved = body;
      if (typeof body === "function") {
        try {
          resolved = await body();
        } catch (err) {
          await report(err, options.refused);
          return;
        }
      }
      if (resolved) await replaceSessionNow(resolved, options);
    });
  }

  return { replaceSession, replaceSessionNow };
}
