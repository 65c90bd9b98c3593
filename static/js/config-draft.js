// Pure helpers for the configuration panel: a draft that the panel edits,
// built from a SessionConfig (docs/API.md) and turned back into one, and the
// rules from GET /api/v1/options that keep the draft valid.

const clone = (x) => (x === undefined ? undefined : JSON.parse(JSON.stringify(x)));

// What the draft models, per object of a SessionConfig. Any other field
// (test_split, or one added later) rides along untouched
// in draft.extra, so that a new configuration field needs no change here.
const MODELLED = {
  config: ["network", "cost", "learning_rate", "data", "batch_size", "seed", "optimizer", "weight_decay"],
  network: ["layers", "activations", "init", "weights", "biases"],
  data: ["inputs", "targets", "class_names", "dataset", "size", "noise", "seed"],
};
// Where a session starts (a link's or an export's cursor), not what it is: a
// session from the panel starts at iteration 0, so these are dropped, not kept.
const DROPPED = ["state", "fast_forward"];

/** The fields of `obj` the draft does not model (`kind` names which object), copied. */
const unmodelled = (obj, kind) =>
  Object.fromEntries(
    Object.entries(obj ?? {})
      .filter(([k]) => !MODELLED[kind].includes(k) && !DROPPED.includes(k))
      .map(([k, v]) => [k, clone(v)]),
  );

/** The full SessionConfig behind a config that may be {"preset": name}. */
export function expandConfig(config, presets) {
  if (config && config.preset !== undefined && config.network === undefined) {
    const p = presets.find((x) => x.name === config.preset);
    return p ? clone(p.config) : null;
  }
  return clone(config);
}

/** A draft the panel can edit. `preset` names where it came from (or null). */
export function draftFromConfig(config, presetName = null) {
  const net = config.network;
  const layers = net.layers;
  const L = layers.length - 1;
  const data =
    config.data && config.data.inputs !== undefined
      ? {
          kind: "given",
          inputs: config.data.inputs,
          targets: config.data.targets,
          // a CSV's class labels belong to its samples: they leave when another data set is chosen
          classNames: config.data.class_names ?? null,
        }
      : {
          kind: "dataset",
          dataset: config.data.dataset,
          size: config.data.size ?? null,
          noise: config.data.noise ?? null,
          seed: config.data.seed ?? 0,
        };
  return {
    preset: presetName,
    inputSize: layers[0],
    outputSize: layers[L],
    hidden: layers.slice(1, L).map((width, i) => ({ width, activation: net.activations[i] })),
    outputActivation: net.activations[L - 1],
    cost: config.cost,
    learningRate: config.learning_rate,
    init: clone(net.init) ?? { method: "xavier", seed: 0 },
    weights: clone(net.weights) ?? null,
    biases: clone(net.biases) ?? null,
    data,
    batchSize: config.batch_size ?? sampleCount({ data }),
    seed: config.seed ?? 0,
    // the update rule as the API writes it ({name, settings…}); plain descent when absent
    optimizer: clone(config.optimizer) ?? { name: "sgd" },
    weightDecay: config.weight_decay ?? 0,
    // the fields it does not model, given back as they came by configFromDraft
    extra: { config: unmodelled(config, "config"), network: unmodelled(net, "network"), data: unmodelled(config.data, "data") },
  };
}

/** How many samples the draft's data has (null when the server decides). */
export function sampleCount(draft) {
  if (draft.data.kind === "given") return draft.data.inputs.length;
  return draft.data.size ?? null;
}

/** The layer sizes n0 … nL of a draft. */
function draftLayers(draft) {
  return [draft.inputSize, ...draft.hidden.map((h) => h.width), draft.outputSize];
}

/** The SessionConfig to POST for a draft. */
export function configFromDraft(draft) {
  const extra = draft.extra ?? { config: {}, network: {}, data: {} };
  const network = {
    ...clone(extra.network),
    layers: draftLayers(draft),
    activations: [...draft.hidden.map((h) => h.activation), draft.outputActivation],
  };
  if (draft.weights && draft.biases) {
    network.weights = draft.weights;
    network.biases = draft.biases;
  } else {
    network.init = { method: draft.init.method, seed: draft.init.seed };
  }
  const data = {
    ...clone(extra.data),
    ...(draft.data.kind === "given"
      ? {
          inputs: draft.data.inputs,
          targets: draft.data.targets,
          ...(draft.data.classNames ? { class_names: draft.data.classNames } : {}),
        }
      : Object.fromEntries(
          Object.entries({
            dataset: draft.data.dataset,
            size: draft.data.size,
            noise: draft.data.noise,
            seed: draft.data.seed,
          }).filter(([, v]) => v !== null && v !== undefined),
        )),
  };
  return {
    ...clone(extra.config),
    network,
    cost: draft.cost,
    learning_rate: draft.learningRate,
    data,
    batch_size: draft.batchSize,
    seed: draft.seed,
    ...(draft.optimizer && draft.optimizer.name !== "sgd" ? { optimizer: clone(draft.optimizer) } : {}),
    ...(draft.weightDecay ? { weight_decay: draft.weightDecay } : {}),
  };
}

/** The draft with another optimizer, at that optimizer's defaults (GET /options' `optimizers`). */
export function withOptimizer(draft, options, name) {
  const known = (options.optimizers ?? []).find((o) => o.name === name);
  return { ...draft, optimizer: { name, ...clone(known?.defaults ?? {}) } };
}

/** Activation names allowed in a hidden layer (output_only ones are not). */
export function hiddenActivations(options) {
  return options.activations.filter((a) => !a.output_only).map((a) => a.name);
}

/** Why `cost` cannot follow an output activation, or null when it can. */
export function costProblem(options, cost, outputActivation) {
  const c = options.costs.find((x) => x.name === cost);
  if (!c) return `unknown cost ${cost}`;
  if (c.requires_output && c.requires_output !== outputActivation) {
    return `${cost} needs a ${c.requires_output} output layer`;
  }
  if (c.requires_unit_range) {
    const a = options.activations.find((x) => x.name === outputActivation);
    const [lo, hi] = a?.output_range ?? [null, null];
    if (lo === null || hi === null || lo < 0 || hi > 1) {
      return `${cost} needs outputs between 0 and 1 (sigmoid or softmax), not ${outputActivation}`;
    }
  }
  return null;
}

/** Why an activation cannot be the output with some cost... (inverse of costProblem). */
export function firstValidCost(options, outputActivation) {
  return options.costs.find((c) => costProblem(options, c.name, outputActivation) === null)?.name ?? null;
}

/** Drop explicit weights: they no longer fit once the architecture changes. */
export function withoutWeights(draft) {
  return { ...draft, weights: null, biases: null, preset: null };
}
