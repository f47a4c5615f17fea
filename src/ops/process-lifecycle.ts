import type { Logger } from 'pino';

export interface LifecycleOptions {
  logger: Logger;
  /** Stops accepting, finishes what is in flight, closes storage. */
  drain: () => Promise<void>;
  /**
   * Under npm (`npm start`, `npx huoma serve`) the server runs below a `sh -c` that dies of the
   * SIGTERM or SIGINT npm forwards to it without passing it on, leaving the server orphaned and
   * serving. Then the launcher going away is the signal to stop. Off for a server started
   * directly, which may outlive its shell on purpose (nohup, a service manager).
   */
  followLauncher: boolean;
  /** A drain that takes longer than this is cut short, and the exit is non-zero. */
  deadlineMs?: number;
  /** How often the launcher is looked for. */
  launcherCheckMs?: number;
}

/**
 * Runs the process's end: a signal or the launcher's exit drains and exits 0; an uncaught
 * exception is logged and drains as well as it can, then exits 1; a drain that fails or overruns
 * exits 1 with the reason logged. An unhandled rejection is logged and the server keeps serving:
 * it is a background task's fault, and every request path awaits its own promises.
 */
export function runUntilStopped({ logger, drain, followLauncher, deadlineMs = 15_000, launcherCheckMs = 500 }: LifecycleOptions): void {
  let stopping = false;
  const stop = async (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'shutting down: finishing in-flight scans');
    const overrun = setTimeout(() => {
      logger.fatal({ reason, deadlineMs }, 'shutdown did not finish in time: exiting');
      process.exit(1);
    }, deadlineMs);
    overrun.unref();
    try {
      await drain();
    } catch (error) {
      logger.fatal({ err: error, reason }, 'shutdown failed');
      process.exit(1);
    }
    process.exit(code);
  };
  process.on('SIGTERM', () => void stop('SIGTERM', 0));
  process.on('SIGINT', () => void stop('SIGINT', 0));
  process.on('uncaughtException', (error) => {
    logger.fatal({ err: error }, 'uncaught exception');
    void stop('uncaughtException', 1);
  });
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));
  if (followLauncher) {
    const launcher = process.ppid;
    const watch = setInterval(() => {
      if (process.ppid === launcher) return;
      clearInterval(watch);
      void stop('launcher exited', 0);
    }, launcherCheckMs);
    watch.unref();
  }
}
