// The expansion panel: the picked entry (store.pick) written out with the
// engine's numbers — terms.js lays the engine's expression out, this view puts
// it in the DOM. Every operand is a button: focusing, hovering or tapping it
// lights its cells in the equation and its neurons and edges in the diagram
// (through store.hover) and reads its full value out below; an operand that a
// step computes can be opened in turn. Esc or × closes the panel.
//
// Timing: from the click (the pick's t0) to the expansion laid out, request
// included, as a performance measure "bpl:expansion" (the browser test reads it).
import { formatNumber, fullPrecision } from "../format.js";
import { layoutTerms, leafNote, refKey, symbolOf, termsQuery } from "../terms.js";

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** The panel's fixed parts, built once inside its container. */
function skeleton(root) {
  const head = el("div", "expansion__head");
  const title = el("h3", "expansion__title");
  title.dataset.expansionTitle = "";
  title.id = "expansion-title";
  const where = el("span", "expansion__where muted");
  where.dataset.expansionWhere = "";
  const close = el("button", "expansion__close", "×");
  close.type = "button";
  close.dataset.action = "close-expansion";
  close.setAttribute("aria-label", "Close (Esc)");
  head.append(title, where, close);
  const lines = el("div", "expansion__lines");
  lines.dataset.expansionLines = "";
  const unfold = el("button", "expansion__unfold");
  unfold.type = "button";
  unfold.dataset.action = "unfold-expansion";
  unfold.hidden = true;
  const exact = el("p", "expansion__exact");
  exact.dataset.expansionExact = "";
  const notes = el("div", "expansion__notes");
  notes.dataset.expansionNotes = "";
  const operand = el("p", "expansion__operand");
  operand.dataset.expansionOperand = "";
  operand.setAttribute("aria-live", "polite");
  root.setAttribute("role", "region");
  root.setAttribute("aria-labelledby", "expansion-title");
  root.replaceChildren(head, lines, unfold, exact, notes, operand);
  return { title, where, close, lines, unfold, exact, notes, operand };
}

/**
 * One line of the layout: operands as buttons that name their entry (data-ref).
 * A long line wraps only at a spaced operator (" + ", " · ", " = "), never
 * inside a product or right after a parenthesis.
 */
function lineElement(line, refs) {
  const p = el("p", `xp-line xp-line--${line.kind}`);
  p.dataset.xpLine = line.kind;
  if (line.label) p.append(el("span", "xp-label", `${line.label}:`));
  let group = null;
  const put = (node) => {
    if (!group) group = p.appendChild(el("span", "xp-group"));
    group.append(node);
  };
  for (const token of line.tokens) {
    if (token.kind === "op" && token.text.includes(" ")) {
      // ")) · (" : the brackets stay with their operands, the line may break at the spaces
      const [, head, middle, tail] = /^(\S*)(.*\s)(\S*)$/s.exec(token.text);
      if (head) put(el("span", "xp-op", head));
      group = null;
      p.append(el("span", "xp-op", middle));
      if (tail) put(el("span", "xp-op", tail));
    } else if (token.kind === "op") {
      put(el("span", "xp-op", token.text));
    } else if (token.kind === "fold") {
      const fold = el("button", "xp-fold", token.text);
      fold.type = "button";
      fold.dataset.action = "unfold-expansion";
      put(fold);
    } else if (token.ref) {
      const key = refKey(token.ref);
      refs.set(key, token.ref);
      const b = el("button", `xp-ref xp-${token.kind}`, token.text);
      b.type = "button";
      b.dataset.ref = key;
      put(b);
    } else {
      put(el("span", `xp-${token.kind}`, token.text));
    }
  }
  return p;
}

