// The step page's session, remembered for this tab (sessionStorage, never in a
// URL or sent anywhere): reloading the page re-opens the same session and its
// live class, instead of starting a new session while the class runs on
// without its instructor. A record is {id, liveClass}: the session id and the
// live class ({code, join_url, qr_url, sessionId}) or null.

const KEY = "backprop-lens:session";

/** Remember the page's session and live class (a null session forgets them). */
export function rememberSession(sessionId, liveClass, storage = globalThis.sessionStorage) {
  if (!storage) return;
  if (!sessionId) {
    storage.removeItem(KEY);
    return;
  }
  storage.setItem(KEY, JSON.stringify({ id: sessionId, liveClass: liveClass ?? null }));
}

/** The remembered record, or null (none, or damaged). */
export function recallSession(storage = globalThis.sessionStorage) {
  const text = storage?.getItem(KEY);
  if (!text) return null;
  try {
    const record = JSON.parse(text);
    if (typeof record?.id !== "string" || !record.id) return null;
    const live = record.liveClass;
    const liveClass = live && typeof live.code === "string" && typeof live.sessionId === "string" ? live : null;
    return { id: record.id, liveClass };
  } catch {
    return null;
  }
}

/** Whether this page load is a reload of the same page (not a link followed into the tab). */
export function isReload(performanceApi = globalThis.performance) {
  const entry = performanceApi?.getEntriesByType?.("navigation")?.[0];
  return entry?.type === "reload";
}
