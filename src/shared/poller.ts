/**
 * Runs `work` every `ms`, never two at once (a slow round delays the next instead of piling up),
 * and lets shutdown wait for the round under way. A failed round (the database away) is reported
 * and the next one tries again.
 */
export class Poller {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();

  constructor(private readonly work: () => Promise<unknown>) {}

  start(ms: number, onError: (error: unknown) => void): void {
    this.timer = setInterval(() => {
      this.running = this.running.then(this.work).catch(onError);
    }, ms);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
