// The data panel: train/test split, noise, size and seed of a synthetic data
// set (a new session draws them), and the user's own CSV (pasted or uploaded).
// The server checks the CSV and says what is wrong; this view shows its words.

export function mountDataPanel(root, store, actions) {
  const inputs = Object.fromEntries([...root.querySelectorAll("[data-data]")].map((e) => [e.dataset.data, e]));
  const synthetic = root.querySelector("[data-synthetic]");
  const apply = root.querySelector("[data-action='apply-data']");
  const text = root.querySelector("[data-csv-text]");
  const file = root.querySelector("[data-csv-file]");
  const use = root.querySelector("[data-action='use-csv']");
  const result = root.querySelector("[data-csv-result]");
  const hint = root.querySelector("[data-csv-hint]");

  apply.addEventListener("click", () => {
    const changes = { test_split: Number(inputs.test_split.value) };
    for (const k of ["noise", "size", "seed"]) {
      if (!inputs[k].disabled && inputs[k].value !== "") changes[k] = Number(inputs[k].value);
    }
    actions.changeData(changes);
  });
  file.addEventListener("change", async () => {
    const f = file.files?.[0];
    if (!f) return;
    text.value = await f.text();
    file.value = "";
    actions.useCsv(text.value);
  });
  use.addEventListener("click", () => actions.useCsv(text.value));

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
    const layers = session.network.layers;
    const n0 = layers[0];
    const nL = layers[layers.length - 1];
    hint.textContent = `One sample per line: ${n0} input${n0 === 1 ? "" : "s"}, then ${nL} target${nL === 1 ? "" : "s"} (${n0 + nL} numbers), as this network has. At most ${store.state.options?.limits?.max_samples ?? 2000} rows; a header line is allowed.`;
    result.hidden = !csvResult;
    if (csvResult) {
      result.textContent = csvResult.message;
      result.dataset.kind = csvResult.ok ? "ok" : "error";
    }
  }
  store.addEventListener("change", (e) => {
    const k = e.detail.keys;
    if (k.includes("session") || k.includes("csvResult") || k.includes("datasets")) render();
  });
}
