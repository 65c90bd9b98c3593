// Classes that mark a set of elements as a whole: cleared together and put
// back after a render, so a view can mark what the store's pick names without
// tracking each class itself (the equation's cells, the diagram's neurons and edges).

/** A marker for `classes`: mark(nodes, cls) adds one of them (skipping nulls); clear() removes them all. */
export function marker(classes) {
  let marked = [];
  return {
    mark(nodes, cls) {
      for (const node of nodes) {
        if (!node) continue;
        node.classList.add(cls);
        marked.push(node);
      }
    },
    clear() {
      for (const node of marked) node.classList.remove(...classes);
      marked = [];
    },
  };
}
