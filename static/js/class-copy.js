// "Take a copy" of a live class: the follower's page hands the class's export
// to the step page, which starts a private session from it. It travels in
// sessionStorage (this tab only, never in a URL or to the server).

const KEY = "backprop-lens:copy";

/** Keep `config` (a SessionConfig, e.g. an export) for the next page of this tab. */
export function stashCopy(config, storage = globalThis.sessionStorage) {
  storage.setItem(KEY, JSON.stringify(config));
}

/** The configuration stashed by stashCopy, once (it is removed), or null. */
export function takeCopy(storage = globalThis.sessionStorage) {
  const text = storage?.getItem(KEY);
  if (!text) return null;
  storage.removeItem(KEY);
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * What a copy of the class starts from: the export the class ended with, when it
 * has ended (the server no longer has it), else the class's export now, from
 * `current()` (GET /classes/{code}). Null when there is nothing to copy.
 */
export async function copySource(endedWith, current) {
  if (endedWith) return endedWith;
  const answer = await current();
  return answer?.export ?? null;
}
