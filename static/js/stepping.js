// Moving through the session: a step, a phase or an iteration forward or
// back, a jump to a step, reset, and play (a step every `speed` ms). Each asks
// only for what changed since the state the page holds (session-delta.js).
import { stateAfter } from "./session-delta.js";

/** Whether stepping `direction` by `unit` from the session's cursor applies the iteration's update. */
function finishesIteration(session, direction, unit) {
  if (direction !== "forward") return false;
  const { index } = session.cursor;
  const last = session.steps.length - 1;
  if (unit === "iteration") return true;
  if (unit === "phase") return session.steps.slice(index + 1).every((s) => s.phase === session.steps[index].phase);
  return index === last;
}

/** `blockedByDivergence(what)` (settings-change.js) says why a diverged iteration cannot be finished. */
export function steppingActions({ store, api, queue, applySession, blockedByDivergence = () => false }) {
  const { enqueue } = queue;

  function canStepBack() {
    const s = store.state.session;
    if (!s) return false;
    return s.cursor.index > 0 || (s.history.can_step_back && s.cursor.iteration > s.history.oldest_iteration);
  }

  const actions = {
    step(direction, unit) {
      if (direction === "back" && !canStepBack()) {
        store.set({ message: { kind: "info", text: "This is the first step that is kept: there is nothing before it." } });
        return queue.settled();
      }
      const s = store.state.session;
      if (s?.diverged && finishesIteration(s, direction, unit) && blockedByDivergence("Finishing the iteration")) {
        store.set({ playing: false });
        return queue.settled();
      }
      return enqueue(async () => {
        const s = store.state.session;
        const next = await stateAfter(s, (since) => api.step(s.id, direction, unit, since));
        store.set({ message: null });
        applySession(next);
      });
    },
    seek(index) {
      return enqueue(async () => {
        const s = store.state.session;
        if (s.cursor.index === index) return;
        applySession(await stateAfter(s, (since) => api.seek(s.id, index, since)));
        store.set({ message: null });
      });
    },
    reset() {
      store.set({ playing: false });
      return enqueue(async () => {
        const s = store.state.session;
        applySession(await stateAfter(s, (since) => api.reset(s.id, since)));
        store.set({ message: { kind: "info", text: "Reset to iteration 0 with the initial weights." } });
      });
    },
    togglePlay() {
      const playing = !store.state.playing;
      store.set({ playing, message: null });
      if (playing) playLoop();
    },
    setSpeed(ms) {
      store.set({ speed: ms });
    },
  };

  async function playLoop() {
    while (store.state.playing) {
      await actions.step("forward", "step");
      if (!store.state.playing) break;
      await new Promise((resolve) => setTimeout(resolve, store.state.speed));
    }
  }

  return actions;
}
