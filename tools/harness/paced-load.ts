export interface PacedLoadOptions {
  /** Sends in flight at most: each of this many workers sends one at a time. */
  concurrency: number;
  /** Sends started per second, on a schedule fixed at the start; as fast as the workers go when absent. */
  rate?: number;
}

/**
 * Calls `send(i)` for i = 0 … count - 1 from `options.concurrency` workers, each taking the next
 * index when it is free. With a rate, send i starts no earlier than i / rate seconds after the
 * start; a worker that finds its send already due (the service was slow) sends at once, so the
 * load catches up with the schedule instead of drifting behind it. Rejects with the first send
 * that rejects, and no worker starts another send after it (the caller is about to tear down what
 * they send to); a caller that counts failures catches them in `send`.
 */
export async function pacedLoad(count: number, options: PacedLoadOptions, send: (i: number) => Promise<void>): Promise<void> {
  const started = Date.now();
  const interval = options.rate ? 1000 / options.rate : 0;
  let next = 0;
  let failed = false;
  const worker = async () => {
    for (let i = next++; i < count && !failed; i = next++) {
      const wait = started + i * interval - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      if (failed) return;
      await send(i).catch((error: unknown) => {
        failed = true;
        throw error;
      });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
}
