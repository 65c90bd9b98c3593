// The training buttons beside the step controls: train N iterations (with
// progress; pressing again stops), run/pause continuous training, and the
// speed a run goes at (1 it/s walks every step … full speed). While the
// session's numbers are not finite the train buttons say why they do not
// train (aria-disabled: still focusable, a press explains). Keys: T trains N,
// G runs or pauses. main.js's actions do the work.
import { forShortcut } from "../keys.js";

export function mountTrainControls(root, store, actions) {
  const count = root.querySelector("[data-control='train-count']");
  const speed = root.querySelector("[data-control='train-speed']");
  const train = root.querySelector("[data-action='train']");
  const runButton = root.querySelector("[data-action='run']");
  const progress = root.querySelector("[data-train-progress]");
  const rate = root.querySelector("[data-train-rate]");

  const trainN = () => (store.state.training ? actions.stopTraining() : actions.trainCount(Number(count.value)));
  train.addEventListener("click", trainN);
  runButton.addEventListener("click", () => actions.toggleRun());
  speed.addEventListener("change", () => actions.setTrainSpeed(speed.value === "full" ? null : Number(speed.value)));

  document.addEventListener("keydown", (event) => {
    if (!forShortcut(event)) return;
    const key = event.key.toLowerCase();
    if (key === "t") {
      event.preventDefault();
      trainN();
    } else if (key === "g") {
      event.preventDefault();
      actions.toggleRun();
    }
  });

  function render() {
    const t = store.state.training;
    const stopped = Boolean(store.state.session?.diverged) && !t;
    const running = Boolean(t && t.mode === "run");
    runButton.setAttribute("aria-pressed", running ? "true" : "false");
    runButton.querySelector("[data-label]").textContent = running ? "Pause" : "Run";
    runButton.querySelector("[data-icon]").textContent = running ? "❚❚" : "∞";
    const counting = Boolean(t && t.mode === "count");
    train.querySelector(".btn-label").textContent = counting ? "Stop" : "Train";
    const why = "The numbers diverged: lower η (Try η = … above) or reset to train again";
    train.title = stopped ? why : counting ? "Stop training" : "Train this many iterations on the fast path (T)";
    runButton.title = stopped ? why : "Train continuously / pause (G)";
    for (const b of [train, runButton]) {
      if (stopped) {
        b.setAttribute("aria-disabled", "true");
        b.setAttribute("aria-describedby", "divergence-text");
      } else {
        b.removeAttribute("aria-disabled");
        b.removeAttribute("aria-describedby");
      }
    }
    train.setAttribute("aria-pressed", counting ? "true" : "false");
    train.disabled = running;
    count.disabled = Boolean(t);
    const wanted = store.state.trainSpeed === null ? "full" : String(store.state.trainSpeed);
    if (speed.value !== wanted) speed.value = wanted;
    progress.hidden = !counting;
    if (counting) progress.value = Math.min(1, t.done / t.target);
    root.dataset.training = t ? t.mode : "";
    rate.textContent = t && t.rate ? `${Math.round(t.rate).toLocaleString("en")} it/s` : "";
  }
  let diverged = false;
  store.addEventListener("change", (e) => {
    const k = e.detail.keys;
    const now = Boolean(store.state.session?.diverged);
    if (k.includes("training") || k.includes("trainSpeed") || now !== diverged) render();
    diverged = now;
  });
  render();
}
