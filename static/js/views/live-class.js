// The "Live class" panel of the step page: start a class, then show its join
// code, link and QR code large enough to project, and how many follow; end it.
// Renders store.state.liveClass and liveClassError; buttons call the live-class
// actions.

/** "3 students following" (pure, for tests). */
export function followersText(count) {
  return `${count} ${count === 1 ? "student" : "students"} following`;
}

export function mountLiveClass(dialog, opener, store, actions) {
  const off = dialog.querySelector("[data-live-off]");
  const on = dialog.querySelector("[data-live-on]");
  const code = dialog.querySelector("[data-class-code]");
  const link = dialog.querySelector("[data-class-url]");
  const qr = dialog.querySelector("[data-class-qr]");
  const error = dialog.querySelector("[data-class-error]");
  const label = opener.querySelector("[data-live-label]");
  const count = opener.querySelector("[data-live-count]");
  const followers = dialog.querySelector("[data-class-followers]");

  opener.addEventListener("click", () => {
    if (!dialog.open) dialog.showModal();
  });
  dialog.querySelector("[data-action='start-class']").addEventListener("click", () => actions.start());
  dialog.querySelector("[data-action='end-class']").addEventListener("click", () => actions.end());
  dialog.querySelector("[data-close]").addEventListener("click", () => dialog.close());

  function render() {
    const live = store.state.liveClass;
    off.hidden = Boolean(live);
    on.hidden = !live;
    opener.setAttribute("aria-pressed", live ? "true" : "false");
    label.textContent = live ? `Live · ${live.code}` : "Live class";
    count.hidden = !live;
    if (live) {
      code.textContent = `${live.code.slice(0, 3)} ${live.code.slice(3)}`;
      code.setAttribute("aria-label", live.code.split("").join(" "));
      link.textContent = live.join_url;
      link.href = live.join_url;
      link.style.setProperty("--chars", String(live.join_url.length)); // its type fits it on one line
      const n = live.followers ?? 0;
      followers.textContent = followersText(n);
      count.title = followersText(n);
      count.firstChild.nodeValue = String(n);
      if (qr.getAttribute("src") !== live.qr_url) qr.src = live.qr_url;
    }
    const message = store.state.liveClassError;
    error.textContent = message ?? "";
    error.hidden = !message;
  }

  store.addEventListener("change", (e) => {
    const keys = e.detail.keys;
    if (keys.includes("liveClass") || keys.includes("liveClassError")) render();
  });
  render();
}
