// Sharing a state: the link that reproduces this step (url-state.js says how a
// state is written), opening such a link, and the session as a file to export
// and import on another machine. Writes only to the store.
import { ApiError } from "./api.js";
import { download } from "./download.js";
import { decodeState, encodeState } from "./url-state.js";

const MAX_REPLAY = 20000; // iterations a share link replays (a couple of seconds on the server)
// Longer links do not survive the trip: reverse proxies refuse long request
// lines (deploy/nginx.conf allows 64 KB, nginx's default is 8 KB), and chat and
// mail clients cut them. A state that needs more (large explicit data, wide
// weights) travels as an exported session file instead.
const MAX_LINK_CHARS = 60000;
const DEFAULT_PRESET = { preset: "worked_example" };

/** `replacer` is the page's sessionReplacer (session-replace.js). */
export function sharingActions({ store, api, enqueue, replacer }) {
  const { replaceSession, replaceSessionNow } = replacer;

  function shareQuery() {
    const s = store.state.session;
    if (!s) return "";
    // Beyond this many iterations a link carries the weights rather than a replay.
    const maxReplay = Math.min(MAX_REPLAY, store.state.options?.limits?.max_fast_forward ?? MAX_REPLAY);
    return encodeState(s.config, s.cursor, s.network, maxReplay, s.history.replayable !== false);
  }

  /** The link to this step, or null when it would be longer than MAX_LINK_CHARS (or none can say it). */
  function shareUrl() {
    const query = shareQuery();
    if (query === null) return null;
    const url = `${location.origin}${location.pathname}?${query}`;
    return url.length <= MAX_LINK_CHARS ? url : null;
  }

  return {
    shareUrl,
    /** The session a share link (or the page's own URL) asks for; false if it asks for none. */
    openFromUrl(search) {
      let body;
      try {
        body = decodeState(search);
      } catch (err) {
        const message = { kind: "error", text: `This link could not be read: ${err.message}. The default example is shown instead.` };
        return replaceSession(DEFAULT_PRESET, { after: { message } }).then(() => true);
      }
      if (!body) return Promise.resolve(false);
      return replaceSession(body, {
        async refused(err) {
          if (err.status !== 422) throw err;
          const message = { kind: "error", text: `This link asks for a state the server cannot build: ${err.message}` };
          await replaceSessionNow(DEFAULT_PRESET, { after: { message } });
          return null;
        },
      }).then(() => true);
    },
    async copyLink() {
      const url = shareUrl();
      if (url === null && shareQuery() === null) {
        const text = 'This session\'s optimizer carries velocities or moments that a link cannot replay after a change of settings: use "Export session", and "Import session" on the other machine.';
        store.set({ message: { kind: "info", text } });
        return null;
      }
      if (url === null) {
        const kb = Math.ceil(shareQuery().length / 1000);
        store.set({
          message: {
            kind: "info",
            text: `This state is too large for a link (${kb} KB of weights and data; links stop at ${MAX_LINK_CHARS / 1000} KB): use "Export session", and "Import session" on the other machine.`,
          },
        });
        return null;
      }
      store.set({ sharedLink: url });
      try {
        await navigator.clipboard.writeText(url);
        store.set({ message: { kind: "info", text: "Link copied: it opens this network at this very step." } });
      } catch {
        store.set({ message: { kind: "info", text: "Copy the link from the box under Share (the clipboard is not available here)." } });
      }
      return url;
    },
    exportSession() {
      return enqueue(async () => {
        const s = store.state.session;
        const exported = await api.exportSession(s.id);
        download(`backprop-lens-session-${s.cursor.iteration}.json`, JSON.stringify(exported, null, 1), "application/json");
      });
    },
    importSession(text) {
      let config;
      try {
        config = JSON.parse(text);
      } catch (err) {
        store.set({ message: { kind: "error", text: `That file is not JSON (${err.message}); export a session to see the format.` } });
        return Promise.resolve();
      }
      return replaceSession(config, {
        after: { message: { kind: "info", text: "Session imported: the same numbers at the same step." } },
        refused: (err) => ({ message: { kind: "error", text: `The file is not a session this server accepts: ${err.message}` } }),
      });
    },
  };
}
