// Wires the page: the store, the API client and the views. The only module
// with side effects at load; views render what the store holds.
import { ApiError, api } from "./api.js";
import { takeCopy } from "./class-copy.js";
import { createLiveClass } from "./live-class.js";
import { isReload, recallSession, rememberSession } from "./instructor-resume.js";
import { Store, initialState } from "./store.js";
import { dataActions } from "./data-actions.js";
import { fieldRefresh } from "./field-refresh.js";
import { sessionSource } from "./field-source.js";
import { pickActions } from "./pick.js";
import { practiceActions } from "./practice-actions.js";
import { presentationActions } from "./presentation.js";
import { requestQueue } from "./request-queue.js";
import { sessionReplacer } from "./session-replace.js";
import { settingsActions } from "./settings-change.js";
import { sharingActions } from "./sharing.js";
import { stepFileActions } from "./step-files.js";
import { steppingActions } from "./stepping.js";
import { trainingRun } from "./training-run.js";
import { mountBoundary } from "./views/boundary.js";
import { mountClassReport } from "./views/class-report.js";
import { mountInputImages } from "./views/input-images.js";
import { predictionsRefresh } from "./predictions-refresh.js";
import { mountCostCurve } from "./views/cost-curve.js";
import { mountDataPanel } from "./views/data-panel.js";
import { mountDivergence } from "./views/divergence.js";
import { mountNeurons } from "./views/neurons.js";
import { mountPresent } from "./views/present.js";
import { mountPractice } from "./views/practice.js";
import { mountPracticeBar } from "./views/practice-bar.js";
import { mountShare } from "./views/share.js";
import { mountTrainControls } from "./views/train-controls.js";
import { mountConfig } from "./views/config.js";
import { mountControls } from "./views/controls.js";
import { mountEquation } from "./views/equation.js";
import { mountExpansion } from "./views/expansion.js";
import { mountExplanation } from "./views/explanation.js";
import { mountNetwork } from "./views/network.js";
import { mountTimeline } from "./views/timeline.js";
import { mountTimelineScroll } from "./views/timeline-scroll.js";
import { mountUpdate } from "./views/update.js";
import { mountLiveClass } from "./views/live-class.js";

const DEFAULT_PRESET = "worked_example";
const store = new Store(initialState());
const $ = (selector) => document.querySelector(selector);

// Render timing (bench/render.py reads it), one entry per session state applied:
// renderTimes: from a parsed API response to the views updated, styled and laid
// out (a forced synchronous layout); frameTimes: to just after the next frame
// (its style, layout and paint), taken from a message posted in that frame.
const renderTimes = [];
const frameTimes = [];

function applySession(session) {
  const t0 = performance.now();
  const m = session.trace.batch.a0[0]?.length ?? 1;
  const focus = store.state.focus;
  store.set({ session, focus: focus !== null && focus >= m ? null : focus });
  void document.body.offsetHeight; // include style and layout in the figure
  if (session.diverged) store.set({ playing: false }); // views/divergence.js says where and offers a smaller η
  const t1 = performance.now();
  renderTimes.push(t1 - t0);
  performance.measure("bpl:render", { start: t0, end: t1 });
  requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      frameTimes.push(performance.now() - t0);
      channel.port1.close();
    };
    channel.port2.postMessage(null);
  });
  document.body.dataset.ready = "true";
}

function fail(err) {
  const text = err instanceof ApiError ? err.message : `Unexpected problem: ${err.message}`;
  store.set({ message: { kind: "error", text } });
}

const queue = requestQueue({
  store,
  async onError(err) {
    if (store.state.playing) store.set({ playing: false });
    if (err instanceof ApiError && err.status === 404 && store.state.session) await recover(err);
    else fail(err);
  },
});
const { enqueue } = queue;
const replacer = sessionReplacer({ store, api, enqueue, applySession });

/**
 * The server forgot the session (it expired or was deleted): start a new one
 * from the same configuration, at iteration 0, and say so.
 */
