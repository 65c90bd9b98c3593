// The data panel: train/test split, noise, size and seed of a synthetic data
// set (a new session draws them), and the user's own CSV (pasted or uploaded).
// The server checks the CSV, says what is wrong, and says what the file defines
// (its columns, which are targets, the output layer and cost); after a file has
// loaded, the panel offers to choose its target columns, whether the target holds
// class labels (one output per class) and to standardise inputs.

export function mountDataPanel(root, store, actions) {
  const inputs = Object.fromEntries([...root.querySelectorAll("[data-data]")].map((e) => [e.dataset.data, e]));
  const synthetic = root.querySelector("[data-synthetic]");
  const apply = root.querySelector("[data-action='apply-data']");
  const text = root.querySelector("[data-csv-text]");
  const file = root.querySelector("[data-csv-file]");
  const use = root.querySelector("[data-action='use-csv']");
  const result = root.querySelector("[data-csv-result]");
  const hint = root.querySelector("[data-csv-hint]");
  const chooser = root.querySelector("[data-csv-chooser]");
  const targetsBox = root.querySelector("[data-csv-targets]");
  const standardise = root.querySelector("[data-csv-standardise]");
  const classes = root.querySelector("[data-csv-classes]");
  const standardiseHint = root.querySelector("[data-csv-standardise-hint]");
  let chooserFor = null; // the text whose columns the chooser shows

  apply.addEventListener("click", () => {
    const changes = { test_split: Number(inputs.test_split.value) };
    for (const k of ["noise", "size", "seed"]) {
      if (!inputs[k].disabled && inputs[k].value !== "") changes[k] = Number(inputs[k].value);
    }
    actions.changeData(changes);
  });

  /** The user's choice of columns, when the chooser belongs to this text. */
  function choice() {
    if (chooser.hidden || chooserFor !== text.value) return {};
    const targetColumns = [...targetsBox.querySelectorAll("input:checked")].map((c) => Number(c.value));
    // class labels: as the user set them, else as the file says (words are, numbers are not)
    const labels = classes.dataset.touched ? { classes: classes.checked } : {};
    return { targetColumns: targetColumns.length ? targetColumns : null, standardise: standardise.checked, ...labels };
  }
  classes.addEventListener("change", () => {
    classes.dataset.touched = "true";
  });
  const useText = () => {
    const picked = choice();
    chooserFor = text.value; // the answer's columns will be this text's
    return actions.useCsv(text.value, picked);
  };
  file.addEventListener("change", async () => {
    const f = file.files?.[0];
    if (!f) return;
    text.value = await f.text();
    file.value = "";
    useText();
  });
  use.addEventListener("click", useText);
  root.querySelector("[data-action='use-csv-again']").addEventListener("click", useText);
  text.addEventListener("input", () => {
    chooser.hidden = true; // another text: its columns are not these
  });

  function renderChooser(csvResult) {
    const columns = csvResult?.columns;
    chooser.hidden = !columns || chooserFor === null || chooserFor !== text.value;
    if (!columns) return;
    const boxes = columns.map((name, j) => {
      const label = document.createElement("label");
      label.className = "csv__column";
      const box = document.createElement("input");
      box.type = "checkbox";
      box.value = String(j);
      box.checked = csvResult.targetColumns.includes(j);
      box.dataset.csvTarget = String(j);
      label.append(box, document.createTextNode(` ${name}`));
      return label;
    });
    targetsBox.replaceChildren(...boxes);
    standardise.checked = Boolean(csvResult.standardise);
    classes.checked = Boolean(csvResult.classes);
    delete classes.dataset.touched;
    standardiseHint.hidden = !csvResult.suggestStandardise || csvResult.standardise;
  }

  function render() {
    const { session, datasets, csvResult } = store.state;
    if (!session) return;
    const c = session.config;
    const named = c.data.dataset !== undefined;
    const spec = named ? datasets.find((d) => d.name === c.data.dataset) : null;
    const value = (k, fallback) => String(c.data[k] ?? fallback ?? "");
    if (document.activeElement !== inputs.test_split) inputs.test_split.value = String(c.test_split ?? 0);
    if (![...inputs.test_split.options].some((o) => o.value === inputs.test_split.value)) {
      inputs.test_split.append(new Option(`${Math.round(100 * c.test_split)}%`, String(c.test_split), true, true));
    }
    for (const k of ["noise", "size", "seed"]) {
      inputs[k].disabled = !named;
      if (document.activeElement !== inputs[k]) {
        inputs[k].value = named ? value(k, spec?.parameters?.[k]?.default) : "";
      }
    }
    synthetic.title = named ? "" : "Your own data has no noise, size or seed to draw again";
    const maxRows = store.state.options?.limits?.max_samples ?? 2000;
    hint.textContent =
      `One sample per line, values separated by commas, semicolons (then 1,5 is 1.5), tabs or spaces; a header line is allowed. ` +
      `The file sets the network's inputs and outputs: the targets are the columns named y, target, label or class (or the last column), ` +
      `and you can choose others once it has loaded. A target of words (such as setosa, versicolor, virginica) gets one output per class. At most ${maxRows} rows.`;
    result.hidden = !csvResult;
    if (csvResult) {
      result.textContent = csvResult.message;
      result.dataset.kind = csvResult.ok ? "ok" : "error";
    }
    renderChooser(csvResult);
  }
  store.addEventListener("change", (e) => {
    const k = e.detail.keys;
    if (k.includes("session") || k.includes("csvResult") || k.includes("datasets")) render();
  });
}
