// The configuration panel: edit the network (hidden layers and widths,
// activations, cost, learning rate, init, data, batch size) and start a new
// session with it. Options the engine rejects are disabled using
// GET /api/v1/options; what still fails shows the server's message inline.
import {
  configFromDraft,
  costProblem,
  draftFromConfig,
  expandConfig,
  firstValidCost,
  hiddenActivations,
  sampleCount,
  withOptimizer,
  withoutWeights,
} from "../config-draft.js";

const GIVEN = "__given__";

function option(value, text, { selected = false, disabled = false, title = "" } = {}) {
  const o = new Option(text, value, selected, selected);
  o.disabled = disabled;
  if (title) o.title = title;
  return o;
}

function field(labelText, control, hint) {
  const wrap = document.createElement("label");
  wrap.className = "field";
  const span = document.createElement("span");
  span.className = "field__label";
  span.textContent = labelText;
  wrap.append(span, control);
  if (hint) {
    const h = document.createElement("span");
    h.className = "field__hint";
    h.textContent = hint;
    wrap.append(h);
  }
  return wrap;
}

function select(name, options) {
  const s = document.createElement("select");
  s.dataset.field = name;
  s.name = name;
  s.append(...options);
  return s;
}

function numberInput(name, value, attrs = {}) {
  const input = document.createElement("input");
  input.type = "number";
  input.dataset.field = name;
  input.name = name;
  input.value = value === null || value === undefined ? "" : String(value);
  for (const [k, v] of Object.entries(attrs)) input.setAttribute(k, String(v));
  return input;
}

function button(text, name, attrs = {}) {
  const b = document.createElement("button");
  b.type = "button";
  b.dataset.field = name;
  b.textContent = text;
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "disabled") b.disabled = Boolean(v);
    else b.setAttribute(k, String(v));
  }
  return b;
}

// Each optimizer setting's label and input bounds (the server checks them again)
const OPTIMIZER_SETTINGS = {
  momentum: ["momentum μ", { step: "any", min: 0, max: 0.999999 }],
  alpha: ["decay α", { step: "any", min: 0, max: 0.999999 }],
  beta1: ["β₁", { step: "any", min: 0, max: 0.999999 }],
  beta2: ["β₂", { step: "any", min: 0, max: 0.999999 }],
  eps: ["ε", { step: "any", min: 0 }],
};
const OPTIMIZER_TITLES = { sgd: "plain gradient descent (sgd)", momentum: "momentum", rmsprop: "RMSProp", adam: "Adam" };

/** The update rule: its name, its settings (torch.optim's defaults) and weight decay λ. */
function optimizerFields(draft, options) {
  const box = document.createElement("fieldset");
  box.className = "optimizer";
  box.dataset.optimizerFields = "";
  const legend = document.createElement("legend");
  legend.textContent = "Update rule";
  const chosen = draft.optimizer?.name ?? "sgd";
  const names = (options.optimizers ?? [{ name: "sgd" }]).map((o) => o.name);
  box.append(legend, field("optimizer", select("optimizer", names.map((n) => option(n, OPTIMIZER_TITLES[n] ?? n, { selected: n === chosen })))));
  const row = document.createElement("div");
  row.className = "field-row";
  for (const [key, value] of Object.entries(draft.optimizer ?? {})) {
    if (key === "name") continue;
    if (key === "nesterov") {
      const box = document.createElement("input");
      box.type = "checkbox";
      box.dataset.field = "opt-nesterov";
      box.name = "opt-nesterov";
      box.checked = Boolean(value);
      row.append(field("Nesterov", box));
      continue;
    }
    const [label, attrs] = OPTIMIZER_SETTINGS[key] ?? [key, { step: "any" }];
    row.append(field(label, numberInput(`opt-${key}`, value, attrs)));
  }
  row.append(field("weight decay λ", numberInput("weight-decay", draft.weightDecay ?? 0, { step: "any", min: 0 })));
  box.append(row);
  return box;
}

/**
 * The settings a session changes in place (PATCH; stepping back past a change
 * returns to the older ones), as the draft names them.
 */
