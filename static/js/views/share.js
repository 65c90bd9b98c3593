// Share and export: copy a link that reproduces this step exactly (the URL
// also follows the session as it moves), export or import the session as the
// API's JSON, and the current step as CSV, JSON, LaTeX or a NumPy snippet.

const SETTLE_MS = 250;

export function mountShare(root, store, actions) {
  const link = root.querySelector("[data-share-link]");
  root.querySelector("[data-action='copy-link']").addEventListener("click", () => actions.copyLink());
  root.querySelector("[data-action='export-session']").addEventListener("click", () => actions.exportSession());
  const importFile = root.querySelector("[data-import-file]");
  importFile.addEventListener("change", async () => {
    const f = importFile.files?.[0];
    if (!f) return;
    const text = await f.text();
    importFile.value = "";
    actions.importSession(text);
  });
  for (const b of root.querySelectorAll("[data-export]")) {
    b.addEventListener("click", () => actions.exportStep(b.dataset.export));
  }
  link.addEventListener("focus", () => link.select());

  // The address bar and the link box follow the session once stepping pauses
  // for a moment, not on every step: a link that carries its data or weights
  // runs to tens of KB, and replaceState with it costs milliseconds of main
  // thread (2-10 ms at 20 KB) that play mode and training need for drawing.
  // data-link-pending marks the link as not yet caught up (tests wait on it);
  // "copy link" builds its link afresh, so it is never stale.
  let timer = 0;
  const follow = () => {
    delete root.dataset.linkPending;
    if (!store.state.session) return;
    // A state too large for a link leaves the address bar without one: an
    // address must never claim to reproduce what it cannot (a reload still
    // reopens the session, see instructor-resume.js).
    const url = actions.shareUrl() ?? `${location.origin}${location.pathname}`;
    const value = url.includes("?") ? url : "";
    if (link.value !== value) link.value = value;
    link.placeholder = value ? "" : "too large for a link: export the session instead";
    if (location.href !== url) history.replaceState(null, "", url); // no history entry per step
  };
  store.addEventListener("change", (e) => {
    if (!e.detail.keys.includes("session")) return;
    root.dataset.linkPending = "true";
    clearTimeout(timer);
    timer = setTimeout(follow, SETTLE_MS);
  });
}
