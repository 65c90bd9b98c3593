// Presentation mode (button and P): large type, high contrast, editing
// hidden, the keyboard kept; Z zooms the current step's equation panel to the
// whole screen (Esc ends it). The theme button switches light/dark. The state
// lives in the store; this view mirrors it onto <html> data attributes that
// training.css styles.
import { forShortcut } from "../keys.js";

export function mountPresent(store, actions) {
  const html = document.documentElement;
  const present = document.querySelector("[data-action='present']");
  const theme = document.querySelector("[data-action='theme']");
  const equation = document.querySelector("[data-view='equation']");
  present.addEventListener("click", () => actions.togglePresent());
  theme.addEventListener("click", () => actions.setTheme(store.state.theme === "dark" ? "light" : "dark"));

  document.addEventListener("keydown", (event) => {
    if (!forShortcut(event)) return;
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
    // Zoomed, the equation covers the page: a modal dialog for assistive technology
    // (aria-modal is allowed only on a dialog); otherwise a plain region again.
    if (zoom) {
      equation.setAttribute("role", "dialog");
      equation.setAttribute("aria-modal", "true");
    } else {
      equation.removeAttribute("role");
      equation.removeAttribute("aria-modal");
    }
    if (zoom) equation.scrollTop = 0;
    fitZoom();
  }

  // Zoomed, the formula and the matrices grow to fill the screen (CSS zoom, so
  // hover and scrolling still line up), as far as the screen allows and at most
  // 4×; a step too large for the screen stays at 1×, wraps and scrolls.
  const scaled = [equation.querySelector("[data-formula]"), equation.querySelector("[data-equation-body]")];
  const GAPS = 24; // px between the formula, the matrices and the notes
  function fitZoom() {
    equation.style.setProperty("--eq-zoom", "1");
    if (!store.state.zoom) {
      delete equation.dataset.fit;
      return;
    }
    equation.dataset.fit = "true"; // measured unwrapped
    const box = equation.getBoundingClientRect();
    const style = getComputedStyle(equation);
    const padX = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
    const head = equation.querySelector(".card__head").getBoundingClientRect().height;
    const notes = equation.querySelector("[data-equation-note]").getBoundingClientRect().height;
    const freeH = box.height - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom) - head - notes - GAPS;
    const width = Math.max(...scaled.map((el) => el.getBoundingClientRect().width));
    const height = scaled.reduce((sum, el) => sum + el.getBoundingClientRect().height, 0);
    const factor = Math.min(4, (box.width - padX) / width, freeH / height);
    if (factor < 1) delete equation.dataset.fit; // too large: wrap and scroll instead
    else equation.style.setProperty("--eq-zoom", String(Math.floor(factor * 20) / 20));
  }
  window.addEventListener("resize", () => fitZoom());

  store.addEventListener("change", (e) => {
    const k = e.detail.keys;
    if (k.includes("presenting") || k.includes("zoom") || k.includes("theme")) render();
    else if (store.state.zoom && (k.includes("session") || k.includes("digits") || k.includes("focus"))) fitZoom();
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
