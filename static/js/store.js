// The one state store. Views listen for "change" (detail.keys says what
// changed) and "hover"; only the page's wiring and its actions write.

export class Store extends EventTarget {
  constructor(initial) {
    super();
    this.state = { ...initial };
  }

  /**
   * Merge `patch` into the state and tell listeners which keys changed. A key
   * the initial state does not declare is a mistake (a typo would otherwise
   * render nothing, silently): it throws.
   */
  set(patch) {
    const keys = [];
    for (const k of Object.keys(patch)) {
      if (!(k in this.state)) throw new TypeError(`store.set: "${k}" is not a state key; declare it in initialState() (store.js)`);
      if (this.state[k] !== patch[k]) keys.push(k);
    }
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

/** Every key of the state, with its starting value; Store.set refuses any other. */
export function initialState() {
  return {
    options: null, // GET /api/v1/options
    datasets: [], // GET /api/v1/datasets
    presets: [], // GET /api/v1/presets
    session: null, // the session state the API returned last
    busy: false, // a request is in flight
    message: null, // {kind: "error"|"info", text} for the status line
    configError: null, // the server's error for the configuration panel: {code, message, field}
    lastPreset: null, // the preset the session was made from (the configuration panel names it), or null
    digits: 4, // significant digits of the matrix cells
    matrixDisplay: "auto", // how the equation draws a matrix: "auto" | "full" | "elided" | "heatmap" (matrix-display.js)
    focus: null, // focused sample (column) or null for all
    playing: false, // play mode: a step every `speed` ms
    speed: 700, // ms per step while playing
    hover: null, // the hovered cell {matrix, row, col, diagram}, or the expansion's operands {refs} (set by hover(), not set())
    pick: null, // the entry whose arithmetic is open (pick.js): {entry, cells, name, value, ref, diagram, query, terms, …}, or null
    // training, the boundary, sharing and presenting
    training: null, // {mode: "run"|"count", target, done, startedAt, rate, updatesPerSecond} while training, else null
    trainSpeed: null, // iterations a second a training run goes at (training-run.js SPEEDS), null: full speed
    lastRun: null, // the last training run's figures {iterations, updates, seconds, sessionId, from, to, …} (tests and bench/training.py read them)
    live: null, // the newest session state while training continuously (views that keep up read it)
    field: null, // GET …/field for the boundary (with hidden neurons when shown)
    sessionData: null, // GET …/data: {train, test} samples of the current session
    curveScale: "linear", // "linear" | "log"
    presenting: false, // presentation mode: large type, editing hidden
    zoom: false, // the equation panel fills the screen
    theme: "light", // "light" | "dark"
    gradcheck: null, // the last /gradcheck answer for this session, or {error}
    race: null, // the optimizer race: {id, iterations, lanes: [{optimizer, learningRate, costs, divergedAt}]}, or {error, id}
    csvResult: null, // the data panel's word on the user's CSV: {ok, message, columns?, targetColumns?, standardise?, suggestStandardise?}, or null
    predictions: null, // GET …/predictions of the session's current iteration (with its id), or null
    sharedLink: null, // the link "Copy link" made last, or null
    // practice (practice-actions.js)
    practice: null, // practice mode: {steps: {"id:iteration:index": record}, summary: {iteration, tally, text} | null}, or null (off)
    lesson: null, // the guided lesson: {level, rework, iteration, index, done, sessionId} (practice.js), or null
    problem: null, // the problem "New problem" drew: {seed, layers, sessionId}, or null
    // live classes
    liveClass: null, // the instructor's class: {code, join_url, qr_url, seq, followers, sessionId}, or null
    liveClassError: null, // why starting, moving or ending the class failed, or null
    askedQuestion: null, // the instructor's latest class question: GET …/class/questions/{id}'s answer, or null
    questionError: null, // why asking, closing or revealing failed, or null
    classQuestion: null, // a follower's question: {question (as GET /classes/{code}/question), mine, answer?, error?}, or null
    follow: null, // a follower page's connection: {state: "connecting"|"live"|"reconnecting"|"ended"|"missing", seq, text?}
  };
}
