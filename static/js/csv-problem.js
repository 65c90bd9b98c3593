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
  c.batch_size = Math.min(CSV_BATCH, parsed.rows);
  if (c.test_split && parsed.rows < 2) delete c.test_split;
  delete c.state;
  delete c.fast_forward;
  delete c.preset;
  return c;
}

/** "120 samples loaded: 3 inputs (x1, x2, x3) → 1 target (label); 0/1 classes: sigmoid output, cross_entropy." */
export function csvSummary(parsed) {
  const names = (cols) => cols.map((j) => parsed.columns[j]).join(", ");
  const targets = parsed.target_columns;
  const inputs = parsed.columns.map((_, j) => j).filter((j) => !targets.includes(j));
  const kind = {
    softmax: "one-hot classes",
    sigmoid: "0/1 classes",
    linear: "real values",
  }[parsed.proposal.output_activation] ?? parsed.proposal.task;
  const scaled = parsed.standardised ? " Inputs standardised (mean 0, standard deviation 1)." : "";
  return (
    `${plural(parsed.rows, "sample")} loaded: ${plural(parsed.input_size, "input")} (${names(inputs)}) → ` +
    `${plural(parsed.output_size, "target")} (${names(targets)}); ${kind}: ` +
    `${parsed.proposal.output_activation} output, ${parsed.proposal.cost}.${scaled}`
  );
}
