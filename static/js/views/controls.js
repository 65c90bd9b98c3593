// Step controls, play/pause with speed, reset, the keyboard shortcuts and
// the shortcut help dialog. Buttons carry data-action; main.js does the work.
import { isTyping } from "../keys.js";

/** Keyboard shortcut → action name (pure, exported for tests). */
export function shortcutFor(event) {
  const { key, shiftKey, ctrlKey, metaKey, altKey } = event;
  if (ctrlKey || metaKey || altKey) return null;
  if (key === "ArrowRight") return shiftKey ? "phase-forward" : "step-forward";
  if (key === "ArrowLeft") return shiftKey ? "phase-back" : "step-back";
  if (key === " " || key === "Spacebar") return "play";
  if (key === "Enter") return "finish";
  if (key === "r" || key === "R") return "reset";
  if (key === "?") return "help";
  return null;
}

export function mountControls(root, store, actions, dialog) {
  const buttons = [...root.querySelectorAll("button[data-action]")];
  const play = root.querySelector("[data-action='play']");
  const finish = root.querySelector("[data-action='finish']");
  const finishTitle = finish.title;
  const speed = root.querySelector("[data-control='speed']");
  const status = document.querySelector("[data-status]");

  const run = (name) => {
    switch (name) {
      case "step-forward":
        return actions.step("forward", "step");
      case "step-back":
        return actions.step("back", "step");
      case "phase-forward":
        return actions.step("forward", "phase");
      case "phase-back":
        return actions.step("back", "phase");
      case "finish":
        return actions.step("forward", "iteration");
      case "play":
        return actions.togglePlay();
      case "reset":
        return actions.reset();
      case "help":
        if (!dialog.open) dialog.showModal();
        return undefined;
      default:
        return undefined;
    }
  };

  for (const b of buttons) b.addEventListener("click", () => run(b.dataset.action));
  speed.addEventListener("change", () => actions.setSpeed(Number(speed.value)));
  document.querySelectorAll("[data-action='help']").forEach((b) => {
    if (!root.contains(b)) b.addEventListener("click", () => run("help"));
  });

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || dialog.open) return;
    const t = event.target;
    if (isTyping(t)) return;
    const name = shortcutFor(event);
    if (!name) return;
    // Focus can linger on a button of a dialog that has just closed until the
    // browser's next rendering update; a key pressed in that gap is the page's.
    const stale = t instanceof HTMLElement && t.closest("dialog:not([open])");
    // Enter and Space keep their usual meaning on a focused button or link
    const interactive = !stale && t instanceof HTMLElement && t.closest("button, a, summary, [role='button']");
    if (interactive && (name === "play" || name === "finish")) return;
    event.preventDefault();
    run(name);
  });

  // Writes only what changed: this runs on every request start and end, and
  // needless text or attribute writes would cost a layout each time.
  const setText = (el, text) => {
    if (el.textContent !== text) el.textContent = text;
  };
  const setAttr = (el, name, value) => {
    if (el.getAttribute(name) !== value) el.setAttribute(name, value);
  };

  function render() {
    const { session, playing, busy, message, speed: ms } = store.state;
    setAttr(play, "aria-pressed", playing ? "true" : "false");
    setText(play.querySelector("[data-label]"), playing ? "Pause" : "Play");
    setText(play.querySelector("[data-icon]"), playing ? "❚❚" : "▶");
    if (speed.value !== String(ms)) speed.value = String(ms);
    if (session) {
      const atStart =
        session.cursor.index === 0 &&
        (!session.history.can_step_back || session.cursor.iteration <= session.history.oldest_iteration);
      for (const b of buttons) {
        if ((b.dataset.action === "step-back" || b.dataset.action === "phase-back") && b.disabled !== atStart) {
          b.disabled = atStart;
        }
      }
      setAttr(root, "data-busy", busy ? "true" : "false");
      // a diverged iteration's update cannot be applied: the button stays focusable and says why
      setAttr(finish, "title", session.diverged ? "The numbers diverged: its update cannot be applied (lower η or reset)" : finishTitle);
      if (session.diverged) {
        setAttr(finish, "aria-disabled", "true");
        setAttr(finish, "aria-describedby", "divergence-text");
      } else {
        finish.removeAttribute("aria-disabled");
        finish.removeAttribute("aria-describedby");
      }
    }
    setText(status, message ? message.text : "");
    if (message) setAttr(status, "data-kind", message.kind);
    if (status.hidden !== !message) status.hidden = !message;
  }

  store.addEventListener("change", (e) => {
    const k = e.detail.keys;
    if (["session", "playing", "busy", "message", "speed"].some((x) => k.includes(x))) render();
  });
  return { render };
}
