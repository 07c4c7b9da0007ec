/**
 * Background work that may wait (an issued document) yields to the requests a person waits for: it starts
 * once nothing has been in flight for `quietMs`, or once it has waited `maxWaitMs`, so a busy counter
 * delays documents by seconds at most and never starves them.
 */
export interface QuietGate {
  /** Marks one piece of foreground work (a request) in flight; call the returned function when it ends. */
  enter(): () => void;
  /** Resolves when the process has been quiet long enough, `maxWaitMs` after `since` (ms since the epoch), or once `stop()` says so (a drain). */
  whenQuiet(since: number, stop?: () => boolean): Promise<void>;
}

export function createQuietGate(opts: { quietMs: number; maxWaitMs: number }): QuietGate {
  let inFlight = 0;
  let lastActive = 0;
  return {
    enter() {
      inFlight++;
      let left = false;
      return () => {
        if (left) return;
        left = true;
        inFlight--;
        lastActive = Date.now();
      };
    },
    async whenQuiet(since, stop = () => false) {
      for (;;) {
        if (stop()) return;
        const t = Date.now();
        const quietFor = inFlight ? 0 : t - lastActive;
        if (quietFor >= opts.quietMs || t - since >= opts.maxWaitMs) return;
        // Sleep until the quiet period could be over or the longest wait is reached, checking a drain every 20 ms.
        const wait = Math.min(opts.quietMs - quietFor, opts.maxWaitMs - (t - since), 20);
        await new Promise((resolve) => setTimeout(resolve, Math.max(5, wait)));
      }
    },
  };
}
