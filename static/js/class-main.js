// Wires /class/{code}: a follower's read-only step view. The same views as the
// step page, fed by the class's event stream instead of the user's clicks: a
// `state` event is the instructor's whole session state (without its id), a
// `delta` what changed since the previous event's (session-delta.js merges it).
// The training views (cost curve, boundary, neurons) read the class's field
// and data through its read-only routes (class-views.js).
import { ApiError, api } from "./api.js";
import { copySource, stashCopy } from "./class-copy.js";
import { followerId, heldFromLatest } from "./class-question.js";
import { followKey, followTraining } from "./class-views.js";
import { classSource } from "./field-source.js";
import { predictionsRefresh } from "./predictions-refresh.js";
import { pickActions } from "./pick.js";
import { presentationActions } from "./presentation.js";
import { mergeState } from "./session-delta.js";
import { Store, initialState } from "./store.js";
import { mountBoundary } from "./views/boundary.js";
import { mountClassQuestion } from "./views/class-question.js";
import { mountClassReport } from "./views/class-report.js";
import { mountCostCurve } from "./views/cost-curve.js";
import { mountDivergence } from "./views/divergence.js";
import { mountEquation } from "./views/equation.js";
import { mountExpansion } from "./views/expansion.js";
import { mountExplanation } from "./views/explanation.js";
import { mountFollow } from "./views/follow.js";
import { mountInputImages } from "./views/input-images.js";
import { mountNetwork } from "./views/network.js";
import { mountNeurons } from "./views/neurons.js";
import { mountTimeline } from "./views/timeline.js";
import { mountTimelineScroll } from "./views/timeline-scroll.js";
import { mountUpdate } from "./views/update.js";

const $ = (selector) => document.querySelector(selector);
const root = $("[data-view='follow']");
const code = root.dataset.code;
const store = new Store({ ...initialState(), follow: { state: "connecting", seq: 0 } });
const follower = followerId(browserStorage());

/** localStorage, or null where the browser refuses it (then followerId keeps none). */
function browserStorage() {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

// The views tell one session from another by `id`; a follower never learns the
// real one, so each configuration the instructor shows gets a local one.
let shownKey = null;
let shownCount = 0;
// The session as the class ended (the end event's export): what a copy starts from then.
let endedWith = null;

function applyState(state, seq) {
  const key = followKey(state.config);
  if (key !== shownKey) {
    shownKey = key;
    shownCount += 1;
  }
  const session = { ...state, id: `class:${code}:${shownCount}` };
  const m = session.trace.batch.a0[0]?.length ?? 1;
  const focus = store.state.focus;
  store.set({
    session,
    focus: focus !== null && focus >= m ? null : focus,
    follow: { state: "live", seq },
  });
  document.body.dataset.ready = "true";
}

/** A delta applies to the state it names (`base`); after a gap, the whole state again. */
async function applyDelta(delta, seq) {
  if (seq <= store.state.follow.seq) return; // already shown (a whole state came first)
  const held = store.state.session;
  if (held && held.version === delta.base) {
    applyState(mergeState(held, delta), seq);
    return;
  }
  try {
    const current = await api.classState(code);
    if (current.seq >= store.state.follow.seq) applyState(current.state, current.seq);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) ended(err.message);
  }
}

/**
 * The class is over, or was never there. A follower who saw it keeps its last step
 * (and can take a copy of it); one who saw nothing gets the page that says so
 * ("missing", views/follow.js) instead of an empty stage.
 */
function ended(text) {
  if (!store.state.session) {
    const sentence = text.charAt(0).toUpperCase() + text.slice(1); // the API's message starts in lower case
    store.set({ follow: { ...store.state.follow, state: "missing", text: sentence }, message: null });
    return;
  }
  store.set({ follow: { ...store.state.follow, state: "ended" }, message: { kind: "info", text } });
}

/**
 * A class question's event (or the latest question, read when the page opens): a new
 * question or round starts without an answer; `close` and `reveal` keep the answer given.
 */
function showQuestion(question, kind = "question") {
  const held = store.state.classQuestion;
  const same = held && held.question.question_id === question.question_id;
  const keep = same && (kind !== "question" || held.question.round === question.round);
  store.set({
    classQuestion: {
      question,
      mine: keep ? held.mine : null,
      answer: kind === "reveal" ? question.answer : keep ? held.answer : null,
      error: null,
    },
  });
}

