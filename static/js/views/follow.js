// The follower's bar on /class/{code}: connection state, the status line and
// the "take a copy" button; and, for a code with no class behind it, the page
// that says so in place of the stage. Renders store.state.follow ({state, seq,
// text}) and store.state.message; the button calls actions.takeCopy().

const LABELS = {
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting…",
  ended: "Ended",
  missing: "No class",
};

export function mountFollow(root, store, actions) {
  const badge = root.querySelector("[data-follow-state]");
  const copy = document.querySelector("[data-action='take-copy']");
  const status = document.querySelector("[data-status]");
  const missing = document.querySelector("[data-class-missing]");
  const stage = document.querySelector("[data-class-stage]");
  const note = root.querySelector("[data-follow-note]");

  copy.addEventListener("click", () => actions.takeCopy());

  function render() {
    const { follow, message, session } = store.state;
    const state = follow?.state ?? "connecting";
    badge.textContent = LABELS[state] ?? state;
    badge.dataset.state = state;
    if (follow) root.dataset.seq = String(follow.seq ?? 0);
    copy.disabled = !session || store.state.busy;
    const gone = state === "missing";
    copy.hidden = gone;
    missing.hidden = !gone;
    stage.hidden = gone;
    note.hidden = gone;
    if (gone) missing.querySelector("[data-class-missing-text]").textContent = follow.text ?? "";
    status.textContent = message ? message.text : "";
    if (message) status.dataset.kind = message.kind;
    status.hidden = !message;
  }

  store.addEventListener("change", (e) => {
    const keys = e.detail.keys;
    if (keys.includes("follow") || keys.includes("message") || keys.includes("session") || keys.includes("busy")) {
      render();
    }
  });
  render();
}