function settingsInPlace(config) {
  return {
    learningRate: config.learning_rate,
    batchSize: config.batch_size,
    optimizer: config.optimizer ?? { name: "sgd" },
    weightDecay: config.weight_decay ?? 0,
  };
}

export function mountConfig(root, store, actions) {
  const form = root.querySelector("form[data-config-form]");
  const fields = form.querySelector("[data-config-fields]");
  const errorBox = form.querySelector("[data-config-error]");
  const noteBox = form.querySelector("[data-config-note]");
  const toggle = document.querySelector("[data-action='toggle-config']");
  let draft = null;
  let sessionId = null;
  let dirty = false;
  let shownInPlace = {}; // the session's in-place settings (settingsInPlace) the fields last took

  const setOpen = (open) => {
    root.hidden = !open;
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    document.body.classList.toggle("config-open", open);
  };
  setOpen(window.innerWidth >= 1500);
  toggle.addEventListener("click", () => {
    setOpen(root.hidden);
    if (!root.hidden) form.querySelector("[data-field]")?.focus();
  });

  const note = (text) => {
    noteBox.textContent = text ?? "";
    noteBox.hidden = !text;
  };

  function update(mutator, { rerender = true } = {}) {
    draft = mutator(draft) ?? draft;
    dirty = true;
    form.dataset.dirty = "true";
    if (rerender) render();
  }

  function render() {
    const { options, datasets, presets } = store.state;
    if (!draft || !options) return;
    const focused = document.activeElement?.dataset?.field;
    const limits = options.limits ?? {};
    const maxWidth = limits.max_width ?? 64;
    const maxHidden = Math.max(0, (limits.max_layers ?? 8) - 1);
    const hiddenActs = hiddenActivations(options);
    const allActs = options.activations.map((a) => a.name);
    const frag = document.createDocumentFragment();

    // preset
    const presetSel = select("preset", [
      ...(draft.preset ? [] : [option("", "— your own configuration —", { selected: true })]),
      ...presets.map((p) => option(p.name, p.title ?? p.name, { selected: p.name === draft.preset, title: p.description })),
    ]);
    frag.append(field("Preset", presetSel, "Loads at once and starts a new session."));

    // data
    const dataOpts = [];
    if (draft.data.kind === "given" || draft.givenData) {
      const given = draft.data.kind === "given" ? draft.data : draft.givenData;
      dataOpts.push(option(GIVEN, `the ${given.inputs.length} given sample(s) (a preset's or your CSV's)`, { selected: draft.data.kind === "given" }));
    }
    for (const d of datasets) {
      dataOpts.push(
        option(d.name, `${d.name} (${d.input_size}→${d.output_size}, ${d.task})`, {
          selected: draft.data.kind === "dataset" && draft.data.dataset === d.name,
          title: d.description,
        }),
      );
    }
    frag.append(field("Data", select("dataset", dataOpts)));
    if (draft.data.kind === "dataset") {
      const spec = datasets.find((d) => d.name === draft.data.dataset);
      const size = spec?.parameters?.size;
      const row = document.createElement("div");
      row.className = "field-row";
      row.append(
        field("samples", numberInput("data-size", draft.data.size ?? size?.default ?? "", { min: size?.min ?? 1, max: size?.max ?? "", step: 1 })),
        field("noise", numberInput("data-noise", draft.data.noise ?? spec?.parameters?.noise?.default ?? 0, { step: "any", min: 0 })),
        field("data seed", numberInput("data-seed", draft.data.seed ?? 0, { step: 1 })),
      );
      frag.append(row);
    }

    // layers
    const layersBox = document.createElement("fieldset");
    layersBox.className = "layers";
    const legend = document.createElement("legend");
    legend.textContent = "Layers";
    layersBox.append(legend);
    const inputRow = document.createElement("div");
    inputRow.className = "layer-row";
    inputRow.dataset.layerRow = "0";
    inputRow.textContent = `input: ${draft.inputSize} (set by the data)`;
    layersBox.append(inputRow);
    draft.hidden.forEach((h, i) => {
      const row = document.createElement("div");
      row.className = "layer-row";
      row.dataset.layerRow = String(i + 1);
      const name = document.createElement("span");
      name.className = "layer-row__name";
      name.textContent = `hidden ${i + 1}`;
      // typed, or one neuron at a time with − and +
      const width = numberInput(`width-${i + 1}`, h.width, { min: 1, max: maxWidth, step: 1, inputmode: "numeric" });
      width.className = "layer-row__width";
      width.dataset.width = String(i + 1);
      width.setAttribute("aria-label", `neurons in hidden layer ${i + 1}`);
      const act = select(
        `activation-${i + 1}`,
        hiddenActs.map((a) => option(a, a, { selected: a === h.activation })),
      );
      act.setAttribute("aria-label", `activation of hidden layer ${i + 1}`);
      row.append(
        name,
        button("−", `narrower-${i + 1}`, { "aria-label": `fewer neurons in hidden layer ${i + 1}`, disabled: h.width <= 1 }),
        width,
        button("+", `wider-${i + 1}`, { "aria-label": `more neurons in hidden layer ${i + 1}`, disabled: h.width >= maxWidth }),
        act,
        button("✕", `remove-${i + 1}`, { "aria-label": `remove hidden layer ${i + 1}`, class: "remove" }),
      );
      layersBox.append(row);
    });
    layersBox.append(
      button("+ hidden layer", "add-layer", { class: "add", disabled: draft.hidden.length >= maxHidden }),
    );
    const outRow = document.createElement("div");
    outRow.className = "layer-row";
    outRow.dataset.layerRow = String(draft.hidden.length + 1);
    const outName = document.createElement("span");
    outName.className = "layer-row__name";
    outName.textContent = `output: ${draft.outputSize}`;
    const outAct = select(
      "activation-output",
      allActs.map((a) => option(a, a, { selected: a === draft.outputActivation })),
    );
    outAct.setAttribute("aria-label", "activation of the output layer");
    outRow.append(outName, outAct);
    layersBox.append(outRow);
    frag.append(layersBox);

    // cost
    const costSel = select(
      "cost",
      options.costs.map((c) => {
        const problem = costProblem(options, c.name, draft.outputActivation);
        return option(c.name, problem ? `${c.name} (not with ${draft.outputActivation})` : c.name, {
          selected: c.name === draft.cost,
          disabled: Boolean(problem),
          title: problem ?? "",
        });
      }),
    );
    frag.append(field("Cost", costSel));

    const row2 = document.createElement("div");
    row2.className = "field-row";
    row2.append(
      field("learning rate η", numberInput("learning-rate", draft.learningRate, { step: "any", "aria-describedby": "in-place-hint" })),
      field("batch size", numberInput("batch-size", draft.batchSize, { step: 1, min: 1, max: Math.min(limits.max_batch_size ?? 1e9, sampleCount(draft) ?? 1e9), "aria-describedby": "in-place-hint" })),
    );
    frag.append(row2);
    frag.append(optimizerFields(draft, options));
    const hint = document.createElement("p");
    hint.className = "field__hint";
    hint.id = "in-place-hint";
    hint.textContent = "η, batch size, the update rule and weight decay apply at once, from the current iteration on; earlier iterations keep theirs.";
    frag.append(hint);

    const initSel = select("init", [
      ...(draft.weights ? [option(GIVEN, "the preset's weights", { selected: true })] : []),
      ...(options.init_methods ?? []).map((m) => option(m, m, { selected: !draft.weights && m === draft.init.method })),
    ]);
    const row3 = document.createElement("div");
    row3.className = "field-row";
    const seedInput = numberInput("init-seed", draft.init.seed, { step: 1 });
    seedInput.disabled = Boolean(draft.weights);
    row3.append(field("initial weights", initSel), field("init seed", seedInput));
    frag.append(row3);

    fields.replaceChildren(frag);
    if (focused) form.querySelector(`[data-field="${focused}"]`)?.focus();
    form.dataset.dirty = dirty ? "true" : "false";
  }

  // edits
  form.addEventListener("click", (e) => {
    const b = e.target.closest("button[data-field]");
    if (!b) return;
    const f = b.dataset.field;
    let m;
    if ((m = /^narrower-(\d+)$/.exec(f))) {
      const i = Number(m[1]) - 1;
      update((d) => {
        const nd = withoutWeights(d);
        nd.hidden = d.hidden.map((h, k) => (k === i ? { ...h, width: Math.max(1, h.width - 1) } : h));
        return nd;
      });
    } else if ((m = /^wider-(\d+)$/.exec(f))) {
      const i = Number(m[1]) - 1;
      update((d) => {
        const nd = withoutWeights(d);
        nd.hidden = d.hidden.map((h, k) => (k === i ? { ...h, width: h.width + 1 } : h));
        return nd;
      });
    } else if ((m = /^remove-(\d+)$/.exec(f))) {
      const i = Number(m[1]) - 1;
      update((d) => {
        const nd = withoutWeights(d);
        nd.hidden = d.hidden.filter((_, k) => k !== i);
        return nd;
      });
    } else if (f === "add-layer") {
      update((d) => {
        const nd = withoutWeights(d);
        const last = d.hidden[d.hidden.length - 1];
        nd.hidden = [...d.hidden, { width: last?.width ?? 3, activation: last?.activation ?? "tanh" }];
        return nd;
      });
    }
  });

  form.addEventListener("change", (e) => {
    const t = e.target;
    const f = t.dataset?.field;
    if (!f) return;
    const { options, datasets } = store.state;
    if (f === "preset") {
      if (t.value) actions.loadPreset(t.value);
      return;
    }
    if (f === "dataset") {
      update((d) => {
        if (t.value === GIVEN) {
          return { ...d, data: d.givenData ?? d.data, preset: null };
        }
        const spec = datasets.find((x) => x.name === t.value);
        const nd = { ...d, preset: null, givenData: d.data.kind === "given" ? d.data : d.givenData };
        nd.data = { kind: "dataset", dataset: spec.name, size: spec.parameters?.size?.default ?? null, noise: spec.parameters?.noise?.default ?? null, seed: 0 };
        if (nd.inputSize !== spec.input_size || nd.outputSize !== spec.output_size) {
          nd.weights = null;
          nd.biases = null;
        }
        nd.inputSize = spec.input_size;
        nd.outputSize = spec.output_size;
        nd.outputActivation = spec.output_activation ?? nd.outputActivation;
        nd.cost = spec.cost ?? nd.cost;
        const n = sampleCount(nd);
        if (n !== null) nd.batchSize = Math.min(n, 8, options.limits?.max_batch_size ?? n);
        if (nd.hidden.length === 0) nd.hidden = [{ width: 4, activation: "tanh" }];
        note(`Input and output sizes, output activation and cost now follow ${spec.name}.`);
        return nd;
      });
      return;
    }
    let m;
    if ((m = /^width-(\d+)$/.exec(f))) {
      const i = Number(m[1]) - 1;
      const typed = Math.round(Number(t.value));
      const maxWidth = options.limits?.max_width ?? 64;
      const width = Number.isFinite(typed) && t.value !== "" ? Math.max(1, Math.min(maxWidth, typed)) : draft.hidden[i].width;
      update((d) => {
        const nd = withoutWeights(d);
        nd.hidden = d.hidden.map((h, k) => (k === i ? { ...h, width } : h));
        return nd;
      });
      return;
    }
    if ((m = /^activation-(\d+)$/.exec(f))) {
      const i = Number(m[1]) - 1;
      update((d) => ({ ...d, preset: null, hidden: d.hidden.map((h, k) => (k === i ? { ...h, activation: t.value } : h)) }));
      return;
    }
    if (f === "activation-output") {
      update((d) => {
        const nd = { ...d, preset: null, outputActivation: t.value };
        if (costProblem(options, nd.cost, nd.outputActivation)) {
          const c = firstValidCost(options, nd.outputActivation);
          note(`The cost ${nd.cost} does not work with a ${nd.outputActivation} output, so it is now ${c}.`);
          nd.cost = c;
        } else note(null);
        return nd;
      });
      return;
    }
    const num = (v) => (v === "" ? null : Number(v));
    // η, the batch size, the update rule and weight decay change the running session
    // in place (PATCH), from its current iteration on: no new session, no return to
    // iteration 0 (the draft follows, so that "Start" would begin with them too)
    const inPlace = { "learning-rate": ["learningRate", "learning_rate"], "batch-size": ["batchSize", "batch_size"], "weight-decay": ["weightDecay", "weight_decay"] }[f];
    if (inPlace) {
      const [key, name] = inPlace;
      const value = num(t.value);
      draft = { ...draft, [key]: value ?? (key === "weightDecay" ? 0 : null) };
      if (value !== null && store.state.session) actions.changeSettings({ [name]: value });
      return;
    }
    if (f === "optimizer" || (m = /^opt-(\w+)$/.exec(f))) {
      const rule = f === "optimizer"
        ? withOptimizer(draft, options, t.value).optimizer
        : { ...draft.optimizer, [m[1]]: m[1] === "nesterov" ? t.checked : num(t.value) };
      draft = { ...draft, optimizer: rule };
      if (f === "optimizer") render(); // its own settings' fields
      const complete = Object.values(rule).every((v) => v !== null && !Number.isNaN(v));
      if (complete && store.state.session) actions.changeSettings({ optimizer: rule });
      return;
    }
    const simple = {
      cost: (d) => ({ ...d, cost: t.value }),
      "init-seed": (d) => ({ ...d, init: { ...d.init, seed: num(t.value) } }),
      init: (d) =>
        t.value === GIVEN ? d : { ...d, weights: null, biases: null, init: { ...d.init, method: t.value } },
      "data-size": (d) => ({ ...d, data: { ...d.data, size: num(t.value) } }),
      "data-noise": (d) => ({ ...d, data: { ...d.data, noise: num(t.value) } }),
      "data-seed": (d) => ({ ...d, data: { ...d.data, seed: num(t.value) } }),
    }[f];
    if (simple) update((d) => ({ ...simple(d), preset: null }));
  });

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    if (draft) actions.createSession(configFromDraft(draft));
  });

  /** η or the batch size changed in place (here, or by "Try η = …"): the fields show it. */
  function followInPlace(config) {
    const values = settingsInPlace(config);
    const changed = JSON.stringify(values) !== JSON.stringify(shownInPlace);
    shownInPlace = values;
    if (!changed) return;
    draft = { ...draft, ...values, batchSize: values.batchSize ?? draft.batchSize };
    render();
  }

  function showError() {
    const err = store.state.configError;
    for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
    if (!err) {
      errorBox.hidden = true;
      errorBox.textContent = "";
      return;
    }
    errorBox.hidden = false;
    errorBox.dataset.code = err.code;
    errorBox.dataset.errorField = err.field ?? "";
    errorBox.textContent = err.message;
    const map = { learning_rate: "learning-rate", batch_size: "batch-size", cost: "cost", weight_decay: "weight-decay" };
    const [head, setting] = (err.field ?? "").split(".");
    const target = head === "optimizer" ? (setting ? `opt-${setting}` : "optimizer") : map[head];
    form.querySelector(`[data-field="${target}"]`)?.setAttribute("aria-invalid", "true");
    if (root.hidden) setOpen(true);
    errorBox.scrollIntoView({ block: "nearest" });
  }

  store.addEventListener("change", (e) => {
    const k = e.detail.keys;
    const { session, presets } = store.state;
    if (k.includes("session") && session && session.id === sessionId && draft) followInPlace(session.config);
    if (k.includes("session") && session && session.id !== sessionId) {
      sessionId = session.id;
      const presetName = session.config?.preset ?? store.state.lastPreset ?? null;
      const full = expandConfig(session.config, presets);
      if (full) {
        draft = draftFromConfig(full, presetName);
        shownInPlace = settingsInPlace(session.config);
        dirty = false;
        note(null);
        render();
      }
    }
    if (k.includes("options") || k.includes("datasets") || k.includes("presets")) render();
    if (k.includes("configError")) showError();
  });
  return { render, open: () => setOpen(true) };
}
