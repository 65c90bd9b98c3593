// The instructor's side of class questions: ask about the coming step, follow the
// count while the round is open, close, vote again, reveal. Writes
// store.state.askedQuestion (the API's question result) and questionError. While a
// round is open the count is read every ASKED_EVERY_MS (the API has no event for the
// instructor); on reveal the page seeks to the asked step as the server did.
import { ApiError, api } from "./api.js";
import { comingStep } from "./class-question.js";

const ASKED_EVERY_MS = 100; // bench/classroom.py: a new answer reaches the panel within 200 ms (p99)

export function createQuestions(store, seek) {
  let polling = null;
  const failed = (err) =>
    store.set({ questionError: err instanceof ApiError ? err.message : `Unexpected problem: ${err.message}` });

  async function refresh() {
    const asked = store.state.askedQuestion;
    const live = store.state.liveClass;
    if (!asked || !live || document.hidden) return;
    try {
      const result = await api.getQuestion(live.sessionId, asked.question_id);
      if (store.state.askedQuestion?.question_id === result.question_id) store.set({ askedQuestion: result });
    } catch (err) {
      failed(err);
    }
  }

  store.addEventListener("change", (e) => {
    if (!e.detail.keys.includes("askedQuestion") && !e.detail.keys.includes("liveClass")) return;
    const open = Boolean(store.state.askedQuestion?.open && store.state.liveClass);
    if (open && !polling) polling = setInterval(refresh, ASKED_EVERY_MS);
    if (!open && polling) {
      clearInterval(polling);
      polling = null;
    }
    if (!store.state.liveClass && store.state.askedQuestion) store.set({ askedQuestion: null });
  });

  async function change(what) {
    const asked = store.state.askedQuestion;
    const live = store.state.liveClass;
    if (!asked || !live) return;
    try {
      store.set({ askedQuestion: await api.changeQuestion(live.sessionId, asked.question_id, what), questionError: null });
      if (what === "reveal") {
        const { phase, layer } = asked.question;
        const index = store.state.session.steps.findIndex((s) => s.phase === phase && s.layer === layer);
        if (asked.question.iteration === store.state.session.cursor.iteration && index >= 0) await seek(index);
      }
    } catch (err) {
      failed(err);
    }
  }

  return {
    /** kind, and entry [row, column] for the kinds about one entry. */
    async ask(kind, entry) {
      const live = store.state.liveClass;
      const session = store.state.session;
      if (!live || !session) return;
      const { phase, layer } = comingStep(session);
      const body = { kind, phase, layer };
      if (kind === "number" || kind === "sign" || kind === "choice") body.entry = entry;
      try {
        store.set({ askedQuestion: await api.askQuestion(live.sessionId, body), questionError: null });
      } catch (err) {
        failed(err);
      }
    },
    close: () => change("close"),
    revote: () => change("revote"),
    reveal: () => change("reveal"),
    csvUrl: () => (store.state.liveClass ? api.questionsCsvUrl(store.state.liveClass.sessionId) : null),
  };
}
