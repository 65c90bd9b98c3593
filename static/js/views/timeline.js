// The step timeline: the 4L steps grouped by phase, the current one marked,
// each a button that seeks there; plus the iteration number and the cost.
// The cost shows 6 digits; a tap, a click, or Enter or Space on it (it is a
// toggle button) shows every digit, so none depends on hovering its title.
import { formatNumber, fullPrecision, sup } from "../format.js";
import { PHASE_TITLES, groupSteps, stepLabel, stepTitle, visibleAt } from "../phases.js";

export function mountTimeline(root, store, actions) {
  const strip = root.querySelector("[data-steps]");
  const iteration = root.querySelector("[data-iteration]");
  const cost = root.querySelector("[data-cost]");
  const last = root.querySelector("[data-last-cost]");
  let stepsKey = "";
  let buttons = [];
  let everyDigit = false; // the cost in full precision

  cost.tabIndex = 0;
  cost.setAttribute("role", "button");
  const toggleDigits = () => {
    everyDigit = !everyDigit;
    render();
  };
  cost.addEventListener("click", toggleDigits);
  cost.addEventListener("keydown", (e) => {
    if (e.key !== "Enter" && e.key !== " ") return;
    e.preventDefault(); // not the page's Enter (finish the iteration) or Space (play)
    e.stopPropagation();
    toggleDigits();
  });

  strip.addEventListener("click", (e) => {
    const b = e.target.closest("button[data-step-index]");
    if (b) actions.seek(Number(b.dataset.stepIndex));
  });

  function build(steps) {
    const frag = document.createDocumentFragment();
    buttons = [];
    for (const group of groupSteps(steps)) {
      const li = document.createElement("li");
      li.className = `phase-group phase-group--${group.phase}`;
      li.dataset.phase = group.phase;
      const title = document.createElement("span");
      title.className = "phase-group__title";
      title.textContent = PHASE_TITLES[group.phase];
      const row = document.createElement("div");
      row.className = "phase-group__steps";
      for (const s of group.steps) {
        const b = document.createElement("button");
        b.type = "button";
        b.className = "step";
        b.dataset.stepIndex = String(s.index);
        b.dataset.phase = s.phase;
        b.dataset.layer = String(s.layer);
        b.title = stepTitle(s, s.index);
        b.setAttribute("aria-label", stepTitle(s, s.index));
        b.textContent = stepLabel(s);
        row.append(b);
        buttons.push(b);
      }
      li.append(title, row);
      frag.append(li);
    }
    strip.replaceChildren(frag);
  }

  function render() {
    const { session } = store.state;
    if (!session) return;
    const key = session.steps.map((s) => `${s.phase}${s.layer}`).join(",");
    if (key !== stepsKey) {
      build(session.steps);
      stepsKey = key;
    }
    const visible = visibleAt(session.steps, session.cursor.index);
    buttons.forEach((b, i) => {
      if (visible.steps[i] === "current") b.setAttribute("aria-current", "step");
      else b.removeAttribute("aria-current");
      const done = visible.steps[i] === "done";
      if (b.classList.contains("step--done") !== done) b.classList.toggle("step--done", done);
    });
    renderFollowing();
    renderCost(visible);
  }

  /**
   * The iteration and the last iteration's cost: during a run they follow every
   * chunk (store.state.live), ahead of the step view, which redraws less often.
   */
  function renderFollowing() {
    const shown = store.state.live ?? store.state.session;
    const setText = (el, text) => {
      if (el.textContent !== text) el.textContent = text;
    };
    setText(iteration, String(shown.cursor.iteration));
    iteration.dataset.value = String(shown.cursor.iteration);
    const hist = shown.cost_history;
    setText(last, hist.length ? formatNumber(hist[hist.length - 1], 6) : "—");
    last.dataset.value = hist.length ? fullPrecision(hist[hist.length - 1]) : "";
  }

  /** The batch's cost C, once the output-error step has computed it. */
  function renderCost(visible) {
    const { trace } = store.state.session;
    const known = visible.costKnown;
    const full = fullPrecision(trace.cost);
    const shown = !known ? `— (known at δ${sup(visible.L)})` : everyDigit ? full : formatNumber(trace.cost, 6);
    if (cost.textContent !== shown) cost.textContent = shown;
    cost.dataset.value = known ? full : "";
    cost.setAttribute("aria-pressed", String(everyDigit));
    cost.title = known
      ? `C = ${full}. Tap, click or press Enter for ${everyDigit ? "6 digits" : "every digit"}.`
      : `The cost of this batch is computed at the output-error step (δ${sup(visible.L)}).`;
  }

  store.addEventListener("change", (e) => {
    const k = e.detail.keys;
    if (k.includes("session")) render();
    else if (k.includes("live") && store.state.session) renderFollowing();
  });
  return { render };
}
