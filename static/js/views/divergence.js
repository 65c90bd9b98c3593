// The divergence banner: while the session's current iteration has numbers that are
// not finite, it says where (in the steps' words) and at which iteration, how far
// into the last training run that was, and offers a smaller η in place (a PATCH:
// the same iteration, recomputed) or a reset. It stays until the numbers are finite
// again: other messages do not clear it. A follower's banner (the class page) has
// no buttons: it says what happened and that the instructor decides.
import { divergenceText, retryIteration, smallerRate } from "../divergence.js";

export function mountDivergence(root, store, actions) {
  const text = root.querySelector("[data-divergence-text]");
  const smaller = root.querySelector("[data-action='smaller-rate']");
  const reset = root.querySelector("[data-action='reset-diverged']");
  const follower = !smaller;
  smaller?.addEventListener("click", () => actions.trySmallerRate());
  reset?.addEventListener("click", () => actions.reset());

  function render() {
    const { session, lastRun } = store.state;
    const diverged = Boolean(session?.diverged);
    if (root.hidden === diverged) root.hidden = !diverged;
    if (!diverged) return;
    const run = lastRun && lastRun.sessionId === session.id ? lastRun : null;
    const said = divergenceText(session, run);
    const words = follower ? `${said} The instructor can recompute it with a smaller η, or reset.` : said;
    if (text.textContent !== words) text.textContent = words;
    if (follower) return;
    const eta = smallerRate(session.trace.learning_rate);
    const from = retryIteration(session, run);
    const t = session.cursor.iteration;
    smaller.textContent = from === t ? `Try η = ${eta}` : `Try η = ${eta} from iteration ${from.toLocaleString("en")}`;
    smaller.title =
      from === t
        ? `Recompute iteration ${t} with a learning rate ten times smaller (η is ${session.trace.learning_rate} now)`
        : `Back to iteration ${from}, where ${run ? "this run began" : "the kept history begins"}, and train from there with a learning rate ten times smaller (η is ${session.trace.learning_rate} now)`;
  }

  store.addEventListener("change", (e) => {
    const k = e.detail.keys;
    if (k.includes("session") || k.includes("lastRun")) render();
  });
  render();
}
