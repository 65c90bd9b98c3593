// The current step as a file for handouts and exercises: CSV, JSON, LaTeX or a
// NumPy script (step-export.js writes them; this saves them). step-export.js is
// loaded the first time a step is exported: the first page load stays smaller.
import { download } from "./download.js";

export function stepFileActions({ store }) {
  return {
    /** Saves the step in `format` ("csv", "json", "latex" or "numpy"); resolves to the file's text. */
    async exportStep(format) {
      const s = store.state.session;
      if (!s) return null;
      const { stepCsv, stepJson, stepLatex, stepNumpy } = await import("./step-export.js");
      const step = s.steps[s.cursor.index];
      const base = `backprop-lens-t${s.cursor.iteration}-${step.phase}-${step.layer}`;
      const files = {
        csv: () => [`${base}.csv`, stepCsv(step, s.trace, s.cursor), "text/csv"],
        json: () => [`${base}.json`, stepJson(step, s.trace, s.cursor), "application/json"],
        latex: () => [`${base}.tex`, stepLatex(step, s.trace, s.cursor, store.state.digits), "application/x-tex"],
        numpy: () => [`${base}.py`, stepNumpy(step, s.trace, s.cursor), "text/x-python"],
      };
      const [name, text, type] = files[format]();
      download(name, text, type);
      return text;
    },
  };
}