/**
 * The class's latest question with this follower's own answer, as the server keeps it:
 * a page that reloads (phones do, often) or reconnects shows the answer it gave.
 */
async function syncQuestion() {
  try {
    const held = heldFromLatest(store.state.classQuestion, await api.classQuestion(code, follower));
    if (held) store.set({ classQuestion: held });
  } catch {
    // an unknown or ended class: the event stream says so
  }
}

const actions = {
  ...presentationActions({ store }), // digits, focus, the curve's scale
  async answer(value) {
    const held = store.state.classQuestion;
    if (!held) return;
    const body = { question_id: held.question.question_id, follower, answer: value };
    try {
      await api.answerQuestion(code, body);
      store.set({ classQuestion: { ...store.state.classQuestion, mine: value, error: null } });
    } catch (err) {
      store.set({ classQuestion: { ...store.state.classQuestion, error: err.message } });
    }
  },
  answerProblem(text) {
    const held = store.state.classQuestion;
    if (held) store.set({ classQuestion: { ...held, error: text } });
  },
  // an entry's terms come from the class's read-only route: the follower has no session id
  ...pickActions({ store, fetchTerms: (_session, query) => api.classTerms(code, query) }),
  // Read-only: the timeline's step buttons do not move anything here.
  seek() {
    store.set({ message: { kind: "info", text: "You are following the instructor: take a copy to explore on your own." } });
  },
  async takeCopy() {
    store.set({ busy: true });
    try {
      const config = await copySource(endedWith, () => api.classState(code));
      if (!config) throw new ApiError(409, "conflict", "The instructor's session has ended: there is nothing to copy.");
      // A private session from the export: the step page starts it (and it is yours alone).
      stashCopy(config);
      window.location.assign("/");
    } catch (err) {
      store.set({ message: { kind: "error", text: err.message } });
    } finally {
      store.set({ busy: false });
    }
  },
};

function follow() {
  const stop = api.followClass(code, {
    onOpen() {
      if (store.state.follow.state !== "reconnecting") return;
      store.set({ follow: { ...store.state.follow, state: "live" }, message: null });
      syncQuestion();
    },
    onState: applyState,
    onDelta: applyDelta,
    onQuestion: showQuestion,
    onEnd(reason, exported) {
      endedWith = exported;
      ended(`This class has ended (${reason}). Its last step stays here: take a copy to keep exploring from it.`);
    },
    async onError(closed) {
      if (!closed) {
        store.set({ follow: { ...store.state.follow, state: "reconnecting" } });
        return; // EventSource reconnects by itself, resuming after the last event
      }
      stop();
      try {
        await api.classState(code);
        setTimeout(follow, 2000); // the class is there: the stream broke, try again
      } catch (err) {
        if (err instanceof ApiError && err.status === 404) ended(err.message);
        else {
          store.set({ follow: { ...store.state.follow, state: "reconnecting" } });
          setTimeout(follow, 2000);
        }
      }
    },
  });
}

mountFollow(root, store, actions);
mountClassQuestion($("[data-view='class-question']"), store, actions);
mountDivergence($("[data-view='divergence']"), store, actions);
mountTimeline($("[data-view='timeline']"), store, actions);
mountTimelineScroll($("[data-view='timeline']"), store);
mountNetwork($("[data-view='network']"), store, actions);
mountEquation($("[data-view='equation']"), store, actions);
mountExpansion($("[data-view='expansion']"), store, actions);
mountExplanation($("[data-view='explanation']"), store);
mountUpdate($("[data-view='update']"), store);
mountCostCurve($("[data-view='cost-curve']"), store, actions);
mountBoundary($("[data-view='boundary']"), store);
mountClassReport($("[data-view='class-report']"), store);
mountInputImages($("[data-view='images']"), store);
mountNeurons($("[data-view='neurons']"), store);
// the same classes and pictures as the instructor's page, for networks of many inputs too
predictionsRefresh({
  store,
  source: classSource(api, code),
  fail: (err) => store.set({ message: { kind: "error", text: err.message } }),
});
followTraining({
  store,
  source: classSource(api, code),
  fail: (err) => store.set({ message: { kind: "error", text: err.message } }),
});
api.options().then(
  (options) => store.set({ options }),
  () => {}, // the neurons' colour centre falls back to 0 without it
);
follow();
// A question asked before this page opened (or reloaded) shows at once, with the answer
// this follower gave; later ones come as events.
syncQuestion();

// A hook for the browser tests (read-only use).
window.backpropLens = { store, actions };
