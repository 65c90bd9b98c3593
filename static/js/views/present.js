// Presentation mode (button and P): large type, high contrast, editing
// hidden, the keyboard kept; Z zooms the current step's equation panel to the
// whole screen (Esc ends it). The theme button switches light/dark. The state
// lives in the store; this view mirrors it onto <html> data attributes that
// training.css styles.

const TYPING = new Set(["INPUT", "SELECT", "TEXTAREA"]);

export function mountPresent(store, actions) {
  const html = document.documentElement;
  const present = document.querySelector("[data-action='present']");
  const theme = document.querySelector("[data-action='theme']");
  const equation = document.querySelector("[data-view='equation']");
  present.addEventListener("click", () => actions.togglePresent());
  theme.addEventListener("click", () => actions.setTheme(store.state.theme === "dark" ? "light" : "dark"));

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    const t = event.target;
    if (t instanceof HTMLElement && (TYPING.has(t.tagName) || t.isContentEditable)) return;
    if (document.querySelector("dialog[open]")) return;
    const key = event.key.toLowerCase();
    if (key === "p") {
      event.preventDefault();
      actions.togglePresent();
    } else if (key === "z") {
      event.preventDefault();
      actions.toggleZoom();
    } else if (event.key === "Escape" && store.state.zoom) {
      event.preventDefault();
      actions.toggleZoom(false);
    }
  });

  function render() {
    const { presenting, zoom, theme: t } = store.state;
    if (presenting) html.dataset.present = "true";
    else delete html.dataset.present;
    if (zoom) html.dataset.zoom = "true";
    else delete html.dataset.zoom;
    html.dataset.theme = t;
    present.setAttribute("aria-pressed", presenting ? "true" : "false");
    theme.setAttribute("aria-pressed", t === "dark" ? "true" : "false");
    theme.title = t === "dark" ? "Light theme" : "Dark theme";
    theme.querySelector(".sr-only").textContent = theme.title;
    equation.setAttribute("aria-modal", zoom ? "true" : "false");
    if (zoom) equation.scrollTop = 0;
  }
  store.addEventListener("change", (e) => {
    const k = e.detail.keys;
    if (k.includes("presenting") || k.includes("zoom") || k.includes("theme")) render();
  });
  let saved = null;
  try {
    saved = localStorage.getItem("bpl-theme");
  } catch {
    saved = null;
  }
  const prefersDark = window.matchMedia?.("(prefers-color-scheme: dark)").matches;
  store.set({ theme: saved === "dark" || saved === "light" ? saved : prefersDark ? "dark" : "light" });
  render();
}
