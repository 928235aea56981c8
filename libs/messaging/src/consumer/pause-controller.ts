import { Logger } from '@nestjs/common';

export const PROBE_INITIAL_MS = 500;
export const PROBE_MAX_MS = 15_000;

export interface PauseControllerOptions {
  /** Resolves when the dependency answers again; polled while paused (none: resume at the first probe). */
  probe?: () => Promise<void>;
  /** Stop taking deliveries (cancel the broker consumer). */
  onPause: () => void;
  /** Take deliveries again. */
  onResume: () => Promise<void>;
  logger: Logger;
}

/**
 * The pause/probe state machine: while a consumer's dependency is down it stops taking deliveries
 * (messages wait in the queue without spending attempts; retry levels keep their schedule) and
 * probes with back-off (0.5 s doubling to 15 s) until the dependency answers, then resumes.
 */
export class PauseController {
  private paused = false;
  private stopped = false;
  private timer?: NodeJS.Timeout;

  constructor(private readonly options: PauseControllerOptions) {}

  get isPaused(): boolean {
    return this.paused;
  }

  /** `firstProbeMs` lets a caller that keeps failing after good probes back off further. */
  pause(why: string | undefined, firstProbeMs = PROBE_INITIAL_MS): void {
    if (this.paused || this.stopped) return;
    this.paused = true;
    this.options.logger.warn(`pausing${why ? ` (${why})` : ''}; probing the dependency until it answers`);
    this.options.onPause();
    this.schedule(firstProbeMs);
  }

  async resume(): Promise<void> {
    if (!this.paused || this.stopped) return;
    this.paused = false;
    this.options.logger.log('dependency is back; resuming');
    await this.options.onResume();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      void (async () => {
        try {
          await (this.options.probe?.() ?? Promise.resolve());
        } catch (error) {
          this.options.logger.debug(`probe failed: ${(error as Error).message}`);
          this.schedule(Math.min(PROBE_MAX_MS, delayMs * 2));
          return;
        }
        await this.resume();
      })();
    }, delayMs);
  }
}
