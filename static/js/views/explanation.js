// The explanation: two or three plain sentences for the current step.
import { explain } from "../explain.js";
import { PHASE_TITLES } from "../phases.js";

export function mountExplanation(root, store) {
  const heading = root.querySelector("[data-explanation-title]");
  const body = root.querySelector("[data-explanation]");
  let lastKey = "";

  function render() {
    const { session } = store.state;
    if (!session) return;
    const trace = session.trace;
    const step = session.steps[session.cursor.index];
    const m = trace.batch.a0[0]?.length ?? 1;
    const ctx = {
      L: trace.network.layers.length - 1,
      m,
      activation: trace.network.activations[step.layer - 1],
      cost: session.config?.cost ?? "",
      form: trace.output_error.form,
      eta: trace.learning_rate,
      optimizer: trace.optimizer,
      weightDecay: trace.weight_decay,
    };
    const key = JSON.stringify([step, ctx]);
    if (key === lastKey) return;
    lastKey = key;
    heading.textContent = `${PHASE_TITLES[step.phase]}, layer ${step.layer}`;
    body.replaceChildren(
      ...explain(step, ctx).map((text) => {
        const p = document.createElement("p");
        p.textContent = text;
        return p;
      }),
    );
  }

  store.addEventListener("change", (e) => {
    if (e.detail.keys.includes("session")) render();
  });
  return { render };
}