async function recover(err) {
  try {
    await replacer.replaceSessionNow(store.state.session.config, {
      removeOld: false, // the server has forgotten it already
      after: {
        lastPreset: store.state.lastPreset, // the same configuration: the same preset name
        message: {
          kind: "info",
          text: `${err.message} — the session had ended on the server, so a new one started with the same settings, at iteration 0.`,
        },
      },
    });
  } catch (again) {
    fail(again);
  }
}

// The configuration panel's new sessions; what the server refuses shows in the panel.
const configError = (err) => ({ configError: { code: err.code, message: err.message, field: err.field } });
const field = fieldRefresh({ store, api, fail });
const settings = settingsActions({ store, api, enqueue, applySession });
predictionsRefresh({ store, source: sessionSource(api), fail });
const actions = {
  createSession: (config) => replacer.replaceSession(config, { refused: configError }),
  loadPreset: (name) => replacer.replaceSession({ preset: name }, { refused: configError }),
  ...steppingActions({ store, api, queue, applySession, blockedByDivergence: settings.blockedByDivergence }),
  ...settings,
  changeSettings: (changes) => settings.changeSettings(changes, { refused: configError }),
  ...trainingRun({ store, api, enqueue, applySession, field, blockedByDivergence: settings.blockedByDivergence }),
  ...sharingActions({ store, api, enqueue, replacer }),
  ...stepFileActions({ store }),
  ...dataActions({ store, api, replacer }),
  ...presentationActions({ store }),
  ...pickActions({ store, fetchTerms: (session, query) => api.terms(session.id, query) }),
};
Object.assign(
  actions,
  practiceActions({
    store,
    api,
    enqueue,
    createSession: (config, after) => replacer.replaceSession(config, { refused: configError, after }),
    seek: (index) => actions.seek(index),
    pick: (target) => actions.pick(target),
  }),
);

function mountAll() {
  const dialog = $("dialog[data-view='shortcuts']");
  dialog.querySelector("[data-close]").addEventListener("click", () => dialog.close());
  mountControls($("[data-view='controls']"), store, actions, dialog);
  mountTimeline($("[data-view='timeline']"), store, actions);
  mountTimelineScroll($("[data-view='timeline']"), store);
  mountNetwork($("[data-view='network']"), store, actions);
  mountEquation($("[data-view='equation']"), store, actions);
  mountPractice($("[data-view='practice']"), store, actions);
  mountPracticeBar($("[data-view='practice-bar']"), store, actions);
  mountExpansion($("[data-view='expansion']"), store, actions);
  mountExplanation($("[data-view='explanation']"), store);
  mountUpdate($("[data-view='update']"), store);
  mountConfig($("[data-view='config']"), store, actions);
  mountLiveClass($("[data-view='live-class']"), $("[data-action='live-class']"), store, createLiveClass(store));
  mountAskingOnceLive();
  mountTrainControls($("[data-view='train-controls']"), store, actions);
  mountDivergence($("[data-view='divergence']"), store, actions);
  mountBoundary($("[data-view='boundary']"), store);
  mountClassReport($("[data-view='class-report']"), store);
  mountInputImages($("[data-view='images']"), store);
  mountCostCurve($("[data-view='cost-curve']"), store, actions);
  mountNeurons($("[data-view='neurons']"), store);
  mountDataPanel($("[data-view='data']"), store, actions);
  mountShare($("[data-view='share']"), store, actions);
  mountWhenNear($("[data-view='gradcheck']"), async (section) => {
    const [{ mountGradcheck }, { gradcheckActions }] = await Promise.all([import("./views/gradcheck.js"), import("./gradcheck-action.js")]);
    Object.assign(actions, gradcheckActions({ store, api, enqueue }));
    mountGradcheck(section, store, actions);
  });
  mountWhenNear($("[data-view='race']"), async (section) => {
    const [{ mountRace }, { raceActions }] = await Promise.all([import("./views/race.js"), import("./race-action.js")]);
    Object.assign(actions, raceActions({ store, api, enqueue }));
    mountRace(section, store, actions);
  });
  mountPresent(store, actions);
}

