// Which key presses the page's single-key shortcuts may take: not while the
// user types in a field, not with a modifier (those belong to the browser),
// not under an open dialog, not one a handler already took.

const TYPING = new Set(["INPUT", "SELECT", "TEXTAREA"]);

/** Whether `target` is where the user types (a key there is text, not a shortcut). */
export function isTyping(target) {
  return target instanceof HTMLElement && (TYPING.has(target.tagName) || target.isContentEditable);
}

/** Whether a single-key page shortcut may handle this keydown. */
export function forShortcut(event) {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return false;
  return !isTyping(event.target) && !document.querySelector("dialog[open]");
}
