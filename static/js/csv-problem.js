// Pure helpers for the user's CSV: the session configuration a file proposes
// (its sizes, the output layer and cost the server chose for its targets, the
// current hidden layers) and the sentence that says what was loaded.

const copy = (x) => JSON.parse(JSON.stringify(x));
const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

// A network without hidden layers gets one: a file's problem is rarely linear.
const DEFAULT_HIDDEN = { width: 8, activation: "tanh" };
// Mini-batches of 32 (or the whole file, if smaller): a steadier descent than the
// single sample of the worked example a page starts with.
const CSV_BATCH = 32;

/**
 * The SessionConfig that trains on `parsed` (POST /datasets/csv's answer): n0 and nL
 * from the file, the proposed output activation and cost, the current config's hidden
 * layers, learning rate, seed and test split; batches of 32 (at most the rows).
 */
export function configForCsv(config, parsed) {
  const c = copy(config);
  const net = c.network;
  const L = net.layers.length - 1;
  let widths = net.layers.slice(1, L);
  let acts = net.activations.slice(0, L - 1);
  if (widths.length === 0) {
    widths = [DEFAULT_HIDDEN.width];
    acts = [DEFAULT_HIDDEN.activation];
  }
  const { layers: _l, activations: _a, weights: _w, biases: _b, init, ...rest } = net;
  c.network = {
    ...rest,
    layers: [parsed.input_size, ...widths, parsed.output_size],
    activations: [...acts, parsed.proposal.output_activation],
    init: init ?? { method: "xavier", seed: 0 },
  };
  c.cost = parsed.proposal.cost;
  c.data = { inputs: parsed.inputs, targets: parsed.targets };
  if (parsed.class_names) c.data.class_names = parsed.class_names; // the page names the classes
  c.batch_size = Math.min(CSV_BATCH, parsed.rows);
  if (c.test_split && parsed.rows < 2) delete c.test_split;
  delete c.state;
  delete c.fast_forward;
  delete c.preset;
  return c;
}

const SHOWN_LABELS = 10; // a long list of classes is cut: the confusion matrix has them all

/** "species, 3 classes (setosa, versicolor, virginica) as 3 outputs" for a column of labels. */
function classTargets(labels, column, outputSize) {
  const shown = labels.slice(0, SHOWN_LABELS).join(", ") + (labels.length > SHOWN_LABELS ? ", …" : "");
  const as = outputSize === 1 ? `1 output (1: ${labels[1]})` : `${outputSize} outputs`;
  return `${column}, ${labels.length} classes (${shown}) as ${as}`;
}

const KINDS = { softmax: "one-hot classes", sigmoid: "0/1 classes", linear: "real values" };

/**
 * "120 samples loaded: 3 inputs (x1, x2, x3) → 1 target (label); 0/1 classes: sigmoid output, cross_entropy."
 * A column of labels: "… → species, 3 classes (setosa, versicolor, virginica) as 3 outputs; softmax output, …".
 */
export function csvSummary(parsed) {
  const names = (cols) => cols.map((j) => parsed.columns[j]).join(", ");
  const targets = parsed.target_columns;
  const inputs = parsed.columns.map((_, j) => j).filter((j) => !targets.includes(j));
  const scaled = parsed.standardised ? " Inputs standardised (mean 0, standard deviation 1)." : "";
  const { output_activation: activation, cost, task } = parsed.proposal;
  const outputs = parsed.class_names
    ? classTargets(parsed.class_names, names(targets), parsed.output_size)
    : `${plural(parsed.output_size, "target")} (${names(targets)}); ${KINDS[activation] ?? task}:`;
  return (
    `${plural(parsed.rows, "sample")} loaded: ${plural(parsed.input_size, "input")} (${names(inputs)}) → ` +
    `${outputs}${parsed.class_names ? ";" : ""} ${activation} output, ${cost}.${scaled}`
  );
}
