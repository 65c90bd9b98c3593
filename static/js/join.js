// Wires /join: the typed code is checked with the API (GET /classes/{code}; it
// accepts lower case, spaces and dashes) and, when a class is live under it,
// the follower page opens; otherwise the page says why and keeps the code,
// selected, for another try.
import { ApiError, api } from "./api.js";
import { joinProblem, tidyCode } from "./join-code.js";

const form = document.querySelector("[data-join-form]");
const input = form.querySelector("[data-join-code]");
const submit = form.querySelector("[data-join-submit]");
const error = form.querySelector("[data-join-error]");

function say(text) {
  error.textContent = text ?? "";
  error.hidden = !text;
  if (text) input.setAttribute("aria-invalid", "true");
  else input.removeAttribute("aria-invalid");
}

async function join() {
  const typed = input.value;
  if (!tidyCode(typed)) {
    say(joinProblem(typed, 0, ""));
    input.focus();
    return;
  }
  submit.disabled = true;
  form.setAttribute("aria-busy", "true");
  try {
    const answer = await api.classState(typed);
    window.location.assign(`/class/${encodeURIComponent(answer.code)}`);
  } catch (err) {
    const status = err instanceof ApiError ? err.status : 0;
    say(joinProblem(typed, status, err.message));
    input.focus();
    input.select();
  } finally {
    submit.disabled = false;
    form.removeAttribute("aria-busy");
  }
}

form.addEventListener("submit", (e) => {
  e.preventDefault();
  join();
});
input.addEventListener("input", () => say(null));
document.body.dataset.ready = "true";