/**
 * After a reload: the same session again, and its live class (instructor-resume.js).
 * False if the server has forgotten the session; then the class, if any, stays in the
 * store under the old session id, and live-class.js moves it to the replacement session.
 */
/**
 * Cards at the foot of the page (the gradient check, the optimizer race) load their
 * code when they come near the screen or focus enters them, not with the page: most
 * visits never reach them, and the first load keeps within its budget (docs/DESIGN.md).
 */
function mountWhenNear(section, mount) {
  let mounted = null; // the card's code on its way: loaded and mounted when it settles
  let loaded = false;
  const start = () => {
    if (!mounted) {
      near.disconnect();
      mounted = mount(section).then(() => (loaded = true));
      mounted.catch(fail);
    }
    return mounted;
  };
  const near = new IntersectionObserver((seen) => seen.some((e) => e.isIntersecting) && start(), { rootMargin: "300px 0px" });
  // from the first state drawn on: before it the page is short and every card is near
  const observe = () => {
    if (!store.state.session) return;
    store.removeEventListener("change", observe);
    requestAnimationFrame(() => near.observe(section));
  };
  store.addEventListener("change", observe);
  observe();
  section.addEventListener("focusin", start);
  // a button pressed before its code arrived (a jump to the card, a script) is pressed
  // again once the card's own handlers are there
  section.addEventListener(
    "click",
    (e) => {
      const button = e.target.closest("button");
      if (button && !loaded) start().then(() => button.click());
    },
    { capture: true },
  );
}

/**
 * Asking the class (views/ask-question.js, class-questions.js) is loaded once a class
 * is live, not with the page: most visits never start one, and the first load stays
 * smaller. Its section shows once it works.
 */
let asking = null;
function mountAskingOnceLive() {
  const mount = () => {
    if (asking || !store.state.liveClass) return;
    asking = Promise.all([import("./views/ask-question.js"), import("./class-questions.js")]).then(
      ([{ mountAskQuestion }, { createQuestions }]) => {
        const section = $("[data-view='ask-question']");
        mountAskQuestion(section, store, createQuestions(store, actions.seek));
        section.hidden = false;
      },
      fail,
    );
  };
  store.addEventListener("change", (e) => {
    if (e.detail.keys.includes("liveClass")) mount();
  });
  mount();
}

async function reopen({ id, liveClass }) {
  let found = false;
  await enqueue(async () => {
    try {
      applySession(await api.getSession(id));
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return;
      throw err;
    }
    found = true;
    if (!liveClass) return;
    try {
      store.set({ liveClass: { ...(await api.getClass(id)), sessionId: id } });
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 404)) throw err; // the class has ended
    }
  });
  if (!found && liveClass) store.set({ liveClass });
  return found;
}

async function boot() {
  const remembered = isReload() ? recallSession() : null;
  mountAll();
  store.addEventListener("change", (e) => {
    const keys = e.detail.keys;
    if (keys.includes("session") || keys.includes("liveClass")) {
      rememberSession(store.state.session?.id ?? null, store.state.liveClass);
    }
  });
  try {
    const [options, datasets, presets] = await Promise.all([api.options(), api.datasets(), api.presets()]);
    store.set({ options, datasets, presets });
  } catch (err) {
    fail(err);
    return;
  }
  // a share link (or a reload) reproduces its state; otherwise the default preset
  const copied = takeCopy(); // a follower's "take a copy" of a live class
  if (copied) await actions.createSession(copied);
  else if (remembered && (await reopen(remembered))) {
    actions.resumeLessonHere(); // a reload in the middle of the lesson goes on with it
    return;
  }
  else if (!(await actions.openFromUrl(location.search))) await actions.loadPreset(DEFAULT_PRESET);
}

// A hook for the browser tests and bench/render.py (read-only use).
window.backpropLens = { store, actions, renderTimes, frameTimes, ready: boot() };
