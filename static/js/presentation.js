// How the page shows things, not what: presentation mode, the zoomed equation,
// the theme (remembered in localStorage), the digits of the matrices and how
// they are drawn (remembered per page: the step page and a follower page each
// keep their own), the focused sample and the cost curve's scale. The follower
// page uses them too.
import { MATRIX_DISPLAYS } from "./matrix-display.js";

/** The localStorage key of the matrix display: one per page ("/" and "/class/…"). */
export const matrixDisplayKey = (pathname) => `bpl-matrices:${pathname.split("/")[1] || "step"}`;

function remember(key, value) {
  try {
    localStorage.setItem(key, value);
  } catch {
    /* storage may be off: the choice still applies to this page */
  }
}

export function presentationActions({ store }) {
  return {
    togglePresent(on = !store.state.presenting) {
      store.set({ presenting: on, zoom: on ? store.state.zoom : false });
    },
    toggleZoom(on = !store.state.zoom) {
      store.set({ zoom: on });
    },
    setTheme(theme) {
      store.set({ theme });
      remember("bpl-theme", theme);
    },
    setMatrixDisplay(choice) {
      if (!MATRIX_DISPLAYS.includes(choice)) return;
      store.set({ matrixDisplay: choice });
      remember(matrixDisplayKey(location.pathname), choice);
    },
    setCurveScale(scale) {
      store.set({ curveScale: scale });
    },
    setDigits(digits) {
      store.set({ digits: Math.min(Math.max(digits, 1), 15) });
    },
    setFocus(sample) {
      store.set({ focus: sample });
    },
  };
}
