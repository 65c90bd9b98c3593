// Inputs that are pictures (n0 = side², such as the 8×8 digits): each sample as
// an image with its class, each first-layer neuron's incoming weights W¹ⱼ as an
// image (red negative, blue positive; it changes as the network trains), and the
// misclassified samples with the class they were given. Values from the API only.
import { cellColour, maxAbs } from "../format.js";
import { imageSide, inkLevel, mistakeLabel, reportPart, valueRange } from "../images.js";

const SHOWN_SAMPLES = 24;
const SHOWN_NEURONS = 64;
const SHOWN_MISTAKES = 24;
const parseRgb = (s) => s.match(/\d+/g).map(Number);

function classOf(target) {
  if (target.length === 1) return target[0] >= 0.5 ? 1 : 0;
  return target.indexOf(Math.max(...target));
}

/** A side × side canvas painted pixel by pixel with colourOf(value) → [r, g, b]. */
function picture(values, side, colourOf, label) {
  const canvas = document.createElement("canvas");
  canvas.width = side;
  canvas.height = side;
  const ctx = canvas.getContext("2d");
  const img = ctx.createImageData(side, side);
  values.forEach((v, i) => {
    const [r, g, b] = colourOf(v);
    img.data.set([r, g, b, 255], 4 * i);
  });
  ctx.putImageData(img, 0, 0);
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", label);
  return canvas;
}

function figure(canvas, caption, attrs = {}) {
  const fig = document.createElement("figure");
  fig.className = "images__item";
  for (const [k, v] of Object.entries(attrs)) fig.setAttribute(k, v);
  const cap = document.createElement("figcaption");
  cap.textContent = caption;
  fig.append(canvas, cap);
  return fig;
}

export function mountInputImages(root, store) {
  const samples = root.querySelector("[data-sample-images]");
  const weights = root.querySelector("[data-weight-images]");
  const mistakes = root.querySelector("[data-mistake-images]");
  const mistakesCaption = root.querySelector("[data-mistakes-caption]");
  let samplesFor = null;

  function renderSamples(session, data, side) {
    if (samplesFor === data) return;
    samplesFor = data;
    const rows = data.train;
    const [lo, hi] = valueRange(rows.inputs.slice(0, 200).flat());
    const shown = rows.inputs.slice(0, SHOWN_SAMPLES).map((x, n) => {
      const label = classOf(rows.targets[n]);
      return figure(picture(x, side, (v) => inkLevel(v, lo, hi), `training sample ${n}, class ${label}`), String(label), { "data-sample": String(n) });
    });
    samples.replaceChildren(...shown);
  }

  function renderWeights(session, side) {
    const W = session.network.weights[0]; // W¹: n₁ rows of n₀ weights
    const shown = W.slice(0, SHOWN_NEURONS).map((row, j) => {
      const range = maxAbs(row);
      return figure(
        picture(row, side, (v) => parseRgb(cellColour(v, range)), `incoming weights of neuron ${j} of layer 1`),
        `${j}`,
        { "data-weight-image": String(j) },
      );
    });
    weights.replaceChildren(...shown);
    weights.dataset.weightsIteration = String(session.cursor.iteration);
  }

  function renderMistakes(predictions, data, side) {
    const part = reportPart(predictions, data);
    const p = part.prediction;
    if (!p?.misclassified || !part.rows) {
      mistakes.replaceChildren();
      mistakesCaption.textContent = "";
      return;
    }
    const [lo, hi] = valueRange(part.rows.inputs.slice(0, 200).flat());
    mistakes.replaceChildren(
      ...p.misclassified.slice(0, SHOWN_MISTAKES).map((n) =>
        figure(
          picture(part.rows.inputs[n], side, (v) => inkLevel(v, lo, hi), `${part.name} sample ${n}: class ${p.actual[n]}, given ${p.predicted[n]}`),
          mistakeLabel(p.actual[n], p.predicted[n]),
          { "data-mistake": String(n) },
        ),
      ),
    );
    const count = p.misclassified.length;
    mistakesCaption.textContent =
      count === 0
        ? `No ${part.name} sample is misclassified at iteration ${predictions.iteration}.`
        : `${count} ${part.name} sample${count === 1 ? " is" : "s are"} misclassified at iteration ${predictions.iteration}${count > SHOWN_MISTAKES ? ` (the first ${SHOWN_MISTAKES} shown)` : ""}: true class → the network's.`;
  }

  function render(keys) {
    const session = store.state.live ?? store.state.session;
    const side = session ? imageSide(session.network.layers[0]) : null;
    root.hidden = side === null;
    if (side === null) return;
    const { sessionData, predictions } = store.state;
    const data = sessionData?.id === session.id ? sessionData : null;
    if (data) renderSamples(session, data, side);
    if (keys.includes("session") || keys.includes("live")) renderWeights(session, side);
    if (data && predictions?.id === session.id) renderMistakes(predictions, data, side);
  }

  store.addEventListener("change", (e) => {
    const k = e.detail.keys;
    if (["session", "live", "sessionData", "predictions"].some((key) => k.includes(key))) render(k);
  });
}
