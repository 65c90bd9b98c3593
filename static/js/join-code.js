// Pure helpers of the /join page (join.js wires them): what a typed code looks
// like to people, and what to say when it opens no class.

/** The code as people read it: upper case, without spaces or dashes (the API accepts either). */
export function tidyCode(text) {
  return text.toUpperCase().replace(/[\s-]+/g, "");
}

/** Seconds to wait, from the API's 429 message ("… try again in 42 s"), or null. */
export function waitSeconds(message) {
  const match = /(\d+)\s*s\b/.exec(message ?? "");
  return match ? Number(match[1]) : null;
}

/**
 * What the page says when `typed` opens no class: `status` is the API's answer
 * (404 unknown or ended, 429 too many unknown codes, 0 unreachable) and
 * `message` its text.
 */
export function joinProblem(typed, status, message) {
  const code = tidyCode(typed);
  if (!code) return "Type the join code first: the six letters and digits your instructor shows.";
  if (status === 404) return `No live class ${code}: check the code (or the class has ended), then try again.`;
  if (status === 429) {
    const wait = waitSeconds(message);
    return `Too many unknown codes were tried from here: wait ${wait ? `${wait} s` : "a minute"}, then try again.`;
  }
  return `The class could not be checked: ${message}`;
}
