// The step page's requests run one at a time, in order, so that each starts
// from the state the previous one left; keys pressed while one runs queue up
// (a few: holding a key down must not queue hundreds). store.state.busy says
// whether any is queued or running.

const MAX_QUEUED = 4;

/** onError(err): what a failed request does (awaited before the next one starts). */
export function requestQueue({ store, onError }) {
  let chain = Promise.resolve();
  let queued = 0;

  /** Queue `task` (async); the promise settles when it has run, or at once when the queue is full. */
  function enqueue(task) {
    if (queued >= MAX_QUEUED) return chain;
    queued += 1;
    chain = chain.then(async () => {
      store.set({ busy: true });
      try {
        await task();
      } catch (err) {
        await onError(err);
      } finally {
        queued -= 1;
        store.set({ busy: queued > 0 });
      }
    });
    return chain;
  }

  /** Settles once every request queued so far has run. */
  const settled = () => chain;

  return { enqueue, settled };
}
