// How the page shows things, not what: presentation mode, the zoomed equation,
// the theme (remembered in localStorage), the digits of the matrices, the
// focused sample and the cost curve's scale. The follower page uses them too.

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
      try {
        localStorage.setItem("bpl-theme", theme);
      } catch {
        /* storage may be off: the theme still applies to this page */
      }
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
