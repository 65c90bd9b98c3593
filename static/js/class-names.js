// Pure: what the page calls a session's classes. A CSV's class labels travel in the
// session's configuration (data.class_names, in the order of the class numbers); any
// other classification names its k classes by number, 0 … k − 1.

/** The k classes' names for a session's configuration, or null when they have none. */
export function classNames(config, k) {
  const names = config?.data?.class_names;
  return Array.isArray(names) && names.length === k ? names : null;
}

/** Class i as a table's heading: its name, else its number. */
export function classHeading(names, i) {
  return names ? names[i] : String(i);
}

/** Class i in a sentence: "setosa", else "class 2". */
export function classPhrase(names, i) {
  return names ? names[i] : `class ${i}`;
}
