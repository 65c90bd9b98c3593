// What each hidden neuron computes: for 2-D inputs, a small heatmap per hidden
// neuron of its activation over the same plane as the boundary (GET …/field
// with hidden=true), one row per hidden layer, coloured with format.js's value
// scale around the middle of the activation's range.
import { cellColour } from "../format.js";

const parseRgb = (s) => s.match(/\d+/g).map(Number);

export function mountNeurons(root, store) {
  const grid = root.querySelector("[data-neurons]");
  let shape = "";

  function centreOf(activation) {
    const a = store.state.options?.activations?.find((x) => x.name === activation);
    const [lo, hi] = a?.output_range ?? [null, null];
    return lo !== null && hi !== null ? (lo + hi) / 2 : 0;
  }

  function build(layers) {
    grid.replaceChildren();
    layers.forEach((neurons, l) => {
      const row = document.createElement("div");
      row.className = "neurons__layer";
      const label = document.createElement("span");
      label.className = "neurons__label";
      label.textContent = `layer ${l + 1}`;
      row.append(label);
      neurons.forEach((_, j) => {
        const c = document.createElement("canvas");
        c.width = 48;
        c.height = 48;
        c.dataset.neuronMap = `${l + 1}:${j}`;
        c.title = `layer ${l + 1}, neuron ${j}: a${"¹²³⁴⁵⁶⁷⁸⁹"[l] ?? ""}[${j}] over the input plane`;
        c.setAttribute("role", "img");
        c.setAttribute("aria-label", c.title);
        row.append(c);
      });
      grid.append(row);
    });
  }

  function render() {
    const { session, field, presenting } = store.state;
    const show = Boolean(session && field && field.neurons && field.id === session.id && !presenting);
    if (root.hidden === show) root.hidden = !show;
    if (!show) return;
    const layers = field.neurons;
    const key = layers.map((l) => l.length).join("-");
    if (key !== shape) {
      shape = key;
      build(layers);
    }
    const N = field.neuronResolution;
    const off = document.createElement("canvas");
    off.width = N;
    off.height = N;
    const octx = off.getContext("2d");
    layers.forEach((neurons, l) => {
      const centre = centreOf(session.network.activations[l]);
      neurons.forEach((values, j) => {
        let range = 0;
        for (const r of values) for (const v of r) if (v !== null) range = Math.max(range, Math.abs(v - centre));
        const img = octx.createImageData(N, N);
        for (let i = 0; i < N; i += 1) {
          for (let k = 0; k < N; k += 1) {
            const v = values[i][k];
            const [r, g, b] = parseRgb(cellColour(v === null ? 0 : v - centre, range));
            const o = 4 * ((N - 1 - i) * N + k);
            img.data[o] = r;
            img.data[o + 1] = g;
            img.data[o + 2] = b;
            img.data[o + 3] = 255;
          }
        }
        octx.putImageData(img, 0, 0);
        const c = grid.querySelector(`canvas[data-neuron-map='${l + 1}:${j}']`);
        const ctx = c.getContext("2d");
        ctx.imageSmoothingEnabled = true;
        ctx.drawImage(off, 0, 0, c.width, c.height);
      });
    });
    root.dataset.drawnIteration = String(field.iteration);
  }

  store.addEventListener("change", (e) => {
    const k = e.detail.keys;
    if (k.includes("field") || k.includes("presenting")) render();
  });
}
