// The data panel's actions: draw the current data set again with other
// parameters (split, noise, size, seed), or train on the user's CSV, which the
// server checks first and which defines the problem (its sizes, output layer
// and cost: csv-problem.js). Either way a new session replaces the current one.
import { configForCsv, csvSummary } from "./csv-problem.js";

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
    /**
     * The user's CSV: the server checks it and says what it defines; on success a new
     * session trains on it. `choice`: {targetColumns, standardise, classes} (absent or null:
     * the file decides).
     */
    useCsv(text, choice = {}) {
      const s = store.state.session;
      if (!s) return Promise.resolve();
      const before = store.state.csvResult;
      store.set({ csvResult: null });
      let parsed = null;
      const withCsv = async () => {
        parsed = await api.csv(text, choice);
        // large inputs saturate tanh and sigmoid: unless the user chose, standardise them
        if (choice.standardise === undefined && parsed.suggest_standardise) {
          parsed = await api.csv(text, { ...choice, standardise: true });
        }
        return configForCsv(s.config, parsed);
      };
      return replaceSession(withCsv, {
        after: () => ({
          csvResult: {
            ok: true,
            message: csvSummary(parsed),
            columns: parsed.columns,
            targetColumns: parsed.target_columns,
            standardise: Boolean(parsed.standardised),
            classes: Boolean(parsed.class_names),
            suggestStandardise: parsed.suggest_standardise,
          },
        }),
        // the CSV route names the field ("text: line 3 …"); the panel is that field
        refused: (err) => ({
          // a choice of columns that failed keeps its chooser, so it can be changed
          csvResult: { ...(choice.targetColumns ? before : {}), ok: false, message: err.message.replace(/^(text|target_columns): /, "") },
        }),
      });
    },
  };
}