export function mountExpansion(root, store, actions) {
  const parts = skeleton(root);
  let refs = new Map(); // refKey → the entry, for the lines shown
  let measured = 0; // the last pick whose expansion was timed

  function readout(pick, digits) {
    if (pick.pending) return [`${pick.name}: not computed yet at this step.`];
    return [`${pick.name} = ${formatNumber(pick.value, digits).replace(/^\+/, "")}`];
  }

  function render() {
    const { pick, digits, session } = store.state;
    root.hidden = !pick;
    if (!pick) {
      refs = new Map();
      return;
    }
    const m = session?.trace.batch.a0[0]?.length ?? 1;
    const layout = pick.terms ? layoutTerms(pick.terms, { digits, m, unfolded: pick.unfolded }) : null;
    refs = new Map();
    parts.title.textContent = layout ? layout.title : pick.name;
    parts.where.textContent = layout ? layout.where : "";
    if (layout) {
      parts.lines.replaceChildren(...layout.lines.map((line) => lineElement(line, refs)));
    } else {
      // before the terms arrive (a few ms), and for entries no step computes: the value itself
      parts.lines.replaceChildren(
        ...readout(pick, digits).map((text) => {
          const p = el("p", "xp-line xp-line--result", text);
          p.dataset.xpLine = "result";
          return p;
        }),
      );
    }
    parts.unfold.hidden = !layout?.hidden;
    if (layout?.hidden) parts.unfold.textContent = `Show all (${layout.hidden} more)`;
    const exact = layout ? layout.exact : pick.pending ? null : fullPrecision(pick.value);
    parts.exact.hidden = exact === null;
    parts.exact.textContent = exact === null ? "" : `exact value: ${exact}`;
    const notes = layout ? layout.notes : pick.query ? [] : pick.pending ? [] : [leafNote(pick.ref?.quantity)];
    if (pick.error) notes.push(`The terms could not be loaded: ${pick.error}`);
    parts.notes.replaceChildren(...notes.map((text) => el("p", "", text)));
    parts.operand.replaceChildren();
    if (layout && pick.id !== measured) {
      measured = pick.id;
      void root.offsetHeight; // include style and layout in the figure
      performance.measure("bpl:expansion", { start: pick.t0, end: performance.now() });
    }
    // Sticky, the panel is in view next to the equation. Where it is not (a page
    // wider than a phone's screen, whose fixed and sticky boxes follow the wider
    // layout viewport), it is scrolled to.
    const box = root.getBoundingClientRect();
    const height = window.visualViewport?.height ?? window.innerHeight;
    if (box.top < 0 || box.top > height - 40) root.scrollIntoView({ block: "nearest" });
  }

  /** Light up an operand's cells and neurons (hover, focus, tap). */
  function pointAt(button) {
    const ref = refs.get(button.dataset.ref);
    if (ref) store.hover({ refs: [ref] });
    return ref;
  }

  /**
   * An operand in focus or tapped: lit up, and its full value read out with a
   * way to open it. (Hovering only lights it up: a pointer on its way to the
   * "open" button crosses other operands.)
   */
  function showOperand(button) {
    const ref = pointAt(button);
    if (!ref) return;
    const text = `${symbolOf(ref)} = ${fullPrecision(ref.value)}`;
    const L = (store.state.session?.trace.network.layers.length ?? 1) - 1;
    const query = termsQuery(ref, L);
    const line = [el("span", "", text)];
    if (query) {
      const open = el("button", "expansion__open", `How is ${symbolOf(ref)} computed? ▸`);
      open.type = "button";
      open.dataset.action = "open-operand";
      open.dataset.ref = button.dataset.ref;
      line.push(open);
    } else {
      line.push(el("span", "muted", ` — ${leafNote(ref.quantity)}`));
    }
    parts.operand.replaceChildren(...line);
  }

  function close() {
    // focus goes back to the table the entry is in, when it was inside the panel
    const back = root.contains(document.activeElement)
      ? document.querySelector("[data-view='equation'] td.pick-entry")?.closest("table")
      : null;
    actions.unpick();
    store.hover(null);
    back?.focus();
  }

  root.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    const action = button.dataset.action;
    if (action === "close-expansion") close();
    else if (action === "unfold-expansion") actions.unfoldPick();
    else if (action === "open-operand") {
      const ref = refs.get(button.dataset.ref);
      if (ref) actions.pick({ entry: null, name: symbolOf(ref), value: ref.value, ref, diagram: null, t0: event.timeStamp });
    } else if (button.dataset.ref) showOperand(button); // a tap on a touch screen
  });
  root.addEventListener("mouseover", (event) => {
    const button = event.target.closest?.("[data-ref]");
    if (button && !button.dataset.action) pointAt(button);
  });
  root.addEventListener("focusin", (event) => {
    const button = event.target.closest?.("[data-ref]");
    if (button && !button.dataset.action) showOperand(button);
  });
  root.addEventListener("mouseleave", () => store.hover(null));
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || event.defaultPrevented || !store.state.pick) return;
    if (document.querySelector("dialog[open]")) return;
    event.preventDefault();
    close();
  });

  store.addEventListener("change", (e) => {
    const k = e.detail.keys;
    if (k.includes("pick") || (store.state.pick && k.includes("digits"))) render();
  });
  return { render };
}
