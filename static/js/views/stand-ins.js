// Stand-ins for what the network diagram paints on a canvas (views/diagram-canvas.js):
// a neuron of a strip or an edge of a dense layer pair has no element of its
// own, so marking one (the hover from the equation, the pick and its
// operands, the keyboard cursor) puts an SVG element over the canvas in its
// place, with the same classes and data-* hooks as a real one, which the
// diagram's CSS then styles as it styles the real ones. A stand-in lives as
// long as it carries a mark.

/** A stand-in's key: "n1:4" for a neuron, "e2:0:3" for an edge. */
const keyOf = (target) => (target.neuron ? `n${target.neuron.join(":")}` : `e${target.edge.join(":")}`);

/**
 * Stand-ins kept in SVG group `group`; `make(target)` builds one (target:
 * {neuron: [l, j]} or {edge: [l, j, k]}), `dress(node, target)` brings its
 * look up to date with the step shown. `marks` are the classes that keep a
 * stand-in alive.
 */
export function standIns(group, { make, dress, marks }) {
  const nodes = new Map(); // key → {node, target}
  return {
    /** The stand-in for `target`, made on first use. */
    get(target) {
      const key = keyOf(target);
      let entry = nodes.get(key);
      if (!entry) {
        entry = { node: make(target), target };
        dress(entry.node, target);
        group.append(entry.node);
        nodes.set(key, entry);
      }
      return entry.node;
    },
    /** Drop the stand-ins no mark needs any longer. */
    prune() {
      for (const [key, { node }] of nodes) {
        if (marks.some((cls) => node.classList.contains(cls))) continue;
        node.remove();
        nodes.delete(key);
      }
    },
    /** The step changed: each stand-in takes the new step's look. */
    dressAll() {
      for (const { node, target } of nodes.values()) dress(node, target);
    },
    /** A new drawing: every stand-in goes. */
    clear() {
      group.replaceChildren();
      nodes.clear();
    },
  };
}
