// On a narrow screen the timeline's steps are one row that scrolls sideways
// (narrow.css): this keeps the current step in view as the cursor moves.
// Desktop layouts never scroll the row, and then nothing here runs.

const NARROW = "(max-width: 999px)";

/** How far to scroll a row so that [left, right) shows with a margin; 0 if it shows already. */
export function scrollToShow(row, item, margin = 24) {
  if (item.left < row.left + margin) return item.left - row.left - margin;
  if (item.right > row.right - margin) return item.right - row.right + margin;
  return 0;
}

export function mountTimelineScroll(root, store) {
  const strip = root.querySelector("[data-steps]");
  const narrow = window.matchMedia(NARROW);
  let frame = 0;

  // Read the layout in the next frame, once the views have written theirs: a read
  // here, between views' writes, would cost a layout of its own on every step.
  const keepInView = () => {
    frame = 0;
    const current = strip.querySelector("[aria-current='step']");
    if (!current || strip.scrollWidth <= strip.clientWidth) return;
    const by = scrollToShow(strip.getBoundingClientRect(), current.getBoundingClientRect());
    if (by) strip.scrollBy({ left: by, behavior: "smooth" });
  };

  store.addEventListener("change", (e) => {
    if (!e.detail.keys.includes("session") || !narrow.matches || frame) return;
    frame = requestAnimationFrame(keepInView);
  });
}
