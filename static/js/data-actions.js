// The data panel's actions: draw the current data set again with other
// parameters (split, noise, size, seed), or train on the user's CSV, which the
// server checks first. Either way a new session replaces the current one.

const copy = (config) => JSON.parse(JSON.stringify(config));

/** `replacer` is the page's sessionReplacer (session-replace.js). */
export function dataActions({ store, api, replacer }) {
  const { replaceSession } = replacer;
  return {
    /** A new session with the current configuration's data changed (split, noise, size, seed). */
    changeData(changes) {
      const s = store.state.session;
      if (!s) return Promise.resolve();
      const config = copy(s.config);
      if (changes.test_split !== undefined) {
        if (changes.test_split > 0) config.test_split = changes.test_split;
        else delete config.test_split;
      }
      if (config.data.dataset !== undefined) {
        for (const k of ["noise", "size", "seed"]) if (changes[k] !== undefined) config.data[k] = changes[k];
      }
      return replaceSession(config);
    },
    /** The user's CSV: the server checks it; on success a new session trains on it. */
    useCsv(text) {
      const s = store.state.session;
      if (!s) return Promise.resolve();
      store.set({ csvResult: null });
      let parsed = null;
      const withCsv = async () => {
        const layers = s.network.layers;
        parsed = await api.csv(text, layers[0], layers[layers.length - 1], s.config.cost);
        const config = copy(s.config);
        config.data = { inputs: parsed.inputs, targets: parsed.targets };
        config.batch_size = Math.min(config.batch_size ?? 32, parsed.rows);
        if (config.test_split && parsed.rows < 2) delete config.test_split;
        return config;
      };
      const columns = () => (parsed.header ? ` (columns ${parsed.header.join(", ")})` : "");
      return replaceSession(withCsv, {
        after: () => ({ csvResult: { ok: true, message: `${parsed.rows} samples loaded${columns()}.` } }),
        // the CSV route names the field ("text: line 3 …"); the panel is that field
        refused: (err) => ({ csvResult: { ok: false, message: err.message.replace(/^text: /, "") } }),
      });
    },
  };
}
