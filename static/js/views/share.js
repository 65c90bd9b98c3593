// Share and export: copy a link that reproduces this step exactly (the URL
// also follows the session as it moves), export or import the session as the
// API's JSON, and the current step as CSV, JSON, LaTeX or a NumPy snippet.

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

  // The address bar follows the session (replaceState: no history entry per step).
  let pending = false;
  store.addEventListener("change", (e) => {
    if (!e.detail.keys.includes("session") || pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      if (!store.state.session) return;
      const url = actions.shareUrl();
      if (link.value !== url) link.value = url;
      if (location.href !== url) history.replaceState(null, "", url);
    });
  });
}
