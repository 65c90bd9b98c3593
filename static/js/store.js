// The one state store. Views listen for "change" (detail.keys says what
// changed) and "hover"; only main.js writes.

export class Store extends EventTarget {
  constructor(initial) {
    super();
    this.state = { ...initial };
  }

  /** Merge `patch` into the state and tell listeners which keys changed. */
  set(patch) {
    const keys = Object.keys(patch).filter((k) => this.state[k] !== patch[k]);
    if (keys.length === 0) return;
    Object.assign(this.state, patch);
    this.dispatchEvent(new CustomEvent("change", { detail: { keys } }));
  }

  /** Hover is transient and frequent: its own event, no re-render. */
  hover(target) {
    this.state.hover = target;
    this.dispatchEvent(new CustomEvent("hover", { detail: target }));
  }
}

export function initialState() {
  return {
    options: null, // GET /api/v1/options
    datasets: [], // GET /api/v1/datasets
    presets: [], // GET /api/v1/presets
    session: null, // the session state the API returned last
    busy: false, // a request is in flight
    message: null, // {kind: "error"|"info", text} for the status line
    configError: null, // the server's error for the configuration panel
    digits: 4, // significant digits of the matrix cells
    focus: null, // focused sample (column) or null for all
    playing: false,
    speed: 700, // ms per step while playing
    hover: null,
    // training, the boundary, sharing and presenting
    training: null, // {mode: "run"|"count", target, done, startedAt} while training, else null
    live: null, // the newest session state while training continuously (views that keep up read it)
    field: null, // GET …/field for the boundary (with hidden neurons when shown)
    sessionData: null, // GET …/data: {train, test} samples of the current session
    curveScale: "linear", // "linear" | "log"
    presenting: false,
    zoom: false, // the equation panel fills the screen
    theme: "light", // "light" | "dark"
    gradcheck: null, // the last /gradcheck answer for this session, or {error}
  };
}
